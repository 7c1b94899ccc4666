/* check_deadline: poll timeouts from deadlines, timespec order and moves. */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include "deadline.h"

START_TEST(test_earliest)
{
	ck_assert_int_eq(deadline_earliest(5, 7), 5);
	ck_assert_int_eq(deadline_earliest(7, 5), 5);
	ck_assert_int_eq(deadline_earliest(NOTIME, 3), 3);
	ck_assert(deadline_earliest(NOTIME, NOTIME) ==
	    NOTIME);
}
END_TEST

START_TEST(test_timeout)
{
	ck_assert_int_eq(deadline_timeout(NOTIME, 100), -1);
	ck_assert_int_eq(deadline_timeout(100, 100), 0);
	ck_assert_int_eq(deadline_timeout(50, 100), 0);
	ck_assert_int_eq(deadline_timeout(150, 100), 50);
	ck_assert_int_eq(deadline_timeout((int64_t)INT_MAX * 4, 0), INT_MAX);
}
END_TEST

START_TEST(test_ts)
{
	struct timespec a = { 10, 999999999 }, b = { 11, 0 };

	ck_assert_int_eq(deadline_ts_cmp(&a, &b), -1);
	ck_assert_int_eq(deadline_ts_cmp(&b, &a), 1);
	ck_assert_int_eq(deadline_ts_cmp(&a, &a), 0);
	deadline_ts_add_ms(&a, 1);
	ck_assert(a.tv_sec == 11 && a.tv_nsec == 999999);
	deadline_ts_add_ms(&a, -2);
	ck_assert(a.tv_sec == 10 && a.tv_nsec == 998999999);
	deadline_ts_add_ms(&b, 2500);
	ck_assert(b.tv_sec == 13 && b.tv_nsec == 500000000);
	deadline_ts_add_ms(&b, -13500);
	ck_assert(b.tv_sec == 0 && b.tv_nsec == 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("deadline");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_earliest);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_ts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
