/* check_svhealth: ./check for a svproc, in a temporary service directory
 * with a real ./check script: the readiness path (STARTING to RUN on a
 * pass, retries after 10, 20, 40 ... ms), liveness (check-interval,
 * check-failures: stop), the output kept in check.out, a timeout, cancel,
 * adoption. Times are explicit `now` values; the run itself is a pid
 * nothing signals. */
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
#include "history.h"
#include "svhealth.h"
#include "svproc.h"

#define RUNPID	4242	/* the run's pid as p knows it: never signalled */

static char tmpdir[] = "/tmp/check_svhealth.XXXXXX";
static int devnull = -1;

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(mkdir("supervise", 0700), 0);
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(devnull, 0);
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

static void
writefile(const char *path, const char *s, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

/* ./check passes while the file "pass" exists, after saying so. */
static void
checkscript(void)
{
	writefile("check", "#!/bin/sh\necho checking\n[ -e pass ]\n", 0755);
}

/* p: the service in ".", down, its history open, its conf the defaults
 * that matter here. */
static void
proc(struct svproc *p)
{
	struct timespec t = { 100, 0 };

	memset(p, 0, sizeof *p);
	svproc_init(p, ".", "supervise", "./run", 1, &t);
	ck_assert_int_eq(history_open(&p->hist, "supervise", 0), 0);
	p->fd[0] = p->fd[1] = -1;
	p->conf.check_timeout = 5000;
	p->conf.check_failures = 3;
	p->conf.notification_fd = -1;
}

/* p's run started at now, with ./check saying when it is ready. */
static void
started(struct svproc *p, int64_t now)
{
	struct timespec t = { 200, 0 };

	svproc_started(p, RUNPID, -1, svhealth_exists(p), now, &t);
}

/* One run of ./check at now, reaped and ended: svhealth_ended's answer. */
static int
onecheck(struct svproc *p, int64_t now)
{
	pid_t pid;
	int st;

	pid = svhealth_run(p, devnull, now);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(p->chk.pid, pid);
	ck_assert_int_eq(p->checkat, NOTIME);
	ck_assert_int_eq(svhealth_due(p, now), 0);	/* one at a time */
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(svscript_reaped(&p->chk, pid), 1);
	return svhealth_ended(p, st, now);
}

/* The records queued for p's history hold s. */
static int
queued(const struct svproc *p, const char *s)
{
	return memmem(p->hist.pend, p->hist.npend, s, strlen(s)) != NULL;
}

static off_t
fsize(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == -1)
		return -1;
	return sb.st_size;
}

START_TEST(test_exists)
{
	struct svproc p;

	proc(&p);
	ck_assert_int_eq(svhealth_exists(&p), 0);
	writefile("check", "#!/bin/sh\n", 0644);
	ck_assert_int_eq(svhealth_exists(&p), 0);	/* not executable */
	ck_assert_int_eq(chmod("check", 0755), 0);
	ck_assert_int_eq(svhealth_exists(&p), 1);
}
END_TEST

/* What a start arms: the first check now (readiness), the liveness
 * check (ready at once, with a check-interval), or nothing. */
START_TEST(test_started)
{
	struct svproc p;

	proc(&p);
	checkscript();
	started(&p, 1000);
	ck_assert_int_eq(p.state, SVS_STARTING);
	ck_assert_int_eq(svhealth_started(&p, 1, 1000), 1);
	/* Ready at once (a notification-fd would have been STARTING, with
	 * hascheck 0): liveness only. */
	proc(&p);
	svproc_started(&p, RUNPID, -1, 0, 1000, &p.stamp);
	ck_assert_int_eq(p.state, SVS_RUN);
	p.conf.check_interval = 250;
	ck_assert_int_eq(svhealth_started(&p, 1, 1000), 0);
	ck_assert_int_eq(p.hascheck, 1);
	ck_assert_int_eq(p.checkat, 1250);
	/* No check-interval: nothing more to do. */
	proc(&p);
	svproc_started(&p, RUNPID, -1, 0, 1000, &p.stamp);
	ck_assert_int_eq(svhealth_started(&p, 1, 1000), 0);
	ck_assert_int_eq(p.hascheck, 1);
	ck_assert_int_eq(p.checkat, NOTIME);
	/* No ./check. */
	proc(&p);
	svproc_started(&p, RUNPID, -1, 0, 1000, &p.stamp);
	p.conf.check_interval = 250;
	ck_assert_int_eq(svhealth_started(&p, 0, 1000), 0);
	ck_assert_int_eq(p.hascheck, 0);
	ck_assert_int_eq(p.checkat, NOTIME);
}
END_TEST

