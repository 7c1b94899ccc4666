/* check_svproc: state changes and their stamps, the status record shown,
 * the facts for svfsm, and what an adopted run resumes. No process. */
#include <sys/types.h>
#include <sys/socket.h>
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
#include <ftw.h>

#include "diag.h"
#include "fdutil.h"
#include "lock.h"
#include "svproc.h"
#include "timefmt.h"

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

/* The timer of a running run: the ready-timeout from its start while not
 * ready and not stopping, the look at an adopted run without a pidfd,
 * the earlier of the two. */
START_TEST(test_rearm)
{
	struct svproc p;
	struct timespec t = at(5);

	memset(&p, 0, sizeof p);
	svproc_init(&p, ".", "supervise", "./run", 1, &t);
	p.conf.ready_timeout = 3000;
	svproc_started(&p, 123, -1, 1, 9000, &t);
	ck_assert_int_eq(p.state, SVS_STARTING);
	ck_assert_int_eq(p.timer, 12000);
	ck_assert(!svproc_unready(&p, 11999));
	ck_assert(svproc_unready(&p, 12000));
	/* Adopted, started long ago, no pidfd: both, the earlier first. */
	p.adopted = 1;
	p.pidfd = -1;
	p.started = 1000;
	svproc_rearm(&p, 9000);
	ck_assert_int_eq(p.timer, 4000);
	ck_assert(svproc_unready(&p, 9000));
	p.started = 8000;
	svproc_rearm(&p, 9000);
	ck_assert_int_eq(p.timer, 9000 + SVPROC_POLL_MS);
	/* Being stopped: no ready-timeout any more, still the look. */
	p.gotterm = 1;
	ck_assert(!svproc_unready(&p, 20000));
	svproc_rearm(&p, 20000);
	ck_assert_int_eq(p.timer, 20000 + SVPROC_POLL_MS);
	/* Ready: nothing for a run of ours. */
	p.gotterm = 0;
	p.adopted = 0;
	svproc_isready(&p, &t);
	svproc_rearm(&p, 20000);
	ck_assert_int_eq(p.timer, NOTIME);
	ck_assert(!svproc_unready(&p, 20000));
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

/* Ready through the pipe with a ./check and a check-interval: the check
 * goes on as the liveness check, check-interval from now; none without
 * one. */
START_TEST(test_readiness_liveness)
{
	struct svproc p;
	struct timespec t = at(33);
	int64_t before, after;
	int fd[2];

	memset(&p, 0, sizeof p);
	p.state = SVS_STARTING;
	p.hascheck = 1;
	p.conf.check_interval = 500;
	p.checkat = NOTIME;
	p.timer = 12345;			/* the ready-timeout */
	ck_assert_int_eq(pipe2(fd, O_NONBLOCK), 0);
	p.notifyfd = fd[0];
	ck_assert_int_eq(write(fd[1], "\n", 1), 1);
	before = timefmt_now_ms();
	ck_assert_int_eq(svproc_readiness(&p, &t), 1);
	after = timefmt_now_ms();
	ck_assert_int_eq(p.timer, NOTIME);
	ck_assert(p.checkat >= before + 500 && p.checkat <= after + 500);
	close(fd[1]);
	memset(&p, 0, sizeof p);
	p.state = SVS_STARTING;
	p.hascheck = 1;
	p.checkat = NOTIME;
	ck_assert_int_eq(pipe2(fd, O_NONBLOCK), 0);
	p.notifyfd = fd[0];
	ck_assert_int_eq(write(fd[1], "\n", 1), 1);
	ck_assert_int_eq(svproc_readiness(&p, &t), 1);
	ck_assert_int_eq(p.checkat, NOTIME);	/* readiness only */
	close(fd[1]);
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

/* A temporary directory, made the current one, with its supervise/. */
static void
enter_tmp(char *dir)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(mkdir("supervise", 0700), 0);
}

static int
rm1(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void
leave_tmp(const char *dir)
{
	ck_assert_int_eq(chdir("/"), 0);
	(void)nftw(dir, rm1, 16, FTW_DEPTH | FTW_PHYS);
}

/* p: the service in ".", its history open in supervise/. */
static void
proc(struct svproc *p)
{
	struct timespec t = at(100);

	memset(p, 0, sizeof *p);
	svproc_init(p, ".", "supervise", "./run", 1, &t);
	ck_assert_int_eq(history_open(&p->hist, "supervise", 0), 0);
	p->fd[0] = p->fd[1] = -1;
}

/* The records queued for p's history hold s. */
static int
queued(const struct svproc *p, const char *s)
{
	return memmem(p->hist.pend, p->hist.npend, s, strlen(s)) != NULL;
}

/* The history file, NUL-terminated in buf. */
static ssize_t
readhist(char *buf, size_t len)
{
	ssize_t n = fd_read_file("supervise/history", buf, len - 1);

	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return n;
}

static void
writefile(const char *path, const char *s, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* A child in a session (and group) of its own, paused, with the default
 * dispositions (not Check's TERM handler); reaped with reap(). */
static pid_t
leader(void)
{
	int fd[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe2(fd, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		(void)signal(SIGTERM, SIG_DFL);
		(void)signal(SIGINT, SIG_DFL);
		(void)signal(SIGUSR1, SIG_DFL);
		(void)signal(SIGALRM, SIG_DFL);
		(void)setsid();
		(void)write(fd[1], "x", 1);
		for (;;)
			pause();
	}
	ck_assert_int_eq(read(fd[0], &c, 1), 1);
	close(fd[0]);
	close(fd[1]);
	return pid;
}

static int
reap(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return st;
}

/* Records wait in the queue, then go out together, in order. */
START_TEST(test_record_flush)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	char buf[4096], *a, *b, *c;
	struct svproc p;
	ssize_t n;

	enter_tmp(dir);
	proc(&p);
	svproc_record(&p, "up", NULL);
	svproc_record(&p, "start", "pid=%d", 7);
	svproc_record(&p, "exit", "pid=%d code=%d", 7, 1);
	ck_assert_int_eq(readhist(buf, sizeof buf), 0);
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_uint_eq(p.hist.npend, 0);
	readhist(buf, sizeof buf);
	a = strstr(buf, "Z up\n");
	b = strstr(buf, "Z start pid=7\n");
	c = strstr(buf, "Z exit pid=7 code=1\n");
	ck_assert(a != NULL && b != NULL && c != NULL);
	ck_assert(a < b && b < c);
	ck_assert_str_eq(c, "Z exit pid=7 code=1\n");	/* the last */
	/* Nothing queued: nothing written. */
	n = readhist(buf, sizeof buf);
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(readhist(buf, sizeof buf), n);
	svproc_record_end(&p, "finish", 42, 3 << 8, 1500);
	svproc_record_end(&p, "exit", 43, SIGKILL, 20);
	svproc_record_end(&p, "exit", 44, -1, 0);
	ck_assert(queued(&p, " finish pid=42 code=3 runtime=1.500\n"));
	ck_assert(queued(&p, " exit pid=43 signal=KILL runtime=0.020\n"));
	ck_assert(queued(&p, " exit pid=44 status=unknown runtime=0.000\n"));
	leave_tmp(dir);
}
END_TEST

/* A failure to append is -1 once per episode; the episode ends with an
 * append that works. A failure while queueing (a full queue) counts. */
START_TEST(test_flush_episode)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	int good, bad, i;

	enter_tmp(dir);
	proc(&p);
	good = p.hist.fd;
	bad = open("/dev/null", O_RDONLY | O_CLOEXEC);	/* EBADF to write */
	ck_assert_int_ge(bad, 0);
	p.hist.fd = bad;
	svproc_record(&p, "up", NULL);
	errno = 0;
	ck_assert_int_eq(svproc_flush(&p), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(p.histerr, 1);
	svproc_record(&p, "down", NULL);
	ck_assert_int_eq(svproc_flush(&p), 0);		/* said already */
	ck_assert_uint_eq(p.hist.npend, 0);		/* dropped */
	p.hist.fd = good;
	svproc_record(&p, "up", NULL);
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(p.histerr, 0);
	p.hist.fd = bad;
	svproc_record(&p, "up", NULL);
	ck_assert_int_eq(svproc_flush(&p), -1);		/* a new episode */
	/* A full queue that cannot be flushed: reported at the next flush,
	 * even when that one works. */
	p.hist.fd = good;
	svproc_record(&p, "up", NULL);
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(p.histerr, 0);
	p.hist.fd = bad;
	for (i = 0; i < 40; i++)
		svproc_record(&p, "signal", "sig=HUP pid=%d", 1000 + i);
	ck_assert_int_eq(p.histerrno, EBADF);
	p.hist.fd = good;
	errno = 0;
	ck_assert_int_eq(svproc_flush(&p), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_int_eq(p.histerrno, 0);
	svproc_record(&p, "up", NULL);
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(p.histerr, 0);
	close(bad);
	leave_tmp(dir);
}
END_TEST

/* What a control byte's action changes in p, and when the status is out
 * of date. */
START_TEST(test_apply)
{
	struct svproc p;
	struct svcmd m;

	memset(&p, 0, sizeof p);
	p.want = SVW_UP;
	memset(&m, 0, sizeof m);
	m.act = SVA_SIGNAL;
	m.want = SVW_UP;
	svproc_apply(&p, &m);
	ck_assert_int_eq(p.dirty, 0);		/* a signal alone: no change */
	m.act = SVA_SIGNAL | SVA_GOTTERM;
	svproc_apply(&p, &m);
	ck_assert_int_eq(p.dirty, 1);
	ck_assert_int_eq(p.gotterm, 1);
	p.dirty = 0;
	m.act = 0;
	m.want = SVW_DOWN;
	svproc_apply(&p, &m);
	ck_assert_int_eq(p.dirty, 1);
	ck_assert_int_eq(p.want, SVW_DOWN);
	p.dirty = 0;
	m.act = SVA_SIGNAL | SVA_PAUSE;
	svproc_apply(&p, &m);
	ck_assert_int_eq(p.paused, 1);
	ck_assert_int_eq(p.dirty, 1);
	m.act = SVA_UNPAUSE;
	svproc_apply(&p, &m);
	ck_assert_int_eq(p.paused, 0);
	p.failed = 1;
	m.act = SVA_START;
	svproc_apply(&p, &m);
	ck_assert_int_eq(p.failed, 1);
	m.act = SVA_UNFAIL | SVA_START;
	m.want = SVW_ONCE;
	svproc_apply(&p, &m);
	ck_assert_int_eq(p.failed, 0);
	ck_assert_int_eq(p.want, SVW_ONCE);
	/* The TERM mark is kept until the run ends. */
	m.act = SVA_STOP;
	svproc_apply(&p, &m);
	ck_assert_int_eq(p.gotterm, 1);
}
END_TEST

/* The earliest of all p's deadlines. */
START_TEST(test_deadline)
{
	struct svproc p;
	struct timespec t = at(1);

	memset(&p, 0, sizeof p);
	svproc_init(&p, ".", "supervise", "./run", 1, &t);
	ck_assert_int_eq(svproc_deadline(&p), NOTIME);
	p.timer = 500;
	ck_assert_int_eq(svproc_deadline(&p), 500);
	p.killat = 400;
	ck_assert_int_eq(svproc_deadline(&p), 400);
	p.checkat = 300;
	ck_assert_int_eq(svproc_deadline(&p), 300);
	p.chk.killat = 200;
	ck_assert_int_eq(svproc_deadline(&p), 200);
	p.ctl.at = 100;
	ck_assert_int_eq(svproc_deadline(&p), 100);
	p.chk.at = 50;
	ck_assert_int_eq(svproc_deadline(&p), 50);
	p.ctl.killat = 10;
	ck_assert_int_eq(svproc_deadline(&p), 10);
	p.timer = 5;
	ck_assert_int_eq(svproc_deadline(&p), 5);
}
END_TEST

/* timeout-kill: KILL to the whole group, once due, recorded. */
START_TEST(test_killtimer)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	pid_t pid;
	int st;

	enter_tmp(dir);
	proc(&p);
	pid = leader();
	p.pgid = pid;
	svproc_killtimer(&p, 1000);		/* none armed */
	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), 0);
	p.killat = 2000;
	svproc_killtimer(&p, 1999);
	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), 0);
	ck_assert_int_eq(p.killat, 2000);
	ck_assert(!queued(&p, " kill "));
	svproc_killtimer(&p, 2000);
	ck_assert_int_eq(p.killat, NOTIME);
	ck_assert_int_eq(WTERMSIG(reap(pid)), SIGKILL);
	ck_assert(queued(&p, " kill pgid="));
	/* No group: nothing sent, nothing recorded. */
	proc(&p);
	p.killat = 1;
	svproc_killtimer(&p, 5);
	ck_assert_int_eq(p.killat, NOTIME);
	ck_assert(!queued(&p, " kill "));
	leave_tmp(dir);
}
END_TEST

