/* logdir: naming, finding and trimming the rotated files of a log
 * directory. Owns nothing on disk but the @* names it deletes. */
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logdir.h"
#include "timefmt.h"

/* "@20261122T031415.123456Z.s" (kind 's' or 'u') into out, which must
 * hold LOGDIR_NAMELEN + 1 bytes. Returns the length. */
size_t
logdir_name(char *out, const struct timespec *ts, char kind)
{
	out[0] = '@';
	timefmt_iso_compact(out + 1, ts);
	out[24] = '.';
	out[25] = kind;
	out[26] = '\0';
	return LOGDIR_NAMELEN;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Is name a rotated file: "@<compact ISO>.s|.u" (svlog) or "@<TAI64N>.s|.u"
 * (multilog, svlogd)? 0 with *ts and *kind set, -1 if not. */
int
logdir_name_parse(const char *name, struct timespec *ts, char *kind)
{
	unsigned char label[TAI64N_LEN];
	size_t len = strlen(name);
	int i, hi, lo;

	if (name[0] != '@')
		return -1;
	if (len == LOGDIR_NAMELEN && name[24] == '.' &&
	    (name[25] == 's' || name[25] == 'u') && name[9] == 'T' &&
	    name[23] == 'Z') {
		if (timefmt_iso_parse(name + 1, 23, ts) == -1)
			return -1;
		*kind = name[25];
		return 0;
	}
	if (len == 27 && name[25] == '.' && (name[26] == 's' ||
	    name[26] == 'u')) {
		for (i = 0; i < TAI64N_LEN; i++) {
			hi = hexval((unsigned char)name[1 + 2 * i]);
			lo = hexval((unsigned char)name[2 + 2 * i]);
			if (hi == -1 || lo == -1)
				return -1;
			label[i] = (unsigned char)(hi << 4 | lo);
		}
		timefmt_tai64n_unpack(label, ts);
		*kind = name[26];
		return 0;
	}
	return -1;
}

static int
tscmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	if (a->tv_nsec != b->tv_nsec)
		return a->tv_nsec < b->tv_nsec ? -1 : 1;
	return 0;
}

/* Order two rotated names by their stamps (then by name): oldest first. */
int
logdir_name_cmp(const char *a, const char *b)
{
	struct timespec ta, tb;
	char ka, kb;
	int c;

	if (logdir_name_parse(a, &ta, &ka) == 0 &&
	    logdir_name_parse(b, &tb, &kb) == 0 && (c = tscmp(&ta, &tb)) != 0)
		return c;
	return strcmp(a, b);
}

/* Make *ts later than *last (by 1 us at least) at microsecond precision,
 * the precision of the names, so a new name sorts after every older one. */
void
logdir_next_stamp(struct timespec *ts, const struct timespec *last)
{
	ts->tv_nsec -= ts->tv_nsec % 1000;
	if (tscmp(ts, last) > 0)
		return;
	*ts = *last;
	ts->tv_nsec -= ts->tv_nsec % 1000;
	ts->tv_nsec += 1000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* Count the rotated files in dir and find the oldest and the newest. */
int
logdir_scan(const char *dir, struct logdir_scan *sc)
{
	DIR *d;
	struct dirent *de;
	struct timespec ts;
	char kind;
	int e;

	memset(sc, 0, sizeof *sc);
	if ((d = opendir(dir)) == NULL)
		return -1;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) >= LOGDIR_NAMEMAX ||
		    logdir_name_parse(de->d_name, &ts, &kind) == -1)
			continue;
		if (sc->count == 0 || logdir_name_cmp(de->d_name,
		    sc->oldest) < 0) {
			strcpy(sc->oldest, de->d_name);
			sc->oldest_ts = ts;
		}
		if (sc->count == 0 || logdir_name_cmp(de->d_name,
		    sc->newest) > 0) {
			strcpy(sc->newest, de->d_name);
			sc->newest_ts = ts;
		}
		sc->count++;
		errno = 0;
	}
	e = errno;
	closedir(d);
	errno = e;
	return e != 0 ? -1 : 0;
}

/* Must the oldest rotated file go: more than keep files, or (maxage_ms
 * > 0) rotated more than maxage_ms before now? */
int
logdir_expired(const struct logdir_scan *sc, size_t keep, int64_t maxage_ms,
    const struct timespec *now)
{
	int64_t age;

	if (sc->count == 0)
		return 0;
	if (sc->count > keep)
		return 1;
	if (maxage_ms <= 0)
		return 0;
	age = ((int64_t)now->tv_sec - (int64_t)sc->oldest_ts.tv_sec) * 1000 +
	    (now->tv_nsec - sc->oldest_ts.tv_nsec) / 1000000;
	return age > maxage_ms;
}

/* Delete the oldest rotated files of dir while logdir_expired() says so.
 * Returns how many were deleted, -1 with errno on failure; *sc holds the
 * last scan (what is left). */
int
logdir_trim(const char *dir, size_t keep, int64_t maxage_ms,
    const struct timespec *now, struct logdir_scan *sc)
{
	char path[4096];
	int n = 0, r;

	for (;;) {
		if (logdir_scan(dir, sc) == -1)
			return -1;
		if (!logdir_expired(sc, keep, maxage_ms, now))
			return n;
		r = snprintf(path, sizeof path, "%s/%s", dir, sc->oldest);
		if (r < 0 || (size_t)r >= sizeof path) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (unlink(path) == -1 && errno != ENOENT)
			return -1;
		n++;
	}
}