/* Readiness: failures retried after 10, 20, 40 ms; the first pass makes
 * the run ready (the ready-timeout off), with no further check without a
 * check-interval. */
START_TEST(test_readiness)
{
	static const int64_t delays[] = { 10, 20, 40, 80 };
	struct svproc p;
	int64_t now = 1000;
	size_t i;

	proc(&p);
	checkscript();
	p.conf.ready_timeout = 9000;
	started(&p, now);
	ck_assert_int_eq(p.timer, now + 9000);
	ck_assert_int_eq(svhealth_started(&p, 1, now), 1);
	for (i = 0; i < sizeof delays / sizeof delays[0]; i++) {
		ck_assert_int_eq(onecheck(&p, now), 0);
		ck_assert_int_eq(p.state, SVS_STARTING);
		ck_assert_int_eq(p.ready, 0);
		ck_assert_int_eq(p.checkdelay, delays[i]);
		ck_assert_int_eq(p.checkat, now + delays[i]);
		ck_assert_int_eq(svproc_deadline(&p), now + delays[i]);
		ck_assert_int_eq(svhealth_due(&p, now + delays[i] - 1), 0);
		now += delays[i];
		ck_assert_int_eq(svhealth_due(&p, now), 1);
	}
	ck_assert(!queued(&p, " ready "));
	writefile("pass", "", 0644);
	ck_assert_int_eq(onecheck(&p, now), 0);
	ck_assert_int_eq(p.state, SVS_RUN);
	ck_assert_int_eq(p.ready, 1);
	ck_assert_int_eq(p.timer, NOTIME);
	ck_assert_int_eq(p.checkat, NOTIME);
	ck_assert_int_eq(p.failures, 0);
	ck_assert(queued(&p, " ready pid=4242 via=check\n"));
	ck_assert_int_eq(svhealth_due(&p, now + 100000), 0);
	/* The run's stamp stays at its start. */
	ck_assert_int_eq(p.stamp.tv_sec, 200);
}
END_TEST

/* Ready with a check-interval: the liveness checks follow. */
START_TEST(test_ready_then_live)
{
	struct svproc p;

	proc(&p);
	checkscript();
	writefile("pass", "", 0644);
	p.conf.check_interval = 300;
	started(&p, 1000);
	ck_assert_int_eq(svhealth_started(&p, 1, 1000), 1);
	ck_assert_int_eq(onecheck(&p, 1000), 0);
	ck_assert_int_eq(p.state, SVS_RUN);
	ck_assert_int_eq(p.checkat, 1300);
	ck_assert_int_eq(svhealth_due(&p, 1299), 0);
	ck_assert_int_eq(svhealth_due(&p, 1300), 1);
}
END_TEST

/* Liveness: check-failures failures in a row stop the run (1), a pass in
 * between starts the count again; every failure moves the status. */