/* The run's group after its end: TERM (and CONT) to what is left, the
 * KILL armed; nothing left, nothing done. */
START_TEST(test_cleanup)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	char want[64];
	pid_t pid;

	enter_tmp(dir);
	proc(&p);
	ck_assert_int_eq(svproc_cleanup(&p, 1000), 0);	/* no group */
	pid = leader();
	p.pgid = pid;
	p.conf.timeout_kill = 700;
	ck_assert_int_eq(kill(pid, SIGSTOP), 0);	/* CONT wakes it */
	ck_assert_int_eq(svproc_cleanup(&p, 1000), 1);
	ck_assert_int_eq(p.killat, 1700);
	ck_assert_int_eq(p.cleanupby, 3700);
	snprintf(want, sizeof want, " cleanup pgid=%d\n", (int)pid);
	ck_assert(queued(&p, want));
	ck_assert_int_eq(WTERMSIG(reap(pid)), SIGTERM);
	/* Gone now: 0, and the group forgotten. */
	ck_assert_int_eq(svproc_cleanup(&p, 2000), 0);
	ck_assert_int_eq(p.pgid, 0);
	/* timeout-kill 0: no KILL. */
	proc(&p);
	pid = leader();
	p.pgid = pid;
	ck_assert_int_eq(svproc_cleanup(&p, 1000), 1);
	ck_assert_int_eq(p.killat, NOTIME);
	ck_assert_int_eq(p.cleanupby, 3000);
	ck_assert_int_eq(WTERMSIG(reap(pid)), SIGTERM);
	leave_tmp(dir);
}
END_TEST

