/* check_logline: stamps, line splitting and marking, parsing them back. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logline.h"
#include "timefmt.h"

static const struct timespec T0 = { 1795317255, 123456789 };

#define STAMP	"2026-11-22T03:14:15.123456Z"

static size_t
fmt(struct logline *ll, const char *in, size_t len, int final, char *out,
    size_t cap, size_t *used)
{
	size_t olen = 0;

	*used = logline_format(ll, in, len, final, out, cap, &olen);
	return olen;
}

START_TEST(test_iso_lines)
{
	struct logline ll;
	char out[256];
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 100);
	logline_stamp(&ll, &T0);
	n = fmt(&ll, "a\nbc\n", 5, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 5);
	ck_assert_uint_eq(n, 2 * 29 + 3);
	ck_assert(memcmp(out, STAMP " a\n" STAMP " bc\n", n) == 0);
}
END_TEST

START_TEST(test_empty_line)
{
	struct logline ll;
	char out[256];
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 100);
	logline_stamp(&ll, &T0);
	n = fmt(&ll, "\n", 1, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 1);
	ck_assert(memcmp(out, STAMP " \n", n) == 0);
}
END_TEST

START_TEST(test_partial_waits)
{
	struct logline ll;
	char out[256];
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 100);
	logline_stamp(&ll, &T0);
	n = fmt(&ll, "a\npart", 6, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(n, 30);
	/* At the end of input the last line gets its newline. */
	n = fmt(&ll, "part", 4, 1, out, sizeof out, &used);
	ck_assert_uint_eq(used, 4);
	ck_assert(memcmp(out, STAMP " part\n", n) == 0);
}
END_TEST

START_TEST(test_split_marked)
{
	struct logline ll;
	char out[256];
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 4);
	logline_stamp(&ll, &T0);
	n = fmt(&ll, "abcdefghij\nxy\n", 14, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 14);
	ck_assert_uint_eq(n, strlen(STAMP " abcd\n" STAMP "+efgh\n"
	    STAMP "+ij\n" STAMP " xy\n"));
	ck_assert(memcmp(out, STAMP " abcd\n" STAMP "+efgh\n" STAMP "+ij\n"
	    STAMP " xy\n", n) == 0);
}
END_TEST

START_TEST(test_exact_max_not_split)
{
	struct logline ll;
	char out[256];
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 4);
	logline_stamp(&ll, &T0);
	/* Exactly max bytes: wait for the byte after to decide. */
	n = fmt(&ll, "abcd", 4, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 0);
	ck_assert_uint_eq(n, 0);
	n = fmt(&ll, "abcd\n", 5, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 5);
	ck_assert(memcmp(out, STAMP " abcd\n", n) == 0);
}
END_TEST

START_TEST(test_split_across_calls)
{
	struct logline ll;
	char out[256];
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 4);
	logline_stamp(&ll, &T0);
	n = fmt(&ll, "abcdef", 6, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 4);
	ck_assert(memcmp(out, STAMP " abcd\n", n) == 0);
	n = fmt(&ll, "ef\n", 3, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 3);
	ck_assert(memcmp(out, STAMP "+ef\n", n) == 0);
	n = fmt(&ll, "g\n", 2, 0, out, sizeof out, &used);
	ck_assert(memcmp(out, STAMP " g\n", n) == 0);
}
END_TEST

START_TEST(test_nul_and_binary_kept)
{
	struct logline ll;
	char out[256];
	const char in[] = { 'a', '\0', (char)0xff, (char)0xc3, 'b', '\n' };
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 100);
	logline_stamp(&ll, &T0);
	n = fmt(&ll, in, sizeof in, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, sizeof in);
	ck_assert_uint_eq(n, 28 + sizeof in);
	ck_assert(memcmp(out + 28, in, sizeof in) == 0);
}
END_TEST

START_TEST(test_cap_stops)
{
	struct logline ll;
	char out[256];
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 100);
	logline_stamp(&ll, &T0);
	/* Room for one line of 30 bytes only. */
	n = fmt(&ll, "a\nb\n", 4, 0, out, 45, &used);
	ck_assert_uint_eq(used, 2);
	ck_assert_uint_eq(n, 30);
	n = fmt(&ll, "a\n", 2, 0, out, 29, &used);
	ck_assert_uint_eq(used, 0);
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_tai64n_and_none)
{
	struct logline ll;
	char out[256];
	size_t used, n;

	logline_init(&ll, LOGLINE_TAI64N, 100);
	logline_stamp(&ll, &T0);
	n = fmt(&ll, "x\n", 2, 0, out, sizeof out, &used);
	ck_assert_uint_eq(n, 28);
	/* 2^62 + 10 + 1795317255 = 0x400000006b025e11, 123456789 ns. */
	ck_assert(memcmp(out, "@400000006b025e11075bcd15 x\n", n) == 0);
	logline_init(&ll, LOGLINE_NONE, 3);
	logline_stamp(&ll, &T0);
	n = fmt(&ll, "x\nabcdef\n", 9, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 9);
	ck_assert(memcmp(out, "x\nabc\ndef\n", n) == 0);
}
END_TEST