START_TEST(test_liveness)
{
	struct svproc p;

	proc(&p);
	checkscript();
	p.conf.check_interval = 100;
	p.conf.check_failures = 2;
	svproc_started(&p, RUNPID, -1, 0, 1000, &p.stamp);
	ck_assert_int_eq(svhealth_started(&p, 1, 1000), 0);
	ck_assert_int_eq(svhealth_due(&p, 1099), 0);
	ck_assert_int_eq(svhealth_due(&p, 1100), 1);
	p.dirty = 0;
	ck_assert_int_eq(onecheck(&p, 1100), 0);	/* fails: 1 */
	ck_assert_uint_eq(p.failures, 1);
	ck_assert_int_eq(p.dirty, 1);
	ck_assert_int_eq(p.checkat, 1200);
	ck_assert(!queued(&p, "unhealthy"));
	writefile("pass", "", 0644);
	ck_assert_int_eq(onecheck(&p, 1200), 0);	/* passes: 0 */
	ck_assert_uint_eq(p.failures, 0);
	ck_assert_int_eq(p.checkat, 1300);
	ck_assert_int_eq(unlink("pass"), 0);
	ck_assert_int_eq(onecheck(&p, 1300), 0);
	ck_assert_uint_eq(p.failures, 1);
	ck_assert_int_eq(onecheck(&p, 1400), 1);	/* 2: unhealthy */
	ck_assert_uint_eq(p.failures, 2);
	ck_assert_int_eq(p.checkat, NOTIME);
	ck_assert(queued(&p, " unhealthy pid=4242 failures=2\n"));
	ck_assert_int_eq(p.state, SVS_RUN);	/* stopping is the caller's */
}
END_TEST

/* A check that could not run counts as failed; a run being stopped (it
 * got TERM) gets no further check. */
START_TEST(test_failed_spawn_gotterm)
{
	struct svproc p;

	proc(&p);
	p.conf.check_interval = 100;
	p.conf.check_failures = 3;
	svproc_started(&p, RUNPID, -1, 0, 1000, &p.stamp);
	p.hascheck = 1;
	ck_assert_int_eq(svhealth_ended(&p, -1, 1000), 0);
	ck_assert_uint_eq(p.failures, 1);
	ck_assert_int_eq(p.checkat, 1100);
	p.gotterm = 1;
	ck_assert_int_eq(svhealth_ended(&p, -1, 1100), 0);
	ck_assert_uint_eq(p.failures, 2);
	ck_assert_int_eq(p.checkat, NOTIME);
	/* The same while starting: no retry once it got TERM. */
	proc(&p);
	svproc_started(&p, RUNPID, -1, 1, 1000, &p.stamp);
	p.gotterm = 1;
	ck_assert_int_eq(svhealth_ended(&p, -1, 1000), 0);
	ck_assert_int_eq(p.state, SVS_STARTING);
	ck_assert_int_eq(p.checkat, NOTIME);
}
END_TEST

/* No check for a run that is gone, even when one was due. */
START_TEST(test_due_not_running)
{
	struct svproc p;

	proc(&p);
	svproc_started(&p, RUNPID, -1, 0, 1000, &p.stamp);
	p.checkat = 1000;
	ck_assert_int_eq(svhealth_due(&p, 1000), 1);
	p.state = SVS_FINISH;
	ck_assert_int_eq(svhealth_due(&p, 1000), 0);
	p.state = SVS_DOWN;
	ck_assert_int_eq(svhealth_due(&p, 1000), 0);
	p.state = SVS_STARTING;
	ck_assert_int_eq(svhealth_due(&p, 1000), 1);
}
END_TEST

/* Its output: in check.out once it ended, the first 4096 bytes only;
 * check.out.new meanwhile. */