/* WAIT until a delay passes: the timer, the due stamp, the record. */
START_TEST(test_delay)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	struct timespec before, after;

	enter_tmp(dir);
	proc(&p);
	ck_assert_int_eq(clock_gettime(CLOCK_REALTIME, &before), 0);
	svproc_delay(&p, 4000, 10000);
	ck_assert_int_eq(clock_gettime(CLOCK_REALTIME, &after), 0);
	ck_assert_int_eq(p.state, SVS_WAIT);
	ck_assert_int_eq(p.timer, 14000);
	ck_assert_int_eq(p.dirty, 1);
	ck_assert(queued(&p, " restart delay=4000\n"));
	ck_assert(p.due.tv_sec >= before.tv_sec + 4);
	ck_assert(p.due.tv_sec <= after.tv_sec + 4);
	/* The status shows it waiting, due then. */
	{
		struct svstatus st;

		svproc_status(&p, &st);
		ck_assert(st.flags & SVF_WAITING);
		ck_assert_int_eq(st.due.tv_sec, p.due.tv_sec);
	}
	leave_tmp(dir);
}
END_TEST

/* Config files: every bad one recorded at each start, a warning (1) only
 * at the first start of an episode. */
START_TEST(test_loadconf)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;

	enter_tmp(dir);
	proc(&p);
	ck_assert_int_eq(svproc_loadconf(&p), 0);
	ck_assert_int_eq(p.conferr, 0);
	ck_assert_int_eq(p.conf.timeout_kill, 7000);
	ck_assert_uint_eq(p.hist.npend, 0);
	writefile("timeout-kill", "soon\n", 0644);
	writefile("restart", "sometimes\n", 0644);
	ck_assert_int_eq(svproc_loadconf(&p), 1);
	ck_assert_int_eq(p.conferr, 1);
	ck_assert(queued(&p, " config file=timeout-kill error=invalid "
	    "value=soon\n"));
	ck_assert(queued(&p, " config file=restart error=invalid "
	    "value=sometimes\n"));
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(svproc_loadconf(&p), 0);	/* warned already */
	ck_assert(queued(&p, "file=timeout-kill"));	/* recorded again */
	ck_assert(queued(&p, "file=restart"));
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(unlink("timeout-kill"), 0);
	ck_assert_int_eq(unlink("restart"), 0);
	ck_assert_int_eq(svproc_loadconf(&p), 0);
	ck_assert_int_eq(p.conferr, 0);
	ck_assert_uint_eq(p.hist.npend, 0);
	writefile("min-uptime", "-5\n", 0644);
	ck_assert_int_eq(svproc_loadconf(&p), 1);	/* a new episode */
	ck_assert(queued(&p, "file=min-uptime"));
	ck_assert(!queued(&p, "file=restart"));
	leave_tmp(dir);
}
END_TEST

