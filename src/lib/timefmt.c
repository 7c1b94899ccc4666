/* timefmt: time encodings, written without the C library's time zone code
 * so that they are fast (svlog stamps every line) and never read /etc. */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "num.h"
#include "timefmt.h"

void
timefmt_tai64n_pack(unsigned char *out, const struct timespec *ts)
{
	uint64_t s = TAI64_OFFSET + (uint64_t)(int64_t)ts->tv_sec;
	uint32_t n = (uint32_t)ts->tv_nsec;
	int i;

	for (i = 7; i >= 0; i--) {
		out[i] = (unsigned char)(s & 0xff);
		s >>= 8;
	}
	for (i = 11; i >= 8; i--) {
		out[i] = (unsigned char)(n & 0xff);
		n >>= 8;
	}
}

void
timefmt_tai64n_unpack(const unsigned char *in, struct timespec *ts)
{
	uint64_t s = 0;
	uint32_t n = 0;
	int i;

	for (i = 0; i < 8; i++)
		s = (s << 8) | in[i];
	for (i = 8; i < 12; i++)
		n = (n << 8) | in[i];
	ts->tv_sec = (time_t)(int64_t)(s - TAI64_OFFSET);
	ts->tv_nsec = n < 1000000000 ? (long)n : 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm). */