START_TEST(test_output)
{
	struct svproc p;
	char buf[5000];
	pid_t pid;
	int st;

	proc(&p);
	checkscript();
	started(&p, 0);
	ck_assert_int_eq(onecheck(&p, 0), 0);
	ck_assert_int_eq(fd_read_file("supervise/check.out", buf, sizeof buf),
	    9);
	ck_assert_int_eq(memcmp(buf, "checking\n", 9), 0);
	ck_assert_int_eq(fsize("supervise/check.out.new"), -1);
	/* stderr too, and cut at SVHEALTH_OUT_MAX. */
	writefile("check", "#!/bin/sh\necho err >&2\ni=0\n"
	    "while [ $i -lt 1000 ]; do echo 123456789; i=$((i + 1)); done\n"
	    "exit 1\n", 0755);
	pid = svhealth_run(&p, devnull, 10);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(fsize("supervise/check.out.new"), 10004);
	ck_assert_int_eq(fsize("supervise/check.out"), 9);
	ck_assert_int_eq(svscript_reaped(&p.chk, pid), 1);
	ck_assert_int_eq(svhealth_ended(&p, st, 10), 0);
	ck_assert_int_eq(fsize("supervise/check.out"), SVHEALTH_OUT_MAX);
	ck_assert_int_eq(fd_read_file("supervise/check.out", buf, sizeof buf),
	    SVHEALTH_OUT_MAX);
	ck_assert_int_eq(memcmp(buf, "err\n123456789\n", 14), 0);
	ck_assert_int_eq(fsize("supervise/check.out.new"), -1);
}
END_TEST

/* check-timeout: TERM to the check's group, a failure; the retry after. */
START_TEST(test_timeout)
{
	struct svproc p;
	pid_t pid;
	int st;

	proc(&p);
	writefile("check", "#!/bin/sh\nexec sleep 100\n", 0755);
	p.conf.check_timeout = 200;
	started(&p, 1000);
	ck_assert_int_eq(svhealth_started(&p, 1, 1000), 1);
	pid = svhealth_run(&p, devnull, 1000);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(svproc_deadline(&p), 1200);
	ck_assert_int_eq(svhealth_due(&p, 1199), 0);
	ck_assert_int_eq(waitpid(pid, &st, WNOHANG), 0);
	ck_assert_int_eq(svhealth_due(&p, 1200), 0);	/* TERM, no new one */
	ck_assert_int_eq(p.chk.timedout, 1);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WTERMSIG(st), SIGTERM);
	ck_assert_int_eq(svscript_reaped(&p.chk, pid), 1);
	ck_assert_int_eq(svhealth_ended(&p, st, 1210), 0);
	ck_assert_int_eq(p.state, SVS_STARTING);
	ck_assert_int_eq(p.checkat, 1220);
	/* The KILL for the group is still to come. */
	ck_assert_int_eq(svproc_deadline(&p), 1220);
	ck_assert_int_eq(svscript_deadline(&p.chk), 1200 + SVSCRIPT_KILL_MS);
}
END_TEST

/* The run ended: the check running is KILLed, none is planned. */
START_TEST(test_cancel)
{
	struct svproc p;
	pid_t pid;
	int st;

	proc(&p);
	writefile("check", "#!/bin/sh\nexec sleep 100\n", 0755);
	started(&p, 1000);
	pid = svhealth_run(&p, devnull, 1000);
	ck_assert_int_gt(pid, 0);
	p.checkat = 5000;
	svhealth_cancel(&p);
	ck_assert_int_eq(p.checkat, NOTIME);
	ck_assert_int_eq(p.chk.pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WTERMSIG(st), SIGKILL);
	ck_assert_int_eq(svscript_reaped(&p.chk, pid), 0);
	ck_assert_int_eq(svproc_deadline(&p), NOTIME);
	/* Nothing running: nothing to do. */
	svhealth_cancel(&p);
	ck_assert_int_eq(p.checkat, NOTIME);
}
END_TEST

/* An adopted run: readiness again if it was not ready, else liveness with
 * a check-interval; nothing without ./check. */
