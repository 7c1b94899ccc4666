/* check_svscript: scripts run beside a service, bounded in time. Real
 * `sh -c` children in a temporary directory; the timers are driven with
 * explicit `now` values, and the test process is a child subreaper so
 * that a script's own children, orphaned, are reaped (and seen killed)
 * here. */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "fdutil.h"
#include "spawn.h"
#include "svscript.h"

static char tmpdir[] = "/tmp/check_svscript.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
}

static int
rm1(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
teardown(void)
{
	(void)chdir("/");
	(void)nftw(tmpdir, rm1, 16, FTW_DEPTH | FTW_PHYS);
}

/* Start `sh -c script` as s's script at now with timeout ms; its stdout
 * to out (-1: ours). */
static pid_t
start(struct svscript *s, const char *script, int out, int64_t timeout,
    int64_t now)
{
	char *argv[] = { "sh", "-c", NULL, NULL };
	struct spawn sp;
	pid_t pid;

	argv[2] = (char *)script;
	spawn_init(&sp, "/bin/sh", argv);
	sp.fd[1] = out;
	pid = svscript_start(s, &sp, timeout, now);
	ck_assert_int_gt(pid, 0);
	return pid;
}

/* The wait status of pid, which must end. */
static int
reap(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* pid has not ended yet. */
static void
alive(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), 0);
}

/* Read a decimal pid, one line, from fd (blocking). */
static pid_t
readpid(int fd)
{
	char buf[32];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof buf - 1 && (r = read(fd, buf + n, 1)) == 1)
		if (buf[n++] == '\n')
			break;
	buf[n] = '\0';
	ck_assert_int_gt(n, 1);
	return (pid_t)atol(buf);
}

/* A script whose child ignores TERM: the child's pid on stdout once its
 * TERM is ignored, then the script waits. */
static const char kidscript[] =
    "sh -c 'trap \"\" TERM; echo $$; exec sleep 100' & wait";

START_TEST(test_start_deadline)
{
	struct svscript s;
	pid_t pid;

	svscript_init(&s);
	ck_assert_int_eq(s.pid, 0);
	ck_assert_int_eq(s.pgid, 0);
	ck_assert_int_eq(svscript_deadline(&s), NOTIME);
	pid = start(&s, "exit 3", -1, 500, 1000);
	ck_assert_int_eq(s.pid, pid);
	ck_assert_int_eq(s.started, 1000);
	ck_assert_int_eq(s.at, 1500);
	ck_assert_int_eq(s.timedout, 0);
	ck_assert_int_eq(svscript_deadline(&s), 1500);
	ck_assert_int_eq(svscript_reaped(&s, pid + 1), 0);
	ck_assert_int_eq(s.pid, pid);
	ck_assert_int_eq(WEXITSTATUS(reap(pid)), 3);
	ck_assert_int_eq(svscript_reaped(&s, pid), 1);
	ck_assert_int_eq(s.pid, 0);
	ck_assert_int_eq(svscript_deadline(&s), NOTIME);
	ck_assert_int_eq(svscript_reaped(&s, pid), 0);	/* once */
	/* No timeout: no deadline. */
	pid = start(&s, "exit 0", -1, 0, 2000);
	ck_assert_int_eq(s.at, NOTIME);
	ck_assert_int_eq(svscript_deadline(&s), NOTIME);
	svscript_timers(&s, 1000000);
	ck_assert_int_eq(s.timedout, 0);
	ck_assert_int_eq(WEXITSTATUS(reap(pid)), 0);
	ck_assert_int_eq(svscript_reaped(&s, pid), 1);
}
END_TEST

/* Its own session: its pgid is its pid, even read right away. */
START_TEST(test_session)
{
	struct svscript s;
	pid_t pid;

	svscript_init(&s);
	pid = start(&s, "exec sleep 100", -1, 0, 0);
	ck_assert_int_eq(getpgid(pid), pid);
	ck_assert_int_eq(getsid(pid), pid);
	svscript_cancel(&s);
	ck_assert_int_eq(WTERMSIG(reap(pid)), SIGKILL);
}
END_TEST