/* Its own directory: made (through a dangling symlink too), locked,
 * FIFOs and history open; EBUSY when another process holds the lock. */
START_TEST(test_open)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p, q;
	struct timespec t0;
	struct stat sb;
	int fd[2], w;
	pid_t pid;
	char c;

	enter_tmp(dir);
	ck_assert_int_eq(rmdir("supervise"), 0);
	memset(&p, 0, sizeof p);
	t0 = at(1);
	svproc_init(&p, ".", "supervise", "./run", 1, &t0);
	ck_assert_int_eq(svproc_open(&p), 0);
	ck_assert_int_eq(stat("supervise", &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	ck_assert_int_eq(lock_is_held("supervise/lock"), 1);
	ck_assert_int_eq(stat("supervise/control", &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));
	ck_assert_int_eq(stat("supervise/ok", &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));
	ck_assert_int_ge(p.fifo.ctl, 0);
	ck_assert_int_ge(p.fifo.ok, 0);
	ck_assert_int_eq(p.histerrno, 0);
	svproc_record(&p, "up", NULL);
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(stat("supervise/history", &sb), 0);
	ck_assert_int_gt(sb.st_size, 0);
	/* A dangling symlink: its target made, the log's relative to log/. */
	ck_assert_int_eq(mkdir("log", 0755), 0);
	ck_assert_int_eq(symlink("../run-log/sup", "log/supervise"), 0);
	memset(&q, 0, sizeof q);
	svproc_init(&q, "log", "log/supervise", "log/run", 1, &p.stamp);
	ck_assert_int_eq(svproc_open(&q), 0);
	ck_assert_int_eq(stat("run-log/sup/control", &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));
	/* Held by another process. */
	ck_assert_int_eq(mkdir("other", 0755), 0);
	ck_assert_int_eq(pipe2(fd, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		memset(&q, 0, sizeof q);
		svproc_init(&q, "other", "other/supervise", "other/run", 1,
		    &p.stamp);
		c = svproc_open(&q) == 0 ? 'y' : 'n';
		(void)write(fd[1], &c, 1);
		for (;;)
			pause();
	}
	ck_assert_int_eq(read(fd[0], &c, 1), 1);
	ck_assert_int_eq(c, 'y');
	memset(&q, 0, sizeof q);
	svproc_init(&q, "other", "other/supervise", "other/run", 1, &p.stamp);
	ck_assert_int_eq(svproc_open(&q), SVPROC_EBUSY);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &w, 0), pid);
	ck_assert_int_eq(svproc_open(&q), 0);	/* free again */
	/* Nowhere to make it. */
	memset(&q, 0, sizeof q);
	svproc_init(&q, "nodir", "nodir/supervise", "nodir/run", 1,
	    &p.stamp);
	ck_assert_int_eq(svproc_open(&q), SVPROC_EMKDIR);
	leave_tmp(dir);
}
END_TEST

