/* check_logscan: fixed-string patterns, matching a line's text as
 * regexec would, the last stamp of a block. */
#include <check.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logscan.h"

#define STAMP	"2026-11-22T03:14:15.123456Z"
#define STAMP2	"2026-11-22T03:14:16.000001Z"

START_TEST(test_fixed)
{
	ck_assert_int_eq(logscan_fixed("req-1234"), 1);
	ck_assert_int_eq(logscan_fixed("line 1999999 "), 1);
	ck_assert_int_eq(logscan_fixed("a/b:c,d=e"), 1);
	ck_assert_int_eq(logscan_fixed(""), 0);
	ck_assert_int_eq(logscan_fixed("a.b"), 0);
	ck_assert_int_eq(logscan_fixed("^a"), 0);
	ck_assert_int_eq(logscan_fixed("a$"), 0);
	ck_assert_int_eq(logscan_fixed("a|b"), 0);
	ck_assert_int_eq(logscan_fixed("a*"), 0);
	ck_assert_int_eq(logscan_fixed("a+"), 0);
	ck_assert_int_eq(logscan_fixed("a?"), 0);
	ck_assert_int_eq(logscan_fixed("(a)"), 0);
	ck_assert_int_eq(logscan_fixed("[a]"), 0);
	ck_assert_int_eq(logscan_fixed("a{2}"), 0);
	ck_assert_int_eq(logscan_fixed("a\\b"), 0);
	ck_assert_int_eq(logscan_fixed("a\nb"), 0);
}
END_TEST

/* logscan_text_has agrees with regexec on the text after the stamp. */
static void
agree(const char *line, size_t len, const char *pat)
{
	regex_t re;
	char buf[256];
	int want;
	size_t off = 0;

	ck_assert_int_eq(regcomp(&re, pat, REG_EXTENDED | REG_NOSUB), 0);
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (len > 28 && buf[27] == ' ')
		off = 28;
	want = regexec(&re, buf + off, 0, NULL, 0) == 0;
	regfree(&re);
	ck_assert_int_eq(logscan_text_has(line, len, pat, strlen(pat)), want);
}

START_TEST(test_text_has)
{
	static const char l1[] = STAMP " GET /x req-42 200";
	static const char l2[] = STAMP " a\0req-42";
	static const char l3[] = "no stamp req-42";

	ck_assert_int_eq(logscan_text_has(l1, sizeof l1 - 1, "req-42", 6), 1);
	ck_assert_int_eq(logscan_text_has(l1, sizeof l1 - 1, "req-43", 6), 0);
	/* the stamp is not text */
	ck_assert_int_eq(logscan_text_has(l1, sizeof l1 - 1, "2026", 4), 0);
	ck_assert_int_eq(logscan_text_has(l1, sizeof l1 - 1, "Z GET", 5), 0);
	/* a NUL ends what regexec sees */
	ck_assert_int_eq(logscan_text_has(l2, sizeof l2 - 1, "req", 3), 0);
	ck_assert_int_eq(logscan_text_has(l2, sizeof l2 - 1, "a", 1), 1);
	/* no stamp: all of it is text */
	ck_assert_int_eq(logscan_text_has(l3, sizeof l3 - 1, "no st", 5), 1);
	agree(l1, sizeof l1 - 1, "req-42");
	agree(l1, sizeof l1 - 1, "2026");
	agree(l2, sizeof l2 - 1, "req");
	agree(l3, sizeof l3 - 1, "stamp");
	agree(l1, 29, "G");
}
END_TEST

START_TEST(test_last_stamp)
{
	static const char b1[] = STAMP " a\n" STAMP2 " b\n";
	static const char b2[] = STAMP " a\nno stamp\n\n";
	static const char b3[] = STAMP " a\n" STAMP2 "+unterminated";
	static const char b4[] = "x\ny\n";
	struct timespec ts;

	ck_assert_int_eq(logscan_last_stamp(b1, sizeof b1 - 1, &ts), 1);
	ck_assert_int_eq(ts.tv_nsec, 1000);
	ck_assert_int_eq(logscan_last_stamp(b2, sizeof b2 - 1, &ts), 1);
	ck_assert_int_eq(ts.tv_nsec, 123456000);
	ck_assert_int_eq(logscan_last_stamp(b3, sizeof b3 - 1, &ts), 1);
	ck_assert_int_eq(ts.tv_nsec, 1000);
	ck_assert_int_eq(logscan_last_stamp(b4, sizeof b4 - 1, &ts), 0);
	ck_assert_int_eq(logscan_last_stamp("", 0, &ts), 0);
	ck_assert_int_eq(logscan_last_stamp("\n", 1, &ts), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logscan");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_fixed);
	tcase_add_test(tc, test_text_has);
	tcase_add_test(tc, test_last_stamp);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