/* At the timeout the group gets TERM; a child that ignores it gets KILL
 * SVSCRIPT_KILL_MS later, although the script is gone by then. */
START_TEST(test_timeout_kill)
{
	struct svscript s;
	pid_t pid, kid;
	int fd[2];

	ck_assert_int_eq(pipe2(fd, O_CLOEXEC), 0);
	svscript_init(&s);
	pid = start(&s, kidscript, fd[1], 300, 10000);
	close(fd[1]);
	kid = readpid(fd[0]);
	ck_assert_int_eq(getpgid(kid), pid);
	svscript_timers(&s, 10299);		/* not yet */
	alive(pid);
	ck_assert_int_eq(s.timedout, 0);
	ck_assert_int_eq(s.pgid, 0);
	ck_assert_int_eq(svscript_deadline(&s), 10300);
	svscript_timers(&s, 10300);
	ck_assert_int_eq(s.timedout, 1);
	ck_assert_int_eq(s.pgid, pid);
	ck_assert_int_eq(s.at, NOTIME);
	ck_assert_int_eq(s.killat, 10300 + SVSCRIPT_KILL_MS);
	ck_assert_int_eq(svscript_deadline(&s), 10300 + SVSCRIPT_KILL_MS);
	ck_assert_int_eq(WTERMSIG(reap(pid)), SIGTERM);
	ck_assert_int_eq(svscript_reaped(&s, pid), 1);
	/* The group stays until its KILL. */
	ck_assert_int_eq(s.pgid, pid);
	ck_assert_int_eq(svscript_deadline(&s), 10300 + SVSCRIPT_KILL_MS);
	alive(kid);
	svscript_timers(&s, 10300 + SVSCRIPT_KILL_MS - 1);
	alive(kid);
	svscript_timers(&s, 10300 + SVSCRIPT_KILL_MS);
	ck_assert_int_eq(WTERMSIG(reap(kid)), SIGKILL);
	ck_assert_int_eq(s.pgid, 0);
	ck_assert_int_eq(s.killat, NOTIME);
	ck_assert_int_eq(svscript_deadline(&s), NOTIME);
	close(fd[0]);
}
END_TEST

/* A stopped script still ends at its timeout: CONT goes with the TERM. */
START_TEST(test_timeout_stopped)
{
	struct svscript s;
	pid_t pid;
	int st;

	svscript_init(&s);
	pid = start(&s, "exec sleep 100", -1, 50, 0);
	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	ck_assert_int_eq(waitpid(pid, &st, WUNTRACED), pid);
	ck_assert(WIFSTOPPED(st));
	svscript_timers(&s, 50);
	do
		ck_assert_int_eq(waitpid(pid, &st, WCONTINUED), pid);
	while (WIFCONTINUED(st));
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGTERM);
	ck_assert_int_eq(svscript_reaped(&s, pid), 1);
	svscript_timers(&s, 50 + SVSCRIPT_KILL_MS);
	ck_assert_int_eq(s.pgid, 0);
}
END_TEST

/* Cancel KILLs the whole group at once; the script is no longer its. */
START_TEST(test_cancel)
{
	struct svscript s;
	pid_t pid, kid;
	int fd[2];

	ck_assert_int_eq(pipe2(fd, O_CLOEXEC), 0);
	svscript_init(&s);
	pid = start(&s, kidscript, fd[1], 5000, 0);
	close(fd[1]);
	kid = readpid(fd[0]);
	svscript_cancel(&s);
	ck_assert_int_eq(s.pid, 0);
	ck_assert_int_eq(s.pgid, 0);
	ck_assert_int_eq(svscript_deadline(&s), NOTIME);
	ck_assert_int_eq(WTERMSIG(reap(pid)), SIGKILL);
	ck_assert_int_eq(WTERMSIG(reap(kid)), SIGKILL);
	ck_assert_int_eq(svscript_reaped(&s, pid), 0);
	close(fd[0]);
}
END_TEST

