/* check_svcustom: runit's control/ scripts for a svproc, in a temporary
 * service directory with real scripts: which start (never the logger's),
 * what their end returns (the byte, quiet on exit 0, prestarted after a
 * start's control/u), the control bytes read in order and held while a
 * script runs, the bytes pushed back, timeout-finish. */
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
#include "history.h"
#include "svcustom.h"
#include "svproc.h"

static char tmpdir[] = "/tmp/check_svcustom.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chdir(tmpdir), 0);
	ck_assert_int_eq(mkdir("supervise", 0700), 0);
	ck_assert_int_eq(mkdir("control", 0755), 0);
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

/* p: the service in ".", its history open, its control FIFO a pipe whose
 * write end is *w. */
static void
proc(struct svproc *p, int *w)
{
	struct timespec t = { 100, 0 };
	int fd[2];

	memset(p, 0, sizeof *p);
	svproc_init(p, ".", "supervise", "./run", 1, &t);
	ck_assert_int_eq(history_open(&p->hist, "supervise", 0), 0);
	p->fd[0] = p->fd[1] = -1;
	p->conf.timeout_finish = 5000;
	ck_assert_int_eq(pipe2(fd, O_CLOEXEC | O_NONBLOCK), 0);
	p->fifo.ctl = fd[0];
	p->fifo.ctlw = p->fifo.ok = -1;
	*w = fd[1];
}

/* The records queued for p's history hold s. */
static int
queued(const struct svproc *p, const char *s)
{
	return memmem(p->hist.pend, p->hist.npend, s, strlen(s)) != NULL;
}

/* Reap p's script, which must end; svcustom_ended's answer at now. */
static int
ended(struct svproc *p, int64_t now, int *quiet)
{
	pid_t pid = p->ctl.pid;
	int st;

	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return svcustom_ended(p, pid, st, now, quiet);
}

/* Only an executable control/LETTER runs; never the logger's. */
START_TEST(test_start)
{
	struct svproc p;
	int w, quiet;

	proc(&p, &w);
	ck_assert_int_eq(svcustom_start(&p, 'd', 'd', 0), 0);
	ck_assert_int_eq(p.ctl.pid, 0);
	writefile("control/d", "#!/bin/sh\nexit 0\n", 0644);
	ck_assert_int_eq(svcustom_start(&p, 'd', 'd', 0), 0);
	ck_assert_int_eq(chmod("control/d", 0755), 0);
	ck_assert_int_eq(svcustom_start(&p, 't', 'd', 0), 0);	/* no t */
	ck_assert_int_eq(svcustom_start(&p, 'd', 'd', 1000), 1);
	ck_assert_int_gt(p.ctl.pid, 0);
	ck_assert_int_eq(p.ctlletter, 'd');
	ck_assert_int_eq(p.ctlbyte, 'd');
	ck_assert_int_eq(p.ctl.at, 6000);	/* timeout-finish */
	ck_assert_int_eq(svproc_deadline(&p), 6000);
	ck_assert_int_eq(ended(&p, 1000, &quiet), 'd');
	/* The logger's control is not customised. */
	proc(&p, &w);
	p.islog = 1;
	ck_assert_int_eq(svcustom_start(&p, 'd', 'd', 0), 0);
	ck_assert_int_eq(p.ctl.pid, 0);
	ck_assert_int_eq(p.ctlletter, 0);
}
END_TEST

/* A script that cannot be executed: -1, and nothing runs. */
START_TEST(test_start_fails)
{
	struct svproc p;
	int w;

	proc(&p, &w);
	writefile("control/h", "#!/nonexistent/interpreter\n", 0755);
	ck_assert_int_eq(svcustom_start(&p, 'h', 'h', 0), -1);
	ck_assert_int_eq(p.ctl.pid, 0);
	ck_assert_int_eq(p.ctlletter, 0);
	ck_assert_int_eq(p.ctlbyte, 0);
}
END_TEST

