/* check_diag: the one diagnostic format on stderr, exit codes, errno. */
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

/* Run fn in a child with stderr on a pipe; return what it wrote (at most
 * len - 1 bytes, NUL-terminated) and its wait status in *st. */
static size_t
capture(void (*fn)(void), char *buf, size_t len, int *st)
{
	int p[2];
	pid_t pid;
	ssize_t r;
	size_t n = 0;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(p[0]);
		if (dup2(p[1], 2) == -1)
			_exit(99);
		close(p[1]);
		fn();
		_exit(0);
	}
	close(p[1]);
	while (n < len - 1 && (r = read(p[0], buf + n, len - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, st, 0), pid);
	return n;
}

static void
do_die_sys(void)
{
	diag_init("prog");
	errno = ENOENT;
	die_sys(EXIT_TEMP, "unable to %s", "X");
}

static void
do_die_x(void)
{
	diag_init("prog");
	errno = ENOENT;
	die_x(EXIT_USAGE, "bad %s %d", "thing", 42);
}

static void
do_warn_sys(void)
{
	diag_init("supervise sv/web");
	errno = EAGAIN;
	warn_sys("unable to acquire %s", "supervise/lock");
}

static void
do_warn_x(void)
{
	diag_init("svc");
	warn_x("unable to control %s: supervise not running", "sv/web");
}

static void
do_usage(void)
{
	diag_init("svok");
	die_usage("svok DIR");
}

static char longarg[3000];

static void
do_long(void)
{
	diag_init("prog");
	errno = ENOENT;
	warn_sys("unable to open %s", longarg);
	die_sys(EXIT_TEMP, "unable to open %s", longarg);
}

START_TEST(test_die_sys_format)
{
	char buf[2048];
	int st;

	capture(do_die_sys, buf, sizeof buf, &st);
	ck_assert_str_eq(buf, "prog: fatal: unable to X: file does not exist\n");
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 111);
}
END_TEST

START_TEST(test_die_x_format)
{
	char buf[2048];
	int st;

	capture(do_die_x, buf, sizeof buf, &st);
	ck_assert_str_eq(buf, "prog: fatal: bad thing 42\n");
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 100);
}
END_TEST

