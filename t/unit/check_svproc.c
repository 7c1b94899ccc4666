/* check_svproc: state changes and their stamps, the status record shown,
 * the facts for svfsm, and what an adopted run resumes. No process. */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "svproc.h"

static struct timespec
at(long s)
{
	struct timespec ts = { s, 0 };

	return ts;
}

/* The stamp moves with the visible state, and at each new run/finish. */
START_TEST(test_state_stamp)
{
	struct svproc p;
	struct timespec t;

	memset(&p, 0, sizeof p);
	p.state = SVS_DOWN;
	t = at(10);
	svproc_state(&p, SVS_WAIT, &t);
	ck_assert_int_eq(p.stamp.tv_sec, 0);	/* DOWN to DOWN */
	ck_assert_int_eq(p.dirty, 1);
	t = at(20);
	svproc_state(&p, SVS_RUN, &t);
	ck_assert_int_eq(p.stamp.tv_sec, 20);
	t = at(30);
	svproc_state(&p, SVS_RUN, &t);		/* a new run */
	ck_assert_int_eq(p.stamp.tv_sec, 30);
	t = at(40);
	svproc_state(&p, SVS_FINISH, &t);
	ck_assert_int_eq(p.stamp.tv_sec, 40);
	t = at(50);
	svproc_state(&p, SVS_CLEANUP, &t);
	ck_assert_int_eq(p.stamp.tv_sec, 50);
	t = at(60);
	svproc_state(&p, SVS_DOWN, &t);		/* CLEANUP shows DOWN too */
	ck_assert_int_eq(p.stamp.tv_sec, 50);
	ck_assert_int_eq(svproc_visible(SVS_WAIT), SV_DOWN);
	ck_assert_int_eq(svproc_visible(SVS_CLEANUP), SV_DOWN);
	ck_assert_int_eq(svproc_visible(SVS_RUN), SV_RUN);
	ck_assert_int_eq(svproc_visible(SVS_FINISH), SV_FINISH);
}
END_TEST

/* The record: pids by state, want byte and flags. */
START_TEST(test_status)
{
	struct svproc p;
	struct svstatus st;

	memset(&p, 0, sizeof p);
	p.state = SVS_RUN;
	p.pid = 100;
	p.fpid = 200;
	p.want = SVW_UP;
	p.ready = p.normallyup = 1;
	svproc_status(&p, &st);
	ck_assert_int_eq(st.state, SV_RUN);
	ck_assert_uint_eq(st.pid, 100);
	ck_assert_uint_eq(st.runpid, 100);
	ck_assert_int_eq(st.want, 'u');
	ck_assert_uint_eq(st.flags, SVF_READY | SVF_NORMALLYUP);
	p.state = SVS_FINISH;
	svproc_status(&p, &st);
	ck_assert_uint_eq(st.pid, 200);
	ck_assert_uint_eq(st.runpid, 100);
	p.state = SVS_WAIT;
	p.want = SVW_ONCE;
	p.ready = p.normallyup = 0;
	p.failed = p.exited = p.broken = p.done = 1;
	svproc_status(&p, &st);
	ck_assert_int_eq(st.state, SV_DOWN);
	ck_assert_uint_eq(st.pid, 0);
	ck_assert_uint_eq(st.runpid, 0);
	ck_assert_int_eq(st.want, 'd');
	ck_assert_uint_eq(st.flags, SVF_ONCE | SVF_FAILED | SVF_EXITED |
	    SVF_CONFERR | SVF_WAITING);
	ck_assert_uint_eq(st.xflags, SVX_DONE);
	p.want = SVW_EXIT;
	p.state = SVS_DOWN;
	svproc_status(&p, &st);
	ck_assert_uint_eq(st.flags & (SVF_EXIT | SVF_ONCE | SVF_WAITING),
	    SVF_EXIT);
}
END_TEST

/* Facts: a clean exit only with a known status of 0. */
START_TEST(test_facts)
{
	struct svproc p;
	struct svfacts f;

	memset(&p, 0, sizeof p);
	p.state = SVS_CLEANUP;
	p.want = SVW_UP;
	p.conf.restart = RESTART_ON_FAILURE;
	p.conf.max_restarts = 5;
	p.conf.backoff_max = 7000;
	p.shortruns = 2;
	svproc_facts(&p, &f);
	ck_assert_int_eq(f.state, SVS_CLEANUP);
	ck_assert_int_eq(f.restart, RESTART_ON_FAILURE);
	ck_assert_int_eq(f.max_restarts, 5);
	ck_assert_int_eq(f.backoff_max, 7000);
	ck_assert_uint_eq(f.shortruns, 2);
	ck_assert_int_eq(f.cleanexit, 0);	/* not exited */
	p.exited = 1;
	svproc_facts(&p, &f);
	ck_assert_int_eq(f.cleanexit, 1);
	p.wstatus = 1 << 8;
	svproc_facts(&p, &f);
	ck_assert_int_eq(f.cleanexit, 0);
	p.wstatus = SIGTERM;
	svproc_facts(&p, &f);
	ck_assert_int_eq(f.cleanexit, 0);
}
END_TEST

