/* check_path: joining paths into bounded buffers, and existence. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

START_TEST(test_join)
{
	char buf[8];

	ck_assert_int_eq(path_join(buf, sizeof buf, "ab", "cd"), 0);
	ck_assert_str_eq(buf, "ab/cd");
	ck_assert_int_eq(path_join(buf, sizeof buf, "abc", "def"), 0);
	ck_assert_str_eq(buf, "abc/def");
	errno = 0;
	ck_assert_int_eq(path_join(buf, sizeof buf, "abcd", "efg"), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_exists)
{
	ck_assert_int_eq(path_exists("/", "tmp"), 1);
	ck_assert_int_eq(path_exists("/", "no-such-file-tend"), 0);
	ck_assert_int_eq(path_exists("/dev", "null"), 1);
}
END_TEST

/* Executable or not; a path past its 255 bytes reads as not. */
START_TEST(test_isexec)
{
	char longname[300];

	ck_assert_int_eq(path_isexec("/bin", "sh"), 1);
	ck_assert_int_eq(path_isexec("/dev", "null"), 0);
	ck_assert_int_eq(path_isexec("/", "no-such-file-tend"), 0);
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	ck_assert_int_eq(path_isexec("/bin", longname), 0);
}
END_TEST

/* This test's own binary is beside itself; a missing name is not. */
START_TEST(test_beside_self)
{
	char buf[PATH_MAX], small[4];
	size_t n;

	ck_assert_int_eq(path_beside_self(buf, sizeof buf, "x", "check_path"),
	    0);
	n = strlen(buf);
	ck_assert_uint_gt(n, strlen("/t/unit/check_path"));
	ck_assert_str_eq(buf + n - strlen("/t/unit/check_path"),
	    "/t/unit/check_path");
	errno = 0;
	ck_assert_int_eq(path_beside_self(buf, sizeof buf, "x",
	    "no-such-program-tend"), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(path_beside_self(small, sizeof small, "x",
	    "check_path"), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("path");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_join);
	tcase_add_test(tc, test_exists);
	tcase_add_test(tc, test_isexec);
	tcase_add_test(tc, test_beside_self);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