START_TEST(test_warn_sys_format)
{
	char buf[2048];
	int st;

	capture(do_warn_sys, buf, sizeof buf, &st);
	ck_assert_str_eq(buf, "supervise sv/web: warning: unable to acquire "
	    "supervise/lock: temporary failure\n");
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

START_TEST(test_warn_x_format)
{
	char buf[2048];
	int st;

	capture(do_warn_x, buf, sizeof buf, &st);
	ck_assert_str_eq(buf,
	    "svc: warning: unable to control sv/web: supervise not running\n");
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

START_TEST(test_usage)
{
	char buf[2048];
	int st;

	capture(do_usage, buf, sizeof buf, &st);
	ck_assert_str_eq(buf, "usage: svok DIR\n");
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 100);
}
END_TEST

START_TEST(test_prefix)
{
	ck_assert_str_eq(diag_prefix(), "tend");
	diag_init("svscan");
	ck_assert_str_eq(diag_prefix(), "svscan");
}
END_TEST

/* Long messages are cut, but stay one line ending in a newline. */
START_TEST(test_truncated)
{
	char buf[8192], *nl;
	size_t n;
	int st;

	memset(longarg, 'a', sizeof longarg - 1);
	longarg[sizeof longarg - 1] = '\0';
	n = capture(do_long, buf, sizeof buf, &st);
	ck_assert_int_eq(WEXITSTATUS(st), 111);
	/* Two lines: the warning, then the fatal one. */
	nl = strchr(buf, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_uint_le((size_t)(nl - buf) + 1, 1024);
	ck_assert_uint_gt((size_t)(nl - buf), 900);
	ck_assert(strncmp(buf, "prog: warning: unable to open aaa", 33) == 0);
	ck_assert(strncmp(nl - 3, "...\n", 4) == 0);
	ck_assert(strncmp(nl + 1, "prog: fatal: unable to open aaa", 31) == 0);
	ck_assert_ptr_eq(strchr(nl + 1, '\n'), buf + n - 1);
	ck_assert(strncmp(buf + n - 4, "...\n", 4) == 0);
	ck_assert_uint_le(n - (size_t)(nl + 1 - buf), 1024);
	ck_assert_ptr_null(memchr(buf, '\0', n));
}
END_TEST

/* A message that fits exactly is not cut. */
START_TEST(test_not_truncated_short)
{
	char buf[2048];
	int st;

	memset(longarg, 'b', 900);
	longarg[900] = '\0';
	capture(do_long, buf, sizeof buf, &st);
	ck_assert_uint_eq(strlen(buf), 2 * (strlen("prog: warning: unable to "
	    "open : file does not exist\n") + 900) - strlen("warning") +
	    strlen("fatal"));
	ck_assert_ptr_null(strstr(buf, "..."));
}
END_TEST

START_TEST(test_warn_keeps_errno)
{
	int p[2], saved;
	char buf[256];

	ck_assert_int_eq(pipe(p), 0);
	saved = dup(2);
	ck_assert_int_ne(saved, -1);
	ck_assert_int_ne(dup2(p[1], 2), -1);
	errno = EDOM;
	warn_sys("one");
	ck_assert_int_eq(errno, EDOM);
	errno = ERANGE;
	warn_x("two");
	ck_assert_int_eq(errno, ERANGE);
	/* Also when the write itself fails. */
	close(2);
	errno = EDOM;
	warn_sys("three");
	ck_assert_int_eq(errno, EDOM);
	warn_x("four");
	ck_assert_int_eq(errno, EDOM);
	dup2(saved, 2);
	close(p[1]);
	ck_assert_int_gt(read(p[0], buf, sizeof buf), 0);
}
END_TEST

START_TEST(test_errstr)
{
	ck_assert_str_eq(diag_errstr(ENOENT), "file does not exist");
	ck_assert_str_eq(diag_errstr(EAGAIN), "temporary failure");
	ck_assert_str_eq(diag_errstr(EACCES), "access denied");
	ck_assert_str_eq(diag_errstr(ENXIO), "device not configured");
	ck_assert_str_eq(diag_errstr(ENOSPC), "out of disk space");
	ck_assert_str_eq(diag_errstr(EPERM), strerror(EPERM));
}
END_TEST

START_TEST(test_exit_die_sys)
{
	close(2);
	errno = EIO;
	die_sys(EXIT_TEMP, "unable to do it");
}
END_TEST

START_TEST(test_exit_die_x)
{
	close(2);
	die_x(EXIT_USAGE, "usage");
}
END_TEST

START_TEST(test_exit_die_bug)
{
	close(2);
	die_x(EXIT_BUG, "internal error");
}
END_TEST

START_TEST(test_exit_die_usage)
{
	close(2);
	die_usage("prog");
}
END_TEST

/* Symbolic errno names for history records; NULL for the unlisted. */
START_TEST(test_errname)
{
	ck_assert_str_eq(diag_errname(ENOENT), "ENOENT");
	ck_assert_str_eq(diag_errname(EACCES), "EACCES");
	ck_assert_str_eq(diag_errname(EBADF), "EBADF");
	ck_assert_ptr_null(diag_errname(0));
	ck_assert_ptr_null(diag_errname(-1));
}
END_TEST

static Suite *
diag_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("diag");
	tc = tcase_create("format");
	tcase_add_test(tc, test_die_sys_format);
	tcase_add_test(tc, test_errname);
	tcase_add_test(tc, test_die_x_format);
	tcase_add_test(tc, test_warn_sys_format);
	tcase_add_test(tc, test_warn_x_format);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_prefix);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_not_truncated_short);
	tcase_add_test(tc, test_warn_keeps_errno);
	tcase_add_test(tc, test_errstr);
	suite_add_tcase(s, tc);
	tc = tcase_create("exit");
	tcase_add_exit_test(tc, test_exit_die_sys, 111);
	tcase_add_exit_test(tc, test_exit_die_x, 100);
	tcase_add_exit_test(tc, test_exit_die_bug, 101);
	tcase_add_exit_test(tc, test_exit_die_usage, 100);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(diag_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