START_TEST(test_resume)
{
	struct svproc p;
	struct svstatus st;

	memset(&p, 0, sizeof p);
	memset(&st, 0, sizeof st);
	st.stamp = at(77);
	st.readystamp = at(78);
	st.flags = SVF_READY | SVF_ONCE;
	st.starts = 9;
	st.paused = 1;
	st.want = 'd';
	svproc_resume(&p, &st);
	ck_assert_int_eq(p.stamp.tv_sec, 77);
	ck_assert_int_eq(p.readystamp.tv_sec, 78);
	ck_assert_int_eq(p.ready, 1);
	ck_assert_uint_eq(p.starts, 9);
	ck_assert_int_eq(p.paused, 1);
	ck_assert_int_eq(p.want, SVW_ONCE);
	st.flags = 0;
	st.want = 'u';
	svproc_resume(&p, &st);
	ck_assert_int_eq(p.ready, 0);
	ck_assert_int_eq(p.want, SVW_UP);
}
END_TEST

/* Birth, a start and an end: the fields each one sets. */
START_TEST(test_lifecycle)
{
	struct svproc p;
	struct timespec t = at(5);

	memset(&p, 0, sizeof p);
	svproc_init(&p, "log", "log/supervise", "log/run", 0, &t);
	ck_assert_str_eq(p.sdir, "log/supervise");
	ck_assert_int_eq(p.want, SVW_DOWN);
	ck_assert_int_eq(p.state, SVS_DOWN);
	ck_assert_int_eq(p.timer, NOTIME);
	ck_assert_int_eq(p.killat, NOTIME);
	ck_assert_int_eq(p.notifyfd, -1);
	ck_assert_int_eq(p.pidfd, -1);
	ck_assert_int_eq(p.stamp.tv_sec, 5);
	svproc_init(&p, ".", "supervise", "./run", 1, &t);
	ck_assert_int_eq(p.want, SVW_UP);
	ck_assert_int_eq(p.normallyup, 1);
	p.failed = p.done = p.broken = p.paused = p.gotterm = 1;
	t = at(9);
	svproc_started(&p, 123, 7, 0, 9000, &t);
	ck_assert_int_eq(p.state, SVS_STARTING);	/* not ready yet */
	ck_assert_int_eq(p.pid, 123);
	ck_assert_int_eq(p.pgid, 123);
	ck_assert_int_eq(p.notifyfd, 7);
	ck_assert_int_eq(p.ready, 0);
	ck_assert_uint_eq(p.starts, 1);
	ck_assert_int_eq(p.failed + p.done + p.broken + p.paused + p.gotterm,
	    0);
	ck_assert_int_eq(p.stamp.tv_sec, 9);
	svproc_started(&p, 124, -1, 0, 9000, &t);
	ck_assert_int_eq(p.ready, 1);
	ck_assert_int_eq(p.readystamp.tv_sec, 9);
	ck_assert_int_eq(p.state, SVS_RUN);
	ck_assert_uint_eq(p.starts, 2);
	/* A check says when it is ready; the stamp stays at the start. */
	svproc_started(&p, 125, -1, 1, 9000, &t);
	ck_assert_int_eq(p.state, SVS_STARTING);
	ck_assert_int_eq(p.ready, 0);
	t = at(12);
	svproc_isready(&p, &t);
	ck_assert_int_eq(p.state, SVS_RUN);
	ck_assert_int_eq(p.ready, 1);
	ck_assert_int_eq(p.readystamp.tv_sec, 12);
	ck_assert_int_eq(p.stamp.tv_sec, 9);
	ck_assert_uint_eq(p.starts, 3);
	/* A short run, then a long one. */
	p.conf.min_uptime = 1000;
	p.paused = p.gotterm = 1;
	p.killat = 5;
	svproc_ended(&p, 1 << 8, 9500);
	ck_assert_uint_eq(p.shortruns, 1);
	ck_assert_int_eq(p.exited, 1);
	ck_assert_int_eq(p.wstatus, 1 << 8);
	ck_assert_int_eq(p.ready + p.paused + p.gotterm, 0);
	ck_assert_int_eq(p.killat, NOTIME);
	svproc_ended(&p, -1, 10000);
	ck_assert_uint_eq(p.shortruns, 0);
	ck_assert_int_eq(p.exited, 0);
	ck_assert_int_eq(p.wstatus, 0);
}
END_TEST