START_TEST(test_name)
{
	struct logline ll;
	char out[256], longname[LOGLINE_NAMEMAX + 2];
	size_t used, n;

	logline_init(&ll, LOGLINE_ISO, 3);
	logline_stamp(&ll, &T0);
	ck_assert_int_eq(logline_name(&ll, "web"), 0);
	n = fmt(&ll, "abcd\n", 5, 0, out, sizeof out, &used);
	ck_assert_uint_eq(used, 5);
	/* Every piece of a split line carries the name after its stamp. */
	ck_assert_uint_eq(n, 2 * (28 + 5) + 3 + 1 + 2);
	ck_assert(memcmp(out, STAMP " web: abc\n" STAMP "+web: d\n", n) == 0);
	/* Room for the text but not the name: nothing is written. */
	n = fmt(&ll, "ab\n", 3, 0, out, 28 + 3 + 3, &used);
	ck_assert_uint_eq(used, 0);
	ck_assert_int_eq(logline_name(&ll, "a\nb"), -1);
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_int_eq(logline_name(&ll, longname), -1);
	logline_init(&ll, LOGLINE_NONE, 100);
	ck_assert_int_eq(logline_name(&ll, "w"), 0);
	n = fmt(&ll, "x\n", 2, 0, out, sizeof out, &used);
	ck_assert(n == 5 && memcmp(out, "w: x\n", 5) == 0);
}
END_TEST

START_TEST(test_parse)
{
	struct timespec ts;
	const char *l1 = STAMP " hello";
	const char *l2 = STAMP "+more";
	const char *l3 = "@400000006b025e11075bcd15 x";
	const char *l4 = "no stamp here at all, but long enough";
	int cont;

	ck_assert_uint_eq(logline_parse(l1, strlen(l1), &ts, &cont), 28);
	ck_assert_int_eq(ts.tv_sec, T0.tv_sec);
	ck_assert_int_eq(ts.tv_nsec, 123456000);
	ck_assert_int_eq(cont, 0);
	ck_assert_uint_eq(logline_parse(l2, strlen(l2), &ts, &cont), 28);
	ck_assert_int_eq(cont, 1);
	ck_assert_uint_eq(logline_parse(l3, strlen(l3), &ts, &cont), 26);
	ck_assert_int_eq(ts.tv_sec, T0.tv_sec);
	ck_assert_int_eq(ts.tv_nsec, T0.tv_nsec);
	ck_assert_uint_eq(logline_parse(l4, strlen(l4), &ts, &cont), 0);
	ck_assert_uint_eq(logline_parse("2026", 4, &ts, &cont), 0);
	ck_assert_uint_eq(logline_parse(STAMP, 27, &ts, &cont), 0);
}
END_TEST

START_TEST(test_modes)
{
	ck_assert_int_eq(logline_mode_parse("iso"), LOGLINE_ISO);
	ck_assert_int_eq(logline_mode_parse("tai64n"), LOGLINE_TAI64N);
	ck_assert_int_eq(logline_mode_parse("none"), LOGLINE_NONE);
	ck_assert_int_eq(logline_mode_parse("utc"), -1);
	ck_assert_uint_eq(logline_prefix_len(LOGLINE_ISO), 28);
	ck_assert_uint_eq(logline_prefix_len(LOGLINE_TAI64N), 26);
	ck_assert_uint_eq(logline_prefix_len(LOGLINE_NONE), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logline");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_iso_lines);
	tcase_add_test(tc, test_empty_line);
	tcase_add_test(tc, test_partial_waits);
	tcase_add_test(tc, test_split_marked);
	tcase_add_test(tc, test_exact_max_not_split);
	tcase_add_test(tc, test_split_across_calls);
	tcase_add_test(tc, test_nul_and_binary_kept);
	tcase_add_test(tc, test_cap_stops);
	tcase_add_test(tc, test_tai64n_and_none);
	tcase_add_test(tc, test_name);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_modes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