/* ./run would not start: broken (recorded once per episode) when svcheck
 * sees why, else the errno recorded every time. */
START_TEST(test_startfail)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	char why[128];

	enter_tmp(dir);
	proc(&p);
	why[0] = '\0';
	ck_assert_int_eq(svproc_startfail(&p, ENOENT, why, sizeof why), 1);
	ck_assert_int_eq(p.broken, 1);
	ck_assert_str_eq(why, "missing");
	ck_assert(queued(&p, " broken file=run problem="));
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(svproc_startfail(&p, ENOENT, why, sizeof why), 0);
	ck_assert_uint_eq(p.hist.npend, 0);	/* said already */
	{
		struct svstatus st;

		svproc_status(&p, &st);
		ck_assert(st.flags & SVF_CONFERR);
	}
	writefile("run", "#!/bin/sh\n", 0644);
	ck_assert_int_eq(svproc_startfail(&p, EACCES, why, sizeof why), 0);
	/* A fresh episode: not executable. */
	p.broken = 0;
	ck_assert_int_eq(svproc_startfail(&p, EACCES, why, sizeof why), 1);
	ck_assert_str_eq(why, "not executable");
	/* Fine to svcheck: the errno tells. */
	ck_assert_int_eq(chmod("run", 0755), 0);
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(svproc_startfail(&p, ENOMEM, why, sizeof why), -1);
	ck_assert(queued(&p, " spawnfail error=ENOMEM\n"));
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(svproc_startfail(&p, EPERM, why, sizeof why), -1);
	if (diag_errname(EPERM) != NULL)
		snprintf(why, sizeof why, " spawnfail error=%s\n",
		    diag_errname(EPERM));
	else
		snprintf(why, sizeof why, " spawnfail error=%d\n", EPERM);
	ck_assert(queued(&p, why));
	leave_tmp(dir);
}
END_TEST

