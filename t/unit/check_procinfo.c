/* check_procinfo: a process's start time as read from /proc. */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <poll.h>
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

/* A child in a session of its own, whose stdin is our pipe: found; a
 * child with that stdin that leads no session: not found. */
START_TEST(test_find_fd)
{
	struct stat sb;
	int fd[2], ready[2];
	pid_t leader, member, found = 0;
	char c;

	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(fstat(fd[0], &sb), 0);
	ck_assert_int_eq(procinfo_find_fd(0, sb.st_dev, sb.st_ino, &found), 0);
	member = fork();
	ck_assert_int_ne(member, -1);
	if (member == 0) {
		dup2(fd[0], 0);
		pause();
		_exit(0);
	}
	leader = fork();
	ck_assert_int_ne(leader, -1);
	if (leader == 0) {
		setsid();
		dup2(fd[0], 0);
		(void)!write(ready[1], "x", 1);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	/* member may not have run its dup2 yet; it is no leader anyway. */
	ck_assert_int_eq(procinfo_find_fd(0, sb.st_dev, sb.st_ino, &found), 1);
	ck_assert_int_eq(found, leader);
	ck_assert_int_eq(procinfo_find_fd(200, sb.st_dev, sb.st_ino, &found),
	    0);
	kill(leader, SIGKILL);
	kill(member, SIGKILL);
	waitpid(leader, NULL, 0);
	waitpid(member, NULL, 0);
	ck_assert_int_eq(procinfo_find_fd(0, sb.st_dev, sb.st_ino, &found), 0);
}
END_TEST

/* A session leader started now is the run a fresh status names; one
 * stamped long before is not, nor a process that is no session leader. */
START_TEST(test_is_run)
{
	struct pollfd pfd;
	pid_t pid;
	int st, fd;
	char c;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		(void)setsid();
		(void)write(p[1], "x", 1);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(procinfo_is_run(pid, (long long)time(NULL)), 1);
	ck_assert_int_eq(procinfo_is_run(pid, (long long)time(NULL) - 100), 0);
	ck_assert_int_eq(procinfo_is_run(pid, (long long)time(NULL) + 100), 0);
	if (getsid(0) != getpid())
		ck_assert_int_eq(procinfo_is_run(getpid(),
		    (long long)time(NULL)), 0);
	fd = procinfo_pidfd(pid);
	kill(pid, SIGKILL);
	if (fd != -1) {
		ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
		pfd.fd = fd;
		pfd.events = POLLIN;
		ck_assert_int_eq(poll(&pfd, 1, 10000), 1);
		close(fd);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(procinfo_is_run(pid, (long long)time(NULL)), 0);
	ck_assert_int_eq(procinfo_is_run(0, 0), 0);
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
	tcase_add_test(tc, test_find_fd);
	tcase_add_test(tc, test_is_run);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
