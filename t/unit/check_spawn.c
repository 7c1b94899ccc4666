/* check_spawn: exit status, exec errors, clean signal state, sessions,
 * descriptor placement and no leaked descriptors. */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "selfpipe.h"
#include "spawn.h"
#include "timefmt.h"

static char tmpdir[] = "/tmp/check_spawn.XXXXXX";
static char path[256];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof path, "%s/prog", tmpdir);
	/* Check's own descriptors are not ours to pass on: mark them, as
	 * every tend program does at startup. */
	ck_assert_int_eq(fd_cloexec_from(3), 0);
}

static void
teardown(void)
{
	unlink(path);
	rmdir(tmpdir);
}

static void
init(struct spawn *sp, char *const *argv)
{
	memset(sp, 0, sizeof *sp);
	sp->path = argv[0];
	sp->argv = argv;
	sp->fd[0] = sp->fd[1] = sp->fd[2] = -1;
	sp->extrafd = sp->extrato = -1;
}

/* Run sp with its stdout on a pipe; collect the output into out (NUL-
 * terminated) and return the wait status. */
static int
run(struct spawn *sp, char *out, size_t len)
{
	int p[2], st;
	size_t n = 0;
	ssize_t r;
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	sp->fd[1] = p[1];
	pid = spawn_run(sp);
	ck_assert_int_gt(pid, 0);
	close(p[1]);
	while (n < len - 1 && (r = read(p[0], out + n, len - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* No child of ours is left, dead or alive. */
static void
assert_no_child(void)
{
	errno = 0;
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

START_TEST(test_exit_status)
{
	char *argv[] = { "/bin/sh", "-c", "exit 3", NULL };
	struct spawn sp;
	pid_t pid;
	int st;

	init(&sp, argv);
	pid = spawn_run(&sp);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 3);
}
END_TEST

/* spawn_wait gives the status, and ECHILD for a child already reaped. */
START_TEST(test_wait)
{
	char *argv[] = { "/bin/sh", "-c", "exit 5", NULL };
	struct spawn sp;
	pid_t pid;
	int st = 0;

	init(&sp, argv);
	pid = spawn_run(&sp);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(spawn_wait(pid, &st), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 5);
	errno = 0;
	ck_assert_int_eq(spawn_wait(pid, &st), -1);
	ck_assert_int_eq(errno, ECHILD);
	pid = spawn_run(&sp);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(spawn_wait(pid, NULL), pid);
	assert_no_child();
}
END_TEST

static void
on_usr1(int sig)
{
	(void)sig;
}

/* A signal caught while waiting (no SA_RESTART: waitpid fails with EINTR)
 * does not end the wait. The child signals once we are likely waiting. */
START_TEST(test_wait_eintr)
{
	char *argv[] = { "/bin/sh", "-c",
	    "sleep 0.1; kill -USR1 $PPID; sleep 0.1; exit 4", NULL };
	struct sigaction sa;
	struct spawn sp;
	pid_t pid;
	int st = 0;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	init(&sp, argv);
	pid = spawn_run(&sp);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(spawn_wait(pid, &st), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 4);
}
END_TEST

static int
stops_term(int sig)
{
	return sig == SIGTERM;
}

/* A foreground run: its status, and an orphan's end reaped meanwhile. */
START_TEST(test_foreground)
{
	char *argv[] = { "/bin/sh", "-c", "sleep 0.1; exit 6", NULL };
	struct spawn sp;
	pid_t other;
	int sigfd, st, stopped = 0, killed = 0;

	ck_assert_int_ne(sigfd = selfpipe_init(), -1);
	ck_assert_int_eq(selfpipe_trap(SIGCHLD), 0);
	other = fork();
	ck_assert_int_ne(other, -1);
	if (other == 0)
		_exit(0);
	init(&sp, argv);
	st = spawn_foreground(&sp, sigfd, 0, stops_term, &stopped, &killed);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 6);
	ck_assert_int_eq(stopped, 0);
	ck_assert_int_eq(killed, 0);
	errno = 0;
	ck_assert_int_eq(waitpid(other, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	argv[0] = "/no/such/program";
	init(&sp, argv);
	errno = 0;
	ck_assert_int_eq(spawn_foreground(&sp, sigfd, 0, stops_term, &stopped,
	    &killed), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* Past its limit the group is killed, at once and not before. */
START_TEST(test_foreground_limit)
{
	char *argv[] = { "/bin/sh", "-c", "sleep 10 & wait", NULL };
	struct spawn sp;
	int64_t t0, ms;
	int sigfd, st, stopped = 0, killed = 0;

	ck_assert_int_ne(sigfd = selfpipe_init(), -1);
	ck_assert_int_eq(selfpipe_trap(SIGCHLD), 0);
	init(&sp, argv);
	sp.pgroup = 1;
	t0 = timefmt_now_ms();
	st = spawn_foreground(&sp, sigfd, 200, stops_term, &stopped, &killed);
	ms = timefmt_now_ms() - t0;
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGKILL);
	ck_assert_int_eq(killed, 1);
	ck_assert_int_eq(stopped, 0);
	ck_assert_int_ge(ms, 200);
	ck_assert_int_lt(ms, 5000);
}
END_TEST

/* A stop signal goes on as TERM; any other is dropped. */
START_TEST(test_foreground_stop)
{
	char *argv[] = { "/bin/sh", "-c", "exec sleep 10", NULL };
	struct spawn sp;
	int sigfd, st, stopped = 0, killed = 0;

	ck_assert_int_ne(sigfd = selfpipe_init(), -1);
	ck_assert_int_eq(selfpipe_trap(SIGCHLD), 0);
	ck_assert_int_eq(selfpipe_trap(SIGHUP), 0);
	ck_assert_int_eq(selfpipe_trap(SIGTERM), 0);
	ck_assert_int_eq(raise(SIGHUP), 0);
	ck_assert_int_eq(raise(SIGTERM), 0);
	init(&sp, argv);
	sp.pgroup = 1;
	st = spawn_foreground(&sp, sigfd, 10000, stops_term, &stopped,
	    &killed);
	ck_assert(WIFSIGNALED(st));
	ck_assert_int_eq(WTERMSIG(st), SIGTERM);
	ck_assert_int_eq(stopped, 1);
	ck_assert_int_eq(killed, 0);
}
END_TEST

START_TEST(test_argv)
{
	char *argv[] = { "/bin/sh", "-c", "echo \"$0|$1|$#\"", "zero", "one",
	    NULL };
	struct spawn sp;
	char out[256];
	int st;

	init(&sp, argv);
	st = run(&sp, out, sizeof out);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_str_eq(out, "zero|one|1\n");
}
END_TEST

START_TEST(test_missing)
{
	char *argv[] = { "/nonexistent/prog", NULL };
	char *argv2[] = { "tend-no-such-program", NULL };
	struct spawn sp;

	init(&sp, argv);
	errno = 0;
	ck_assert_int_eq(spawn_run(&sp), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_no_child();
	init(&sp, argv2);
	sp.usepath = 1;
	errno = 0;
	ck_assert_int_eq(spawn_run(&sp), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_no_child();
}
END_TEST

START_TEST(test_not_executable)
{
	char *argv[] = { path, NULL };
	struct spawn sp;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
	close(fd);
	init(&sp, argv);
	errno = 0;
	ck_assert_int_eq(spawn_run(&sp), -1);
	ck_assert_int_eq(errno, EACCES);
	assert_no_child();
	/* Executable, it runs. */
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_gt(spawn_run(&sp), 0);
	ck_assert_int_gt(wait(NULL), 0);
}
END_TEST

START_TEST(test_usepath)
{
	char *argv[] = { "sh", "-c", "echo found", NULL };
	struct spawn sp;
	char out[64];

	init(&sp, argv);
	errno = 0;
	ck_assert_int_eq(spawn_run(&sp), -1);
	ck_assert_int_eq(errno, ENOENT);
	sp.usepath = 1;
	run(&sp, out, sizeof out);
	ck_assert_str_eq(out, "found\n");
}
END_TEST

static void
onterm(int sig)
{
	(void)sig;
}

/* Default dispositions and an empty mask, whatever the parent had. grep
 * is run directly: a shell would clear the mask itself. */
START_TEST(test_signal_state)
{
	char *argv[] = { "/bin/grep", "-E", "^Sig(Blk|Ign)",
	    "/proc/self/status", NULL };
	struct spawn sp;
	struct sigaction sa;
	sigset_t set;
	char out[256];
	int st;

	if (access(argv[0], X_OK) == -1)
		argv[0] = "/usr/bin/grep";
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onterm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, &set, NULL), 0);
	init(&sp, argv);
	st = run(&sp, out, sizeof out);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_str_eq(out, "SigBlk:\t0000000000000000\n"
	    "SigIgn:\t0000000000000000\n");
	/* The parent's own state is untouched. */
	ck_assert_int_eq(sigprocmask(SIG_BLOCK, NULL, &set), 0);
	ck_assert(sigismember(&set, SIGUSR1));
	ck_assert_int_eq(sigaction(SIGPIPE, NULL, &sa), 0);
	ck_assert(sa.sa_handler == SIG_IGN);
}
END_TEST

/* The same once selfpipe is set up, where only the signals it knows of
 * are reset: one ignored before selfpipe_init() (inherited), and the
 * ones trapped and ignored through it. */
START_TEST(test_signal_state_known)
{
	char *argv[] = { "/bin/grep", "-E", "^Sig(Blk|Ign)",
	    "/proc/self/status", NULL };
	struct spawn sp;
	char out[256];
	int st;

	if (access(argv[0], X_OK) == -1)
		argv[0] = "/usr/bin/grep";
	signal(SIGHUP, SIG_IGN);
	ck_assert_int_ge(selfpipe_init(), 0);
	ck_assert_int_eq(selfpipe_ignore(SIGPIPE), 0);
	ck_assert_int_eq(selfpipe_ignore(SIGXFSZ), 0);
	ck_assert_int_eq(selfpipe_trap(SIGTERM), 0);
	ck_assert_int_eq(selfpipe_trap(SIGCHLD), 0);
	init(&sp, argv);
	st = run(&sp, out, sizeof out);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_str_eq(out, "SigBlk:\t0000000000000000\n"
	    "SigIgn:\t0000000000000000\n");
}
END_TEST

START_TEST(test_setsid)
{
	char *argv[] = { "/bin/sh", "-c", "read x", NULL };
	struct spawn sp;
	int p[2], st;
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	init(&sp, argv);
	sp.fd[0] = p[0];
	sp.setsid = 1;
	pid = spawn_run(&sp);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(getsid(pid), pid);
	ck_assert_int_eq(getpgid(pid), pid);
	ck_assert_int_ne(getsid(0), pid);
	close(p[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	close(p[0]);
	/* Without it, the child stays in our session. */
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	sp.fd[0] = p[0];
	sp.setsid = 0;
	pid = spawn_run(&sp);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(getsid(pid), getsid(0));
	close(p[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	close(p[0]);
}
END_TEST

START_TEST(test_fds)
{
	char *argv[] = { "/bin/sh", "-c", "cat; echo oops >&2; echo x >&5",
	    NULL };
	struct spawn sp;
	int in[2], out[2], err[2], ex[2], st;
	char buf[64];
	pid_t pid;

	ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(ex, O_CLOEXEC), 0);
	ck_assert_int_eq(write(in[1], "hello\n", 6), 6);
	close(in[1]);
	init(&sp, argv);
	sp.fd[0] = in[0];
	sp.fd[1] = out[1];
	sp.fd[2] = err[1];
	sp.extrafd = ex[1];
	sp.extrato = 5;
	pid = spawn_run(&sp);
	ck_assert_int_gt(pid, 0);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(ex[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	ck_assert_int_eq(read(out[0], buf, sizeof buf), 6);
	ck_assert(memcmp(buf, "hello\n", 6) == 0);
	ck_assert_int_eq(read(err[0], buf, sizeof buf), 5);
	ck_assert(memcmp(buf, "oops\n", 5) == 0);
	ck_assert_int_eq(read(ex[0], buf, sizeof buf), 2);
	ck_assert(memcmp(buf, "x\n", 2) == 0);
	/* Our descriptors are where they were. */
	ck_assert_int_eq(read(out[0], buf, sizeof buf), 0);
	ck_assert(fcntl(ex[0], F_GETFD) & FD_CLOEXEC);
	close(out[0]);
	close(err[0]);
	close(ex[0]);
}
END_TEST

/* The child sees 0, 1, 2 (and the extra one) and nothing else, though we
 * hold plenty of close-on-exec descriptors. The shell lists its own
 * descriptors from a forked ls. */
START_TEST(test_no_leak)
{
	char *argv[] = { "/bin/sh", "-c", "ls /proc/$$/fd; exit 0", NULL };
	struct spawn sp;
	char out[256];
	int i, fd, ex;

	for (i = 0; i < 8; i++)
		ck_assert_int_ne(open("/dev/null", O_RDONLY | O_CLOEXEC), -1);
	ck_assert_int_ne(fd_open_append(path, 0644), -1);
	init(&sp, argv);
	run(&sp, out, sizeof out);
	ck_assert_str_eq(out, "0\n1\n2\n");
	ex = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ck_assert_int_ne(ex, -1);
	sp.extrafd = ex;
	sp.extrato = 3;
	run(&sp, out, sizeof out);
	ck_assert_str_eq(out, "0\n1\n2\n3\n");
	sp.extrato = 9;
	run(&sp, out, sizeof out);
	ck_assert_str_eq(out, "0\n1\n2\n9\n");
	/* extrafd already in place. */
	fd = fcntl(ex, F_DUPFD_CLOEXEC, 20);
	ck_assert_int_eq(fd, 20);
	sp.extrafd = 20;
	sp.extrato = 20;
	run(&sp, out, sizeof out);
	ck_assert_str_eq(out, "0\n1\n2\n20\n");
	ck_assert(fcntl(20, F_GETFD) & FD_CLOEXEC);
}
END_TEST

START_TEST(test_cwd)
{
	char *argv[] = { "/bin/sh", "-c", "pwd", NULL };
	struct spawn sp;
	char out[PATH_MAX + 2], want[PATH_MAX + 2], here[PATH_MAX];

	ck_assert_ptr_nonnull(getcwd(here, sizeof here));
	ck_assert_ptr_nonnull(realpath(tmpdir, want));
	strcat(want, "\n");
	init(&sp, argv);
	sp.cwd = tmpdir;
	run(&sp, out, sizeof out);
	ck_assert_str_eq(out, want);
	ck_assert_ptr_nonnull(getcwd(want, sizeof want));
	ck_assert_str_eq(want, here);
	sp.cwd = path;
	sp.fd[1] = -1;
	errno = 0;
	ck_assert_int_eq(spawn_run(&sp), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_no_child();
}
END_TEST

/* extrato may be the number of a descriptor meant for 0..2 (supervise's
 * /dev/null is 3, the usual notification-fd): both still arrive. */
START_TEST(test_extrato_clash)
{
	char script[256], out[64];
	char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct spawn sp;
	int p[2], st;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	snprintf(script, sizeof script, "[ \"$(readlink /proc/$$/fd/1)\" = "
	    "\"$(readlink /proc/$$/fd/%d)\" ] && echo same", p[1]);
	init(&sp, argv);
	sp.fd[1] = p[1];
	sp.extrafd = p[0];
	sp.extrato = p[1];
	pid = spawn_run(&sp);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	close(p[1]);
	n = read(p[0], out, sizeof out - 1);
	ck_assert_int_eq(n, 5);
	out[n] = '\0';
	ck_assert_str_eq(out, "same\n");
	close(p[0]);
}
END_TEST

/* extrato may be any free number, even the one spawn_run's own exec-error
 * pipe happens to get: an exec failure must still be reported. */
START_TEST(test_extrato_errpipe)
{
	char *argv[] = { "/nonexistent/prog", NULL };
	struct spawn sp;
	int ex, q[2];

	ex = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ck_assert_int_ne(ex, -1);
	/* The numbers spawn_run's pipe will get. */
	ck_assert_int_eq(pipe2(q, O_CLOEXEC), 0);
	close(q[0]);
	close(q[1]);
	init(&sp, argv);
	sp.extrafd = ex;
	sp.extrato = q[1];
	errno = 0;
	ck_assert_int_eq(spawn_run(&sp), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_no_child();
	sp.extrato = q[0];
	errno = 0;
	ck_assert_int_eq(spawn_run(&sp), -1);
	ck_assert_int_eq(errno, ENOENT);
	assert_no_child();
}
END_TEST

static Suite *
spawn_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("spawn");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_exit_status);
	tcase_add_test(tc, test_wait);
	tcase_add_test(tc, test_wait_eintr);
	tcase_add_test(tc, test_foreground);
	tcase_add_test(tc, test_foreground_limit);
	tcase_add_test(tc, test_foreground_stop);
	tcase_add_test(tc, test_argv);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_not_executable);
	tcase_add_test(tc, test_usepath);
	tcase_add_test(tc, test_signal_state);
	tcase_add_test(tc, test_signal_state_known);
	tcase_add_test(tc, test_setsid);
	tcase_add_test(tc, test_fds);
	tcase_add_test(tc, test_no_leak);
	tcase_add_test(tc, test_cwd);
	tcase_add_test(tc, test_extrato_clash);
	tcase_add_test(tc, test_extrato_errpipe);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(spawn_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