/* A start that failed: a short run, down; the state stamp moves. */
START_TEST(test_nostart_enter)
{
	struct svproc p;
	struct timespec t = at(5);
	time_t now;

	memset(&p, 0, sizeof p);
	svproc_init(&p, ".", "supervise", "./run", 1, &t);
	p.state = SVS_WAIT;
	p.exited = 1;
	p.shortruns = 2;
	p.pgid = 99;
	svproc_nostart(&p);
	ck_assert_int_eq(p.state, SVS_DOWN);
	ck_assert_int_eq(p.exited, 0);
	ck_assert_uint_eq(p.shortruns, 3);
	ck_assert_int_eq(p.pgid, 0);
	ck_assert_int_eq(p.stamp.tv_sec, 5);	/* DOWN still */
	now = time(NULL);
	svproc_enter(&p, SVS_FINISH);
	ck_assert_int_eq(p.state, SVS_FINISH);
	ck_assert(p.stamp.tv_sec >= now && p.stamp.tv_sec <= now + 5);
	ck_assert_int_eq(p.dirty, 1);
}
END_TEST

/* A signal reaches only a run. */
START_TEST(test_signal)
{
	struct svproc p;
	pid_t pid;
	int st;

	memset(&p, 0, sizeof p);
	pid = leader();
	p.pid = pid;
	p.state = SVS_FINISH;
	svproc_signal(&p, SIGUSR1);
	p.state = SVS_DOWN;
	svproc_signal(&p, SIGUSR1);
	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), 0);
	p.state = SVS_STARTING;
	svproc_signal(&p, SIGSTOP);
	ck_assert_int_eq(waitpid(pid, &st, WUNTRACED), pid);
	ck_assert(WIFSTOPPED(st));
	p.state = SVS_RUN;
	svproc_signal(&p, SIGKILL);
	ck_assert_int_eq(WTERMSIG(reap(pid)), SIGKILL);
	p.pid = 0;
	svproc_signal(&p, SIGKILL);	/* no pid: no kill(0, ...) */
}
END_TEST