/* Its end: the byte that waited, quiet when it exited 0; recorded. */
START_TEST(test_ended)
{
	struct svproc p;
	pid_t pid;
	int w, quiet, st;
	char want[64];

	proc(&p, &w);
	writefile("control/h", "#!/bin/sh\nexit 0\n", 0755);
	writefile("control/t", "#!/bin/sh\nexit 3\n", 0755);
	ck_assert_int_eq(svcustom_start(&p, 'h', 'h', 1000), 1);
	pid = p.ctl.pid;
	quiet = 7;
	ck_assert_int_eq(svcustom_ended(&p, pid + 1, 0, 1000, &quiet), -1);
	ck_assert_int_eq(quiet, 7);
	ck_assert_int_eq(p.ctl.pid, pid);
	ck_assert_int_eq(ended(&p, 1250, &quiet), 'h');
	ck_assert_int_eq(quiet, 1);
	ck_assert_int_eq(p.ctl.pid, 0);
	ck_assert_int_eq(p.ctlletter, 0);
	ck_assert_int_eq(p.ctlbyte, 0);
	ck_assert_int_eq(p.prestarted, 0);
	snprintf(want, sizeof want, " control script=h pid=%d code=0 "
	    "runtime=0.250\n", (int)pid);
	ck_assert(queued(&p, want));
	ck_assert_int_eq(svcustom_ended(&p, pid, 0, 1300, &quiet), -1);
	/* d's control/t: it failed, the signal is sent. */
	ck_assert_int_eq(svcustom_start(&p, 't', 'd', 2000), 1);
	pid = p.ctl.pid;
	ck_assert_int_eq(ended(&p, 2000, &quiet), 'd');
	ck_assert_int_eq(quiet, 0);
	snprintf(want, sizeof want, " control script=t pid=%d code=3 ",
	    (int)pid);
	ck_assert(queued(&p, want));
	/* Killed: not quiet either. */
	writefile("control/t", "#!/bin/sh\nkill -KILL $$\n", 0755);
	ck_assert_int_eq(svcustom_start(&p, 't', 'x', 3000), 1);
	pid = p.ctl.pid;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	quiet = 1;
	ck_assert_int_eq(svcustom_ended(&p, pid, st, 3000, &quiet), 'x');
	ck_assert_int_eq(quiet, 0);
	ck_assert(queued(&p, " control script=t pid="));
	ck_assert(queued(&p, " signal=KILL "));
}
END_TEST

/* A start's control/u (no byte): prestarted, whatever its exit; a
 * script after its byte's action (no byte either) is not a start. */
START_TEST(test_prestarted)
{
	struct svproc p;
	int w, quiet;

	proc(&p, &w);
	writefile("control/u", "#!/bin/sh\nexit 1\n", 0755);
	writefile("control/d", "#!/bin/sh\nexit 0\n", 0755);
	ck_assert_int_eq(svcustom_start(&p, 'u', 0, 0), 1);
	ck_assert_int_eq(ended(&p, 0, &quiet), 0);
	ck_assert_int_eq(p.prestarted, 1);
	ck_assert_int_eq(quiet, 0);
	ck_assert_int_eq(svcustom_start(&p, 'd', 0, 0), 1);
	ck_assert_int_eq(ended(&p, 0, &quiet), 0);
	ck_assert_int_eq(p.prestarted, 0);
	ck_assert_int_eq(quiet, 1);
}
END_TEST

/* The FIFO's bytes in order; none while a script runs, then the rest. */
START_TEST(test_next)
{
	struct svproc p;
	int w, quiet;

	proc(&p, &w);
	writefile("control/t", "#!/bin/sh\nexit 0\n", 0755);
	ck_assert_int_eq(svcustom_next(&p), -1);
	ck_assert_int_eq(write(w, "udx", 3), 3);
	ck_assert_int_eq(svcustom_next(&p), 'u');
	ck_assert_int_eq(svcustom_next(&p), 'd');
	ck_assert_int_eq(svcustom_next(&p), 'x');
	ck_assert_int_eq(svcustom_next(&p), -1);
	/* Read already, then a script starts: the rest waits. */
	ck_assert_int_eq(write(w, "abc", 3), 3);
	ck_assert_int_eq(svcustom_next(&p), 'a');
	ck_assert_int_eq(svcustom_start(&p, 't', 'a', 0), 1);
	ck_assert_int_eq(svcustom_next(&p), -1);
	ck_assert_int_eq(write(w, "de", 2), 2);	/* still in the FIFO */
	ck_assert_int_eq(svcustom_next(&p), -1);
	ck_assert_int_eq(ended(&p, 0, &quiet), 'a');
	ck_assert_int_eq(svcustom_next(&p), 'b');
	ck_assert_int_eq(svcustom_next(&p), 'c');
	ck_assert_int_eq(svcustom_next(&p), 'd');
	ck_assert_int_eq(svcustom_next(&p), 'e');
	ck_assert_int_eq(svcustom_next(&p), -1);
	/* Every byte value passes as it is. */
	ck_assert_int_eq(write(w, "\0\377", 2), 2);
	ck_assert_int_eq(svcustom_next(&p), 0);
	ck_assert_int_eq(svcustom_next(&p), 255);
	ck_assert_int_eq(svcustom_next(&p), -1);
	/* The writer gone: end of file is none either. */
	close(w);
	ck_assert_int_eq(svcustom_next(&p), -1);
}
END_TEST

/* Pushed bytes wait in order after those read, before the FIFO's; the
 * same byte twice at the end is one. */
