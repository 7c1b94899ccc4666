/* check_selfpipe: signals arrive as bytes on the self-pipe. */
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "selfpipe.h"

START_TEST(test_init)
{
	int fd;

	fd = selfpipe_init();
	ck_assert_int_ge(fd, 0);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(fd, F_GETFL) & O_NONBLOCK);
	ck_assert_int_eq(selfpipe_init(), fd);
	ck_assert_int_eq(selfpipe_read(), 0);
}
END_TEST

START_TEST(test_raise)
{
	ck_assert_int_ge(selfpipe_init(), 0);
	ck_assert_int_eq(selfpipe_trap(SIGUSR1), 0);
	ck_assert_int_eq(raise(SIGUSR1), 0);
	ck_assert_int_eq(selfpipe_read(), SIGUSR1);
	ck_assert_int_eq(selfpipe_read(), 0);
}
END_TEST

START_TEST(test_order)
{
	ck_assert_int_ge(selfpipe_init(), 0);
	ck_assert_int_eq(selfpipe_trap(SIGUSR1), 0);
	ck_assert_int_eq(selfpipe_trap(SIGUSR2), 0);
	ck_assert_int_eq(selfpipe_trap(SIGHUP), 0);
	raise(SIGUSR2);
	raise(SIGHUP);
	raise(SIGUSR1);
	raise(SIGUSR2);
	ck_assert_int_eq(selfpipe_read(), SIGUSR2);
	ck_assert_int_eq(selfpipe_read(), SIGHUP);
	ck_assert_int_eq(selfpipe_read(), SIGUSR1);
	ck_assert_int_eq(selfpipe_read(), SIGUSR2);
	ck_assert_int_eq(selfpipe_read(), 0);
}
END_TEST

/* SIGCHLD on exit, but not when a child merely stops (SA_NOCLDSTOP). */
START_TEST(test_sigchld)
{
	pid_t pid;
	int st;

	ck_assert_int_ge(selfpipe_init(), 0);
	ck_assert_int_eq(selfpipe_trap(SIGCHLD), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &st, WUNTRACED), pid);
	ck_assert(WIFSTOPPED(st));
	ck_assert_int_eq(selfpipe_read(), 0);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(selfpipe_read(), SIGCHLD);
	ck_assert_int_eq(selfpipe_read(), 0);
}
END_TEST

START_TEST(test_ignore)
{
	ck_assert_int_ge(selfpipe_init(), 0);
	ck_assert_int_eq(selfpipe_trap(SIGUSR1), 0);
	ck_assert_int_eq(selfpipe_ignore(SIGUSR1), 0);
	raise(SIGUSR1);
	ck_assert_int_eq(selfpipe_read(), 0);
	ck_assert_int_eq(selfpipe_ignore(SIGKILL), -1);
}
END_TEST

/* The signals not at their default: those found so at the first ask (an
 * inherited ignore, a trap set before), then every one trapped or
 * ignored through selfpipe. */
START_TEST(test_nondefault)
{
	uint64_t m;

	signal(SIGUSR2, SIG_IGN);
	ck_assert_int_ge(selfpipe_init(), 0);
	ck_assert_int_eq(selfpipe_trap(SIGALRM), 0);
	m = selfpipe_nondefault();
	ck_assert(m & (uint64_t)1 << (SIGUSR2 - 1));
	ck_assert(m & (uint64_t)1 << (SIGALRM - 1));
	ck_assert(!(m & (uint64_t)1 << (SIGUSR1 - 1)));
	ck_assert(!(m & (uint64_t)1 << (SIGKILL - 1)));
	ck_assert(!(m & (uint64_t)1 << (SIGWINCH - 1)));
	ck_assert_int_eq(selfpipe_trap(SIGUSR1), 0);
	ck_assert_int_eq(selfpipe_ignore(SIGWINCH), 0);
	m = selfpipe_nondefault();
	ck_assert(m & (uint64_t)1 << (SIGUSR1 - 1));
	ck_assert(m & (uint64_t)1 << (SIGWINCH - 1));
	ck_assert(m & (uint64_t)1 << (SIGUSR2 - 1));
}
END_TEST

/* Trapped signals restart slow system calls (SA_RESTART). */
START_TEST(test_restart)
{
	int p[2];
	pid_t pid;
	char c;

	ck_assert_int_ge(selfpipe_init(), 0);
	ck_assert_int_eq(selfpipe_trap(SIGUSR1), 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR1);
		usleep(100000);
		_exit(write(p[1], "z", 1) == 1 ? 0 : 1);
	}
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(c, 'z');
	ck_assert_int_eq(selfpipe_read(), SIGUSR1);
	waitpid(pid, NULL, 0);
}
END_TEST

/* A full pipe neither blocks the handler nor clobbers errno. */
START_TEST(test_full)
{
	long i, n;

	ck_assert_int_ge(selfpipe_init(), 0);
	ck_assert_int_eq(selfpipe_trap(SIGUSR1), 0);
	for (i = 0; i < 70000; i++)
		raise(SIGUSR1);
	errno = EDOM;
	raise(SIGUSR1);
	ck_assert_int_eq(errno, EDOM);
	for (n = 0; selfpipe_read() == SIGUSR1; n++)
		;
	ck_assert_int_ge(n, 4096);
	ck_assert_int_lt(n, 70000);
	ck_assert_int_eq(selfpipe_read(), 0);
}
END_TEST

static Suite *
selfpipe_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("selfpipe");
	tc = tcase_create("core");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_raise);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_sigchld);
	tcase_add_test(tc, test_ignore);
	tcase_add_test(tc, test_nondefault);
	tcase_add_test(tc, test_restart);
	tcase_add_test(tc, test_full);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(selfpipe_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