/* Cancel after the timeout, the script gone, its group still there. */
START_TEST(test_cancel_timedout)
{
	struct svscript s;
	pid_t pid, kid;
	int fd[2];

	ck_assert_int_eq(pipe2(fd, O_CLOEXEC), 0);
	svscript_init(&s);
	pid = start(&s, kidscript, fd[1], 10, 0);
	close(fd[1]);
	kid = readpid(fd[0]);
	svscript_timers(&s, 10);
	ck_assert_int_eq(WTERMSIG(reap(pid)), SIGTERM);
	ck_assert_int_eq(svscript_reaped(&s, pid), 1);
	alive(kid);
	svscript_cancel(&s);
	ck_assert_int_eq(WTERMSIG(reap(kid)), SIGKILL);
	ck_assert_int_eq(svscript_deadline(&s), NOTIME);
	close(fd[0]);
}
END_TEST

/* Passed: exited 0, nothing else. */
START_TEST(test_passed)
{
	struct svscript s;
	pid_t pid;

	svscript_init(&s);
	pid = start(&s, "exit 0", -1, 0, 0);
	ck_assert_int_eq(svscript_passed(reap(pid)), 1);
	pid = start(&s, "exit 1", -1, 0, 0);
	ck_assert_int_eq(svscript_passed(reap(pid)), 0);
	pid = start(&s, "exit 255", -1, 0, 0);
	ck_assert_int_eq(svscript_passed(reap(pid)), 0);
	pid = start(&s, "kill -USR1 $$", -1, 0, 0);
	ck_assert_int_eq(svscript_passed(reap(pid)), 0);
	ck_assert_int_eq(svscript_passed(-1), 0);
}
END_TEST

static off_t
fsize(const char *p)
{
	struct stat sb;

	if (stat(p, &sb) == -1)
		return -1;
	return sb.st_size;
}

/* The output goes to NAME.new, then replaces NAME cut to max bytes. */
START_TEST(test_keep)
{
	static char buf[6000];
	struct svscript s;
	pid_t pid;
	int fd, fl;

	ck_assert_int_eq(mkdir("sup", 0700), 0);
	fd = svscript_outfd("sup", "check.out", 99);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_ne(fd, 99);
	fl = fcntl(fd, F_GETFD);
	ck_assert(fl != -1 && (fl & FD_CLOEXEC));
	ck_assert_int_eq(fsize("sup/check.out.new"), 0);
	svscript_init(&s);
	pid = start(&s, "i=0; while [ $i -lt 500 ]; do echo 123456789; "
	    "i=$((i + 1)); done", fd, 0, 0);
	close(fd);
	ck_assert_int_eq(WEXITSTATUS(reap(pid)), 0);
	ck_assert_int_eq(fsize("sup/check.out.new"), 5000);
	svscript_keep("sup", "check.out", 4096);
	ck_assert_int_eq(fsize("sup/check.out.new"), -1);
	ck_assert_int_eq(fsize("sup/check.out"), 4096);
	ck_assert_int_eq(fd_read_file("sup/check.out", buf, sizeof buf), 4096);
	ck_assert_int_eq(memcmp(buf, "123456789\n123456789\n", 20), 0);
	ck_assert_int_eq(buf[4095], '6');	/* 409 lines and 6 bytes */
	/* A shorter output is kept whole, and replaces the old one. */
	fd = svscript_outfd("sup", "check.out", -1);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "short\n", 6), 6);
	close(fd);
	ck_assert_int_eq(fsize("sup/check.out"), 4096);	/* until kept */
	svscript_keep("sup", "check.out", 4096);
	ck_assert_int_eq(fd_read_file("sup/check.out", buf, sizeof buf), 6);
	ck_assert_int_eq(memcmp(buf, "short\n", 6), 0);
	/* Nothing new: the kept one stays. */
	svscript_keep("sup", "check.out", 4096);
	ck_assert_int_eq(fsize("sup/check.out"), 6);
	/* A new output truncates what an earlier one left in NAME.new. */
	fd = svscript_outfd("sup", "check.out", -1);
	ck_assert_int_eq(write(fd, "0123456789", 10), 10);
	close(fd);
	fd = svscript_outfd("sup", "check.out", -1);
	ck_assert_int_eq(write(fd, "ab", 2), 2);
	close(fd);
	svscript_keep("sup", "check.out", 4096);
	ck_assert_int_eq(fsize("sup/check.out"), 2);
}
END_TEST

