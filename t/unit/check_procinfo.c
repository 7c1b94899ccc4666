/* check_procinfo: a process's start time as read from /proc. */
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "procinfo.h"

/* A child started now: its start time is now, to the second. */
START_TEST(test_fresh_child)
{
	struct timespec ts;
	long long start;
	pid_t pid;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	start = procinfo_starttime(pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ck_assert_int_ge(start, (long long)ts.tv_sec - 1);
	ck_assert_int_le(start, (long long)ts.tv_sec + 1);
}
END_TEST

/* PID 1 started long before this test, and before a child of ours. */
START_TEST(test_older_process)
{
	struct timespec ts;
	long long init;

	clock_gettime(CLOCK_REALTIME, &ts);
	init = procinfo_starttime(1);
	ck_assert_int_gt(init, 0);
	ck_assert_int_le(init, (long long)ts.tv_sec);
	ck_assert_int_le(init, procinfo_starttime(getpid()));
}
END_TEST

START_TEST(test_no_such_process)
{
	ck_assert_int_eq(procinfo_starttime((pid_t)0x3fffffff), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("procinfo");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_fresh_child);
	tcase_add_test(tc, test_older_process);
	tcase_add_test(tc, test_no_such_process);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