/* The readiness pipe: a newline, bytes without one, end of file. */
START_TEST(test_readiness)
{
	struct svproc p;
	struct timespec t = at(33);
	int fd[2];

	memset(&p, 0, sizeof p);
	p.state = SVS_STARTING;
	ck_assert_int_eq(pipe2(fd, O_NONBLOCK), 0);
	p.notifyfd = fd[0];
	ck_assert_int_eq(svproc_readiness(&p, &t), 0);	/* nothing yet */
	ck_assert_int_eq(p.notifyfd, fd[0]);
	ck_assert_int_eq(write(fd[1], "abc", 3), 3);
	ck_assert_int_eq(svproc_readiness(&p, &t), 0);
	ck_assert_int_eq(p.notifyfd, fd[0]);
	ck_assert_int_eq(write(fd[1], "d\n", 2), 2);
	ck_assert_int_eq(svproc_readiness(&p, &t), 1);
	ck_assert_int_eq(p.notifyfd, -1);
	ck_assert_int_eq(p.ready, 1);
	ck_assert_int_eq(p.state, SVS_RUN);
	ck_assert_int_eq(p.readystamp.tv_sec, 33);
	close(fd[1]);
	ck_assert_int_eq(pipe2(fd, O_NONBLOCK), 0);
	memset(&p, 0, sizeof p);
	p.notifyfd = fd[0];
	close(fd[1]);
	ck_assert_int_eq(svproc_readiness(&p, &t), 0);	/* closed unready */
	ck_assert_int_eq(p.notifyfd, -1);
	ck_assert_int_eq(p.ready, 0);
}
END_TEST

START_TEST(test_spawn)
{
	struct svproc p;
	struct spawn sp;
	char *argv[] = { "./finish", "0", "0", NULL };

	memset(&p, 0, sizeof p);
	p.dir = "log";
	p.fd[0] = 5;
	p.fd[1] = 6;
	svproc_spawn(&p, &sp, argv);
	ck_assert_str_eq(sp.path, "./finish");
	ck_assert_ptr_eq(sp.argv, argv);
	ck_assert_str_eq(sp.cwd, "log");
	ck_assert_int_eq(sp.fd[0], 5);
	ck_assert_int_eq(sp.fd[1], 6);
	ck_assert_int_eq(sp.fd[2], -1);
	ck_assert_int_eq(sp.extrafd, -1);
	ck_assert_int_eq(sp.setsid, 1);
}
END_TEST

/* A run a status record names is adopted only while it is that run. */
START_TEST(test_adopt)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	struct svstatus st;
	struct timespec t;
	pid_t pid;
	int fd[2], w;
	char c;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(mkdir("supervise", 0700), 0);
	memset(&p, 0, sizeof p);
	t = at((long)time(NULL));
	svproc_init(&p, ".", "supervise", "./run", 1, &t);
	ck_assert_int_eq(svproc_adopt(&p, 5000, &t), 0);	/* no status */
	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		(void)setsid();
		(void)write(fd[1], "x", 1);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(fd[0], &c, 1), 1);
	memset(&st, 0, sizeof st);
	st.state = SV_RUN;
	st.pid = st.runpid = (uint32_t)pid;
	st.want = 'u';
	st.starts = 4;
	st.stamp = at((long)time(NULL) - 1000);
	ck_assert_int_eq(svstatus_write("supervise", &st), 0);
	ck_assert_int_eq(svproc_adopt(&p, 5000, &t), 0);	/* too old */
	ck_assert_int_eq(p.state, SVS_DOWN);
	st.stamp = at((long)time(NULL));
	ck_assert_int_eq(svstatus_write("supervise", &st), 0);
	ck_assert_int_eq(svproc_adopt(&p, 5000, &t), pid);
	ck_assert_int_eq(p.state, SVS_RUN);
	ck_assert_int_eq(p.pid, pid);
	ck_assert_int_eq(p.adopted, 1);
	ck_assert_uint_eq(p.starts, 4);
	ck_assert_int_eq(p.want, SVW_UP);
	ck_assert(p.pidfd != -1 || p.timer == 5000 + SVPROC_POLL_MS);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &w, 0), pid);
	memset(&p, 0, sizeof p);
	svproc_init(&p, ".", "supervise", "./run", 1, &t);
	ck_assert_int_eq(svproc_adopt(&p, 5000, &t), 0);	/* gone */
	/* No log pipe holder: no orphan. */
	ck_assert_int_eq(svproc_orphan(&p, 1, fd[0], 5000, &t), 0);
	ck_assert_int_eq(svproc_orphan(&p, 1, -1, 5000, &t), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("svproc");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_state_stamp);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_facts);
	tcase_add_test(tc, test_resume);
	tcase_add_test(tc, test_lifecycle);
	tcase_add_test(tc, test_readiness);
	tcase_add_test(tc, test_spawn);
	tcase_add_test(tc, test_adopt);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