START_TEST(test_adopted)
{
	struct svproc p;

	proc(&p);
	p.state = SVS_RUN;
	p.pid = RUNPID;
	ck_assert_int_eq(svhealth_adopted(&p, 1000), 0);
	ck_assert_int_eq(p.hascheck, 0);
	checkscript();
	ck_assert_int_eq(svhealth_adopted(&p, 1000), 1);
	ck_assert_int_eq(p.hascheck, 1);
	ck_assert_int_eq(p.state, SVS_STARTING);
	ck_assert_int_eq(p.checkat, 1000);
	/* Not ready, but readiness is the notification-fd's: no check. */
	proc(&p);
	p.state = SVS_RUN;
	p.conf.notification_fd = 3;
	ck_assert_int_eq(svhealth_adopted(&p, 1000), 1);
	ck_assert_int_eq(p.state, SVS_RUN);
	ck_assert_int_eq(p.checkat, NOTIME);
	/* Ready: liveness. */
	proc(&p);
	p.state = SVS_RUN;
	p.ready = 1;
	p.conf.check_interval = 700;
	ck_assert_int_eq(svhealth_adopted(&p, 1000), 1);
	ck_assert_int_eq(p.state, SVS_RUN);
	ck_assert_int_eq(p.checkat, 1700);
	p.conf.check_interval = 0;
	p.checkat = NOTIME;
	ck_assert_int_eq(svhealth_adopted(&p, 1000), 1);
	ck_assert_int_eq(p.checkat, NOTIME);
}
END_TEST

/* The readiness retries of a check that times out: a retry (10 ms later)
 * times out too while the first check's group waits for its KILL; both
 * groups must get it (a check-timeout under SVSCRIPT_KILL_MS). */
START_TEST(test_timeout_retry_kill)
{
	struct svproc p;
	pid_t pid, kid[2];
	int64_t now = 0;
	int i, j, st, fd;
	char buf[64];

	proc(&p);
	/* Its child ignores TERM and leaves its pid in kid.N. */
	writefile("check", "#!/bin/sh\nn=$(ls kid.* 2>/dev/null | wc -l)\n"
	    "sh -c 'trap \"\" TERM; echo $$ >kid.tmp; mv kid.tmp kid.'$n'; "
	    "exec sleep 100' &\nwait\n", 0755);
	p.conf.check_timeout = 100;
	started(&p, now);
	for (i = 0; i < 2; i++) {
		pid = svhealth_run(&p, devnull, now);
		ck_assert_int_gt(pid, 0);
		snprintf(buf, sizeof buf, "kid.%d", i);
		for (j = 0; j < 500 && access(buf, F_OK) == -1; j++)
			usleep(10000);
		fd = open(buf, O_RDONLY | O_CLOEXEC);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_gt(read(fd, buf, sizeof buf - 1), 0);
		close(fd);
		kid[i] = (pid_t)atol(buf);
		now += 100;
		(void)svhealth_due(&p, now);		/* its timeout: TERM */
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		ck_assert_int_eq(svscript_reaped(&p.chk, pid), 1);
		ck_assert_int_eq(svhealth_ended(&p, st, now), 0);
		now = p.checkat;			/* the retry */
		ck_assert_int_eq(svhealth_due(&p, now), 1);
	}
	/* Every KILL due. */
	now += 10 * SVSCRIPT_KILL_MS;
	(void)svhealth_due(&p, now);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 200 && waitpid(kid[i], &st, WNOHANG) == 0; j++)
			usleep(10000);
		if (j == 200)
			(void)kill(kid[i], SIGKILL);
		ck_assert_msg(j < 200, "check %d's child was never killed", i);
	}
}
END_TEST

static Suite *
svhealth_suite(void)
{
	Suite *s = suite_create("svhealth");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_exists);
	tcase_add_test(tc, test_started);
	tcase_add_test(tc, test_readiness);
	tcase_add_test(tc, test_ready_then_live);
	tcase_add_test(tc, test_liveness);
	tcase_add_test(tc, test_failed_spawn_gotterm);
	tcase_add_test(tc, test_due_not_running);
	tcase_add_test(tc, test_output);
	tcase_add_test(tc, test_timeout);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_adopted);
	tcase_add_test(tc, test_timeout_retry_kill);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svhealth_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