/* The steps of svproc_open that fail: the lock, the FIFOs. */
START_TEST(test_open_errors)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	struct timespec t0 = at(1);

	enter_tmp(dir);
	ck_assert_int_eq(mkdir("supervise/lock", 0700), 0);
	memset(&p, 0, sizeof p);
	svproc_init(&p, ".", "supervise", "./run", 1, &t0);
	ck_assert_int_eq(svproc_open(&p), SVPROC_ELOCK);
	ck_assert_int_eq(rmdir("supervise/lock"), 0);
	ck_assert_int_eq(mkdir("supervise/control", 0700), 0);
	ck_assert_int_eq(mkdir("supervise/control/x", 0700), 0);
	memset(&p, 0, sizeof p);
	svproc_init(&p, ".", "supervise", "./run", 1, &t0);
	ck_assert_int_eq(svproc_open(&p), SVPROC_EFIFO);
	leave_tmp(dir);
}
END_TEST

/* What is queued goes out in one write(2): one message on a
 * SOCK_SEQPACKET socket. */
START_TEST(test_flush_one_write)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	char buf[2048];
	int sv[2];

	enter_tmp(dir);
	proc(&p);
	history_close(&p.hist);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	p.hist.fd = sv[0];
	p.hist.size = 0;
	svproc_record(&p, "start", "pid=%d", 5);
	svproc_record(&p, "ready", "pid=%d via=check", 5);
	svproc_record_end(&p, "exit", 5, 0, 3000);
	ck_assert_int_eq(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), -1);
	ck_assert_int_eq(svproc_flush(&p), 0);
	ck_assert_int_eq(recv(sv[1], buf, sizeof buf - 1, MSG_DONTWAIT),
	    (ssize_t)p.hist.size);
	buf[p.hist.size] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "Z start pid=5\n"));
	ck_assert_ptr_nonnull(strstr(buf, "Z ready pid=5 via=check\n"));
	ck_assert_ptr_nonnull(strstr(buf, "Z exit pid=5 code=0 runtime=3.000\n"));
	ck_assert_int_eq(recv(sv[1], buf, sizeof buf, MSG_DONTWAIT), -1);
	ck_assert_int_eq(errno, EAGAIN);
	close(sv[1]);
	leave_tmp(dir);
}
END_TEST

/* supervise flushes at every turn of its loop, most often with nothing
 * queued: such a flush neither ends nor starts an episode, so that a full
 * disk is one warning, not one per event. */
START_TEST(test_flush_episode_idle)
{
	char dir[] = "/tmp/check_svproc.XXXXXX";
	struct svproc p;
	int bad;

	enter_tmp(dir);
	proc(&p);
	bad = open("/dev/null", O_RDONLY | O_CLOEXEC);	/* EBADF to write */
	ck_assert_int_ge(bad, 0);
	p.hist.fd = bad;
	svproc_record(&p, "up", NULL);
	ck_assert_int_eq(svproc_flush(&p), -1);
	ck_assert_int_eq(svproc_flush(&p), 0);		/* an idle turn */
	svproc_record(&p, "down", NULL);
	ck_assert_msg(svproc_flush(&p) == 0,
	    "an empty flush ended the failure episode: warned again");
	close(bad);
	leave_tmp(dir);
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
	tcase_add_test(tc, test_readiness_liveness);
	tcase_add_test(tc, test_spawn);
	tcase_add_test(tc, test_adopt);
	tcase_add_test(tc, test_record_flush);
	tcase_add_test(tc, test_flush_episode);
	tcase_add_test(tc, test_apply);
	tcase_add_test(tc, test_deadline);
	tcase_add_test(tc, test_killtimer);
	tcase_add_test(tc, test_cleanup);
	tcase_add_test(tc, test_delay);
	tcase_add_test(tc, test_loadconf);
	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_startfail);
	tcase_add_test(tc, test_nostart_enter);
	tcase_add_test(tc, test_signal);
	tcase_add_test(tc, test_open_errors);
	tcase_add_test(tc, test_flush_one_write);
	tcase_add_test(tc, test_flush_episode_idle);
	tcase_add_test(tc, test_rearm);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