/* No directory, or a name too long: the fallback, and keep does nothing. */
START_TEST(test_outfd_fallback)
{
	static char longname[80];

	ck_assert_int_eq(svscript_outfd("nodir", "check.out", 42), 42);
	ck_assert_int_eq(svscript_outfd("nodir", "check.out", -1), -1);
	memset(longname, 'n', sizeof longname - 1);
	ck_assert_int_eq(svscript_outfd(".", longname, 7), 7);
	svscript_keep("nodir", "check.out", 10);
	svscript_keep(".", longname, 10);
	ck_assert_int_eq(fsize("nodir"), -1);
}
END_TEST

/* pid ends within about 2 s (a KILL was sent): its wait status, or -1. */
static int
reap_soon(pid_t pid)
{
	int i, st;

	for (i = 0; i < 200; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			return st;
		usleep(10000);
	}
	return -1;
}

/* A second script times out while the first one's group still waits for
 * its KILL: both groups get their KILL. */
START_TEST(test_timeout_twice)
{
	struct svscript s;
	pid_t a, b, kida, kidb;
	int fd[2], sta, stb;

	ck_assert_int_eq(pipe2(fd, O_CLOEXEC), 0);
	svscript_init(&s);
	a = start(&s, kidscript, fd[1], 100, 0);
	kida = readpid(fd[0]);
	svscript_timers(&s, 100);		/* TERM to a's group */
	ck_assert_int_eq(WTERMSIG(reap(a)), SIGTERM);
	ck_assert_int_eq(svscript_reaped(&s, a), 1);
	b = start(&s, kidscript, fd[1], 100, 110);
	close(fd[1]);
	kidb = readpid(fd[0]);
	svscript_timers(&s, 210);		/* TERM to b's group */
	ck_assert_int_eq(WTERMSIG(reap(b)), SIGTERM);
	ck_assert_int_eq(svscript_reaped(&s, b), 1);
	/* Every deadline passes. */
	while (svscript_deadline(&s) != NOTIME)
		svscript_timers(&s, svscript_deadline(&s));
	sta = reap_soon(kida);
	stb = reap_soon(kidb);
	if (sta == -1)
		(void)kill(kida, SIGKILL);
	if (stb == -1)
		(void)kill(kidb, SIGKILL);
	ck_assert_msg(sta != -1, "the first group never got its KILL");
	ck_assert_int_eq(WTERMSIG(sta), SIGKILL);
	ck_assert_msg(stb != -1, "the second group never got its KILL");
	ck_assert_int_eq(WTERMSIG(stb), SIGKILL);
	close(fd[0]);
}
END_TEST

static Suite *
svscript_suite(void)
{
	Suite *s = suite_create("svscript");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_start_deadline);
	tcase_add_test(tc, test_session);
	tcase_add_test(tc, test_timeout_kill);
	tcase_add_test(tc, test_timeout_stopped);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_cancel_timedout);
	tcase_add_test(tc, test_passed);
	tcase_add_test(tc, test_keep);
	tcase_add_test(tc, test_outfd_fallback);
	tcase_add_test(tc, test_timeout_twice);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svscript_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
