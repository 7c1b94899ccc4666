/* check_timefmt: TAI64N, ISO 8601 stamps, civil dates, durations. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

/* 2026-11-22T03:14:15Z */
#define T2026	1795317255

static void
pack_hex(const struct timespec *ts, char *hex)
{
	unsigned char b[TAI64N_LEN];
	int i;

	timefmt_tai64n_pack(b, ts);
	for (i = 0; i < TAI64N_LEN; i++) {
		hex[2 * i] = "0123456789abcdef"[b[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[b[i] & 15];
	}
	hex[2 * TAI64N_LEN] = '\0';
}

static void
iso(time_t s, long ns, char *out)
{
	struct timespec ts;

	ts.tv_sec = s;
	ts.tv_nsec = ns;
	ck_assert_uint_eq(timefmt_iso(out, &ts), ISO_LEN);
	out[ISO_LEN] = '\0';
}

static int
parse(const char *s, struct timespec *ts)
{
	ts->tv_sec = 12345;
	ts->tv_nsec = 678;
	return timefmt_iso_parse(s, strlen(s), ts);
}

START_TEST(test_tai64n_label)
{
	struct timespec ts;
	char hex[2 * TAI64N_LEN + 1];

	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	pack_hex(&ts, hex);
	ck_assert_str_eq(hex, "400000000000000a00000000");
	ts.tv_sec = T2026;
	ts.tv_nsec = 123456789;
	pack_hex(&ts, hex);
	ck_assert_str_eq(hex, "400000006b025e11075bcd15");
	ts.tv_sec = -1;
	ts.tv_nsec = 999999999;
	pack_hex(&ts, hex);
	ck_assert_str_eq(hex, "40000000000000093b9ac9ff");
	ts.tv_sec = -2203891200;	/* 1900-03-01 */
	ts.tv_nsec = 0;
	pack_hex(&ts, hex);
	ck_assert_str_eq(hex, "3fffffff7ca34a0a00000000");
}
END_TEST

START_TEST(test_tai64n_roundtrip)
{
	static const time_t secs[] = { 0, 1, -1, T2026, 4107542399,
	    -2208988800, 253402300799, (time_t)1 << 40, -((time_t)1 << 40) };
	static const long nsecs[] = { 0, 1, 123456000, 999999999 };
	unsigned char b[TAI64N_LEN];
	struct timespec in, out;
	size_t i, j;

	for (i = 0; i < sizeof secs / sizeof secs[0]; i++)
		for (j = 0; j < sizeof nsecs / sizeof nsecs[0]; j++) {
			in.tv_sec = secs[i];
			in.tv_nsec = nsecs[j];
			timefmt_tai64n_pack(b, &in);
			memset(&out, 0xff, sizeof out);
			timefmt_tai64n_unpack(b, &out);
			ck_assert_int_eq(out.tv_sec, in.tv_sec);
			ck_assert_int_eq(out.tv_nsec, in.tv_nsec);
		}
}
END_TEST

START_TEST(test_tai64n_unpack)
{
	/* An observed daemontools status: 2026, nanoseconds 0x2f5bb5ec. */
	static const unsigned char b[] = { 0x40, 0, 0, 0, 0x6b, 0x02, 0x5e,
	    0xa4, 0x2f, 0x5b, 0xb5, 0xec };
	static const unsigned char bad[] = { 0x40, 0, 0, 0, 0, 0, 0, 0x0a,
	    0x3b, 0x9a, 0xca, 0x00 };
	struct timespec ts;

	timefmt_tai64n_unpack(b, &ts);
	ck_assert_int_eq(ts.tv_sec, T2026 + 0xa4 - 0x11);
	ck_assert_int_eq(ts.tv_nsec, 0x2f5bb5ec);
	/* 10^9 nanoseconds is no valid label: read as 0. */
	timefmt_tai64n_unpack(bad, &ts);
	ck_assert_int_eq(ts.tv_sec, 0);
	ck_assert_int_eq(ts.tv_nsec, 0);
}
END_TEST

START_TEST(test_iso_known)
{
	char out[ISO_LEN + 1];

	iso(T2026, 123456789, out);
	ck_assert_str_eq(out, "2026-11-22T03:14:15.123456Z");
	iso(0, 0, out);
	ck_assert_str_eq(out, "1970-01-01T00:00:00.000000Z");
	iso(951782400, 999, out);
	ck_assert_str_eq(out, "2000-02-29T00:00:00.000000Z");
	iso(4107542399, 999999999, out);
	ck_assert_str_eq(out, "2100-02-28T23:59:59.999999Z");
	iso(4107542400, 0, out);
	ck_assert_str_eq(out, "2100-03-01T00:00:00.000000Z");
	iso(1709208000, 500000, out);
	ck_assert_str_eq(out, "2024-02-29T12:00:00.000500Z");
}
END_TEST

START_TEST(test_iso_negative)
{
	char out[ISO_LEN + 1];

	iso(-1, 0, out);
	ck_assert_str_eq(out, "1969-12-31T23:59:59.000000Z");
	iso(-1, 500000000, out);
	ck_assert_str_eq(out, "1969-12-31T23:59:59.500000Z");
	iso(-86400, 0, out);
	ck_assert_str_eq(out, "1969-12-31T00:00:00.000000Z");
	iso(-86401, 0, out);
	ck_assert_str_eq(out, "1969-12-30T23:59:59.000000Z");
	iso(-2203891200, 0, out);
	ck_assert_str_eq(out, "1900-03-01T00:00:00.000000Z");
	iso(-2203891201, 0, out);
	ck_assert_str_eq(out, "1900-02-28T23:59:59.000000Z");
	iso(-62135596800, 0, out);
	ck_assert_str_eq(out, "0001-01-01T00:00:00.000000Z");
}
END_TEST

/* Four digits of year hold 0000..9999: times beyond are pinned to the
 * ends of that range, never wrapped into a plausible wrong date. */
START_TEST(test_iso_far)
{
	char out[ISO_LEN + 1];

	iso(253402300799, 999999999, out);
	ck_assert_str_eq(out, "9999-12-31T23:59:59.999999Z");
	iso(253402300800, 0, out);
	ck_assert_str_eq(out, "9999-12-31T23:59:59.999999Z");
	iso((time_t)1 << 50, 0, out);
	ck_assert_str_eq(out, "9999-12-31T23:59:59.999999Z");
	iso(INT64_MAX, 0, out);
	ck_assert_str_eq(out, "9999-12-31T23:59:59.999999Z");
	iso(-62167219200, 0, out);
	ck_assert_str_eq(out, "0000-01-01T00:00:00.000000Z");
	iso(-62167219201, 0, out);
	ck_assert_str_eq(out, "0000-01-01T00:00:00.000000Z");
	iso(INT64_MIN, 0, out);
	ck_assert_str_eq(out, "0000-01-01T00:00:00.000000Z");
}
END_TEST

START_TEST(test_iso_compact)
{
	struct timespec ts;
	char out[32];

	ts.tv_sec = T2026;
	ts.tv_nsec = 123456789;
	memset(out, 0, sizeof out);
	ck_assert_uint_eq(timefmt_iso_compact(out, &ts), 23);
	ck_assert_str_eq(out, "20261122T031415.123456Z");
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	timefmt_iso_compact(out, &ts);
	ck_assert_str_eq(out, "19691231T235959.000000Z");
}
END_TEST

START_TEST(test_iso_parse)
{
	struct timespec ts;

	ck_assert_int_eq(parse("2026-11-22T03:14:15.123456Z", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026);
	ck_assert_int_eq(ts.tv_nsec, 123456000);
	ck_assert_int_eq(parse("2026-11-22 03:14:15.123456Z", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026);
	ck_assert_int_eq(ts.tv_nsec, 123456000);
	ck_assert_int_eq(parse("2026-11-22T03:14:15", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026);
	ck_assert_int_eq(ts.tv_nsec, 0);
	ck_assert_int_eq(parse("2026-11-22T03:14Z", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026 - 15);
	ck_assert_int_eq(ts.tv_nsec, 0);
	ck_assert_int_eq(parse("2026-11-22 03:14", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026 - 15);
	ck_assert_int_eq(parse("2026-11-22T03:14:15,5Z", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026);
	ck_assert_int_eq(ts.tv_nsec, 500000000);
	ck_assert_int_eq(parse("2026-11-22T03:14:15.1234567891234Z", &ts), 0);
	ck_assert_int_eq(ts.tv_nsec, 123456789);
	ck_assert_int_eq(parse("20261122T031415.123456Z", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026);
	ck_assert_int_eq(ts.tv_nsec, 123456000);
	ck_assert_int_eq(parse("20261122T031415Z", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026);
	ck_assert_int_eq(parse("2026-11-22", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026 - 3 * 3600 - 14 * 60 - 15);
	ck_assert_int_eq(parse("1969-12-31T23:59:59Z", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, -1);
	ck_assert_int_eq(parse("2000-02-29T00:00:00Z", &ts), 0);
	ck_assert_int_eq(ts.tv_sec, 951782400);
	/* len bounds the string: the rest is not looked at. */
	ck_assert_int_eq(timefmt_iso_parse("2026-11-22T03:14:15.123456Z exit",
	    ISO_LEN, &ts), 0);
	ck_assert_int_eq(ts.tv_sec, T2026);
}
END_TEST

START_TEST(test_iso_parse_reject)
{
	static const char *bad[] = {
		"", "x", "garbage", "2026", "2026-11", "2026-1-22",
		"2026/11/22", "2026-11-22T", "2026-11-22T03", "2026-11-22T3:14",
		"2026-11-22T03:14:1", "2026-11-22T03:14:15.", "2026-11-22T03:14:15.Z",
		"2026-11-22T03:14:15Zjunk", "2026-11-22T03:14:15ZZ",
		"2026-11-22x03:14:15", "2026-11-22T03-14-15", " 2026-11-22",
		"2026-11-22 ", "2026-13-01", "2026-00-10", "2026-11-00",
		"2026-11-32", "2026-11-22T24:00:00", "2026-11-22T03:60:00",
		"2026-11-22T03:14:61", "2026-02-29", "2026-02-30", "2100-02-29",
		"2026-04-31", "2026112", "20261122T0314", "2026-11-22T03:14:15+01:00",
		"abcd-ef-ghT03:14:15Z",
	};
	struct timespec ts;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		if (parse(bad[i], &ts) != -1)
			ck_abort_msg("accepted \"%s\"", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_int_eq(parse("2024-02-29", &ts), 0);
	ck_assert_int_eq(parse("2000-02-29", &ts), 0);
	ck_assert_int_eq(parse("2026-04-30", &ts), 0);
	ck_assert_int_eq(parse("2026-12-31T23:59:60Z", &ts), 0);
}
END_TEST

/* What timefmt_iso writes, timefmt_iso_parse reads back. */
START_TEST(test_iso_roundtrip)
{
	struct timespec in, out;
	char buf[ISO_LEN];
	int64_t s;

	for (s = -2208988800; s < 4200000000; s += 7777777) {
		in.tv_sec = (time_t)s;
		in.tv_nsec = (long)((uint64_t)s * 2654435761u % 1000000) * 1000;
		timefmt_iso(buf, &in);
		ck_assert_int_eq(timefmt_iso_parse(buf, ISO_LEN, &out), 0);
		ck_assert_int_eq(out.tv_sec, in.tv_sec);
		ck_assert_int_eq(out.tv_nsec, in.tv_nsec);
	}
}
END_TEST

static int
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Against a day-by-day count, 1600..2400. */
START_TEST(test_civil)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int64_t y, z, yy;
	unsigned m, d, mm, dd, n;

	z = timefmt_days_from_civil(1600, 1, 1);
	ck_assert_int_eq(timefmt_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(timefmt_days_from_civil(1900, 1, 1), -25567);
	for (y = 1600; y <= 2400; y++)
		for (m = 1; m <= 12; m++) {
			n = mdays[m - 1] + (m == 2 && leap(y));
			for (d = 1; d <= n; d++, z++) {
				ck_assert_int_eq(timefmt_days_from_civil(y, m,
				    d), z);
				timefmt_civil_from_days(z, &yy, &mm, &dd);
				ck_assert_int_eq(yy, y);
				ck_assert_uint_eq(mm, m);
				ck_assert_uint_eq(dd, d);
			}
		}
	ck_assert_int_eq(timefmt_days_from_civil(1900, 3, 1) -
	    timefmt_days_from_civil(1900, 2, 28), 1);
	ck_assert_int_eq(timefmt_days_from_civil(2000, 3, 1) -
	    timefmt_days_from_civil(2000, 2, 28), 2);
	ck_assert_int_eq(timefmt_days_from_civil(2100, 3, 1) -
	    timefmt_days_from_civil(2100, 2, 28), 1);
	ck_assert_int_eq(timefmt_days_from_civil(2100, 3, 1), 47541);
	ck_assert_int_eq(timefmt_days_from_civil(2000, 3, 1), 11017);
	/* Before year 0 too. */
	timefmt_civil_from_days(timefmt_days_from_civil(-1, 12, 31), &yy, &mm,
	    &dd);
	ck_assert_int_eq(yy, -1);
	ck_assert_uint_eq(mm, 12);
	ck_assert_uint_eq(dd, 31);
	ck_assert_int_eq(timefmt_days_from_civil(0, 1, 1) -
	    timefmt_days_from_civil(-1, 12, 31), 1);
}
END_TEST

START_TEST(test_duration)
{
	static const struct {
		const char	*s;
		int64_t		 ms;
	} ok[] = {
		{ "90", 90000 }, { "90s", 90000 }, { "250ms", 250 },
		{ "15m", 900000 }, { "2h", 7200000 }, { "1d", 86400000 },
		{ "0", 0 }, { "0ms", 0 }, { "007s", 7000 },
		{ "106751991167d", INT64_C(106751991167) * 86400000 },
	};
	static const char *bad[] = {
		"", "x", "5y", "-1", "+1", " 1", "1 ", "1.5s", "s", "ms",
		"1S", "1sec", "1mss", "99999999999999999999",
		"9223372036854775808ms", "106751991168d", "2562047788016h",
	};
	int64_t v;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		v = -1;
		if (timefmt_duration_parse(ok[i].s, &v) != 0)
			ck_abort_msg("rejected \"%s\"", ok[i].s);
		ck_assert_int_eq(v, ok[i].ms);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 42;
		errno = 0;
		if (timefmt_duration_parse(bad[i], &v) != -1)
			ck_abort_msg("accepted \"%s\"", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_int_eq(v, 42);
	}
}
END_TEST

START_TEST(test_now)
{
	struct timespec ts;
	int64_t a, b;
	time_t t;

	a = timefmt_now_ms();
	t = time(NULL);
	timefmt_now(&ts);
	ck_assert_int_le(ts.tv_sec - t, 1);
	ck_assert_int_ge(ts.tv_sec, t);
	ck_assert_int_ge(ts.tv_nsec, 0);
	ck_assert_int_lt(ts.tv_nsec, 1000000000);
	b = timefmt_now_ms();
	ck_assert_int_ge(b, a);
	ck_assert_int_lt(b - a, 1000);
}
END_TEST

static Suite *
timefmt_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("timefmt");
	tc = tcase_create("core");
	tcase_add_test(tc, test_tai64n_label);
	tcase_add_test(tc, test_tai64n_roundtrip);
	tcase_add_test(tc, test_tai64n_unpack);
	tcase_add_test(tc, test_iso_known);
	tcase_add_test(tc, test_iso_negative);
	tcase_add_test(tc, test_iso_far);
	tcase_add_test(tc, test_iso_compact);
	tcase_add_test(tc, test_iso_parse);
	tcase_add_test(tc, test_iso_parse_reject);
	tcase_add_test(tc, test_iso_roundtrip);
	tcase_add_test(tc, test_civil);
	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_now);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(timefmt_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