START_TEST(test_push)
{
	struct svproc p;
	int w;

	proc(&p, &w);
	svcustom_push(&p, 'x');
	svcustom_push(&p, 'x');
	ck_assert_int_eq(write(w, "u", 1), 1);
	ck_assert_int_eq(svcustom_next(&p), 'x');
	ck_assert_int_eq(svcustom_next(&p), 'u');
	ck_assert_int_eq(svcustom_next(&p), -1);
	ck_assert_int_eq(write(w, "hd", 2), 2);
	ck_assert_int_eq(svcustom_next(&p), 'h');	/* d waits */
	svcustom_push(&p, 'd');				/* as the last: one */
	svcustom_push(&p, 'x');
	svcustom_push(&p, 'd');				/* not the last */
	ck_assert_int_eq(write(w, "t", 1), 1);
	ck_assert_int_eq(svcustom_next(&p), 'd');
	ck_assert_int_eq(svcustom_next(&p), 'x');
	ck_assert_int_eq(svcustom_next(&p), 'd');
	ck_assert_int_eq(svcustom_next(&p), 't');
	ck_assert_int_eq(svcustom_next(&p), -1);
}
END_TEST

/* A queue at the end of its buffer moves down; a full one drops. */
START_TEST(test_push_full)
{
	unsigned char buf[sizeof ((struct svproc *)0)->cq];
	struct svproc p;
	size_t i;
	int w;

	proc(&p, &w);
	for (i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)('A' + i % 26);
	ck_assert_int_eq(write(w, buf, sizeof buf), (ssize_t)sizeof buf);
	ck_assert_int_eq(svcustom_next(&p), 'A');	/* the rest read */
	svcustom_push(&p, '!');				/* moved down */
	svcustom_push(&p, '?');				/* full: dropped */
	ck_assert_int_eq(write(w, "z", 1), 1);
	for (i = 1; i < sizeof buf; i++)
		ck_assert_int_eq(svcustom_next(&p), buf[i]);
	ck_assert_int_eq(svcustom_next(&p), '!');
	ck_assert_int_eq(svcustom_next(&p), 'z');
	ck_assert_int_eq(svcustom_next(&p), -1);
}
END_TEST

/* Past timeout-finish while it runs; never without one, nor once ended. */
START_TEST(test_overdue)
{
	struct svproc p;
	pid_t pid;
	int w, st, quiet;

	proc(&p, &w);
	writefile("control/p", "#!/bin/sh\nexec sleep 100\n", 0755);
	ck_assert_int_eq(svcustom_overdue(&p, 0), 0);
	p.conf.timeout_finish = 100;
	ck_assert_int_eq(svcustom_start(&p, 'p', 'p', 1000), 1);
	pid = p.ctl.pid;
	ck_assert_int_eq(svcustom_overdue(&p, 1099), 0);
	ck_assert_int_eq(svcustom_overdue(&p, 1100), 1);
	svscript_timers(&p.ctl, 1100);		/* TERM to its group */
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WTERMSIG(st), SIGTERM);
	ck_assert_int_eq(svcustom_overdue(&p, 1100), 0);	/* TERM sent */
	ck_assert_int_eq(svcustom_ended(&p, pid, st, 1100, &quiet), 'p');
	ck_assert_int_eq(quiet, 0);
	ck_assert_int_eq(svcustom_overdue(&p, 5000), 0);
	/* No timeout-finish: never overdue. */
	p.conf.timeout_finish = 0;
	ck_assert_int_eq(svcustom_start(&p, 'p', 'p', 1000), 1);
	pid = p.ctl.pid;
	ck_assert_int_eq(svcustom_overdue(&p, (int64_t)1 << 50), 0);
	svscript_cancel(&p.ctl);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WTERMSIG(st), SIGKILL);
}
END_TEST

/* svcustom_defer: queued only while a script runs. */
START_TEST(test_defer)
{
	struct svproc q;

	memset(&q, 0, sizeof q);
	ck_assert_int_eq(svcustom_defer(&q, 'x'), 0);
	ck_assert_uint_eq(q.cqlen, 0);
	q.ctl.pid = 12345;
	ck_assert_int_eq(svcustom_defer(&q, 'x'), 1);
	ck_assert_uint_eq(q.cqlen, 1);
	ck_assert_int_eq(q.cq[q.cqhead], 'x');
}
END_TEST

static Suite *
svcustom_suite(void)
{
	Suite *s = suite_create("svcustom");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_start);
	tcase_add_test(tc, test_start_fails);
	tcase_add_test(tc, test_ended);
	tcase_add_test(tc, test_prestarted);
	tcase_add_test(tc, test_next);
	tcase_add_test(tc, test_push);
	tcase_add_test(tc, test_push_full);
	tcase_add_test(tc, test_overdue);
	tcase_add_test(tc, test_defer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svcustom_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