int64_t
timefmt_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
timefmt_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void
digits(char *p, unsigned long v, int n)
{
	while (n-- > 0) {
		p[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void
split(const struct timespec *ts, int64_t *y, unsigned *mo, unsigned *d,
    unsigned *sod)
{
	int64_t s = (int64_t)ts->tv_sec, days;

	days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	*sod = (unsigned)(s - days * 86400);
	timefmt_civil_from_days(days, y, mo, d);
}

#define ISO_MIN	INT64_C(-62167219200)	/* 0000-01-01T00:00:00Z */
#define ISO_MAX	INT64_C(253402300799)	/* 9999-12-31T23:59:59Z */

/* Four digits of year show 0000..9999 only: pin times outside to its ends
 * rather than print a wrapped, plausible wrong date. */
static const struct timespec *
pin(const struct timespec *ts, struct timespec *buf)
{
	if ((int64_t)ts->tv_sec >= ISO_MIN && (int64_t)ts->tv_sec <= ISO_MAX)
		return ts;
	buf->tv_sec = (time_t)((int64_t)ts->tv_sec < ISO_MIN ? ISO_MIN :
	    ISO_MAX);
	buf->tv_nsec = (int64_t)ts->tv_sec < ISO_MIN ? 0 : 999999999;
	return buf;
}

/* "2026-11-22T03:14:15.123456Z" into out (ISO_LEN bytes, no NUL). */
size_t
timefmt_iso(char *out, const struct timespec *ts)
{
	struct timespec buf;
	int64_t y;
	unsigned mo, d, sod;

	ts = pin(ts, &buf);
	split(ts, &y, &mo, &d, &sod);
	digits(out, (unsigned long)y, 4);
	out[4] = '-';
	digits(out + 5, mo, 2);
	out[7] = '-';
	digits(out + 8, d, 2);
	out[10] = 'T';
	digits(out + 11, sod / 3600, 2);
	out[13] = ':';
	digits(out + 14, sod / 60 % 60, 2);
	out[16] = ':';
	digits(out + 17, sod % 60, 2);
	out[19] = '.';
	digits(out + 20, (unsigned long)ts->tv_nsec / 1000, 6);
	out[26] = 'Z';
	return ISO_LEN;
}

/* "20261122T031415.123456Z" (23 bytes, no NUL): for file names. */
size_t
timefmt_iso_compact(char *out, const struct timespec *ts)
{
	struct timespec buf;
	int64_t y;
	unsigned mo, d, sod;

	ts = pin(ts, &buf);
	split(ts, &y, &mo, &d, &sod);
	digits(out, (unsigned long)y, 4);
	digits(out + 4, mo, 2);
	digits(out + 6, d, 2);
	out[8] = 'T';
	digits(out + 9, sod / 3600, 2);
	digits(out + 11, sod / 60 % 60, 2);
	digits(out + 13, sod % 60, 2);
	out[15] = '.';
	digits(out + 16, (unsigned long)ts->tv_nsec / 1000, 6);
	out[22] = 'Z';
	return 23;
}

/* Exactly n digits at s: 0 and their value, or -1. */
static int
num(const char *s, size_t n, unsigned long *v)
{
	uint64_t x;
	size_t used;

	if (num_scan(s, n, 999999999, &x, &used) == -1 || used != n)
		return -1;
	*v = (unsigned long)x;
	return 0;
}

/* Parse "YYYY-MM-DDTHH:MM:SS[.frac][Z]" (also with a space for T, and the
 * compact "YYYYMMDDTHHMMSS[.frac]Z"), taken as UTC. 0 or -1 (EINVAL). */
int
timefmt_iso_parse(const char *s, size_t len, struct timespec *ts)
{
	unsigned long y, mo, d, h = 0, mi = 0, se = 0, frac = 0;
	size_t i, fd = 0, hpos;
	int64_t days, cy;
	unsigned cm, cd;
	int compact;

	if (len >= 8 && isdigit((unsigned char)s[4]))
		compact = 1;
	else if (len >= 10 && s[4] == '-' && s[7] == '-')
		compact = 0;
	else
		goto bad;
	if (compact) {
		if (num(s, 4, &y) || num(s + 4, 2, &mo) || num(s + 6, 2, &d))
			goto bad;
		hpos = 8;
	} else {
		if (num(s, 4, &y) || num(s + 5, 2, &mo) || num(s + 8, 2, &d))
			goto bad;
		hpos = 10;
	}
	i = hpos;
	if (i < len && (s[i] == 'T' || s[i] == ' ')) {
		i++;
		if (compact) {
			if (len < i + 6 || num(s + i, 2, &h) ||
			    num(s + i + 2, 2, &mi) || num(s + i + 4, 2, &se))
				goto bad;
			i += 6;
		} else {
			if (len < i + 5 || num(s + i, 2, &h) || s[i + 2] != ':' ||
			    num(s + i + 3, 2, &mi))
				goto bad;
			i += 5;
			if (i < len && s[i] == ':') {
				if (len < i + 3 || num(s + i + 1, 2, &se))
					goto bad;
				i += 3;
			}
		}
		if (i < len && (s[i] == '.' || s[i] == ',')) {
			for (i++; i < len && isdigit((unsigned char)s[i]); i++)
				if (fd < 9) {
					frac = frac * 10 +
					    (unsigned long)(s[i] - '0');
					fd++;
				}
			if (fd == 0)
				goto bad;
			for (; fd < 9; fd++)
				frac *= 10;
		}
	}
	if (i < len && s[i] == 'Z')
		i++;
	if (i != len || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		goto bad;
	/* A day past the month's end (02-30) would roll into the next. */
	days = timefmt_days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d);
	timefmt_civil_from_days(days, &cy, &cm, &cd);
	if (cm != mo || cd != d)
		goto bad;
	ts->tv_sec = (time_t)(days * 86400 + (int64_t)(h * 3600 + mi * 60 +
	    se));
	ts->tv_nsec = (long)frac;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* "90", "90s", "15m", "2h", "1d", "250ms" into milliseconds. */
int
timefmt_duration_parse(const char *s, int64_t *ms)
{
	uint64_t v;
	int64_t unit;
	const char *p;
	size_t used;

	if (num_scan(s, strlen(s), INT64_MAX, &v, &used) == -1)
		goto bad;
	p = s + used;
	if (strcmp(p, "") == 0 || strcmp(p, "s") == 0)
		unit = 1000;
	else if (strcmp(p, "ms") == 0)
		unit = 1;
	else if (strcmp(p, "m") == 0)
		unit = 60000;
	else if (strcmp(p, "h") == 0)
		unit = 3600000;
	else if (strcmp(p, "d") == 0)
		unit = 86400000;
	else
		goto bad;
	if (v > (uint64_t)(INT64_MAX / unit))
		goto bad;
	*ms = (int64_t)v * unit;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

int64_t
timefmt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
timefmt_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}
