/* svhealth: a supervised process's ./check (svhealth.h). */
#include <sys/types.h>

#include <unistd.h>

#include "deadline.h"
#include "path.h"
#include "spawn.h"
#include "svfsm.h"
#include "svhealth.h"
#include "svscript.h"
#include "timefmt.h"

/* p's directory has an executable ./check. */
int
svhealth_exists(const struct svproc *p)
{
	return path_isexec(p->dir, "check");
}

/* A run just started (svproc_started, told whether ./check exists): 1 if
 * its first check runs now (it says when the run is ready), else 0, with
 * the liveness check armed when the run is ready at once. */
int
svhealth_started(struct svproc *p, int exists, int64_t now)
{
	if (p->hascheck)
		return 1;
	if (exists && p->state == SVS_RUN && p->conf.check_interval > 0) {
		p->hascheck = 1;	/* ready at once: liveness only */
		p->checkat = now + p->conf.check_interval;
	} else
		p->hascheck = exists;
	return 0;
}

/* An adopted run's checks go on: readiness if it was not ready yet (in
 * STARTING again, its ready-timeout counted from when it started), else
 * liveness with a check-interval. */
int
svhealth_adopted(struct svproc *p, int64_t now)
{
	struct timespec ts;

	if (!svhealth_exists(p))
		return 0;
	p->hascheck = 1;
	if (!p->ready && p->conf.notification_fd < 0) {
		timefmt_now(&ts);
		svproc_state(p, SVS_STARTING, &ts);
		svproc_rearm(p, now);
		p->checkat = now;
	} else if (p->ready && p->conf.check_interval > 0)
		p->checkat = now + p->conf.check_interval;
	return 1;
}

/* Run ./check now: stdin devnull, its output to check.out.new (put in
 * place when it ends), killed with its group at check-timeout. Its pid,
 * or -1 (errno set: the caller reports it, then svhealth_ended(-1)). */
pid_t
svhealth_run(struct svproc *p, int devnull, int64_t now)
{
	char *argv[] = { "./check", NULL };
	struct spawn sp;
	pid_t pid;
	int fd;

	p->checkat = NOTIME;
	fd = svscript_outfd(p->sdir, "check.out", devnull);
	spawn_init(&sp, argv[0], argv);
	sp.cwd = p->dir;
	sp.fd[0] = devnull;
	sp.fd[1] = sp.fd[2] = fd;
	pid = svscript_start(&p->chk, &sp, p->conf.check_timeout, now);
	if (fd != devnull)
		close(fd);
	return pid;
}

/* ./check ended with wait status st (-1: it could not run): keep its
 * output, then carry out what svfsm_checked decides: ready, the next
 * check, unhealthy. 1 if the run must be stopped (as by t), else 0. A
 * stopping run gets no further check. */
int
svhealth_ended(struct svproc *p, int st, int64_t now)
{
	struct timespec ts;
	struct svfacts f;
	struct svcheck r;

	p->checkat = NOTIME;
	svscript_keep(p->sdir, "check.out", SVHEALTH_OUT_MAX);
	svproc_facts(p, &f);
	r = svfsm_checked(&f, svscript_passed(st));
	p->failures = r.failures;
	if (r.event != NULL && r.state == SVS_RUN &&
	    p->state == SVS_STARTING) {
		timefmt_now(&ts);
		svproc_isready(p, &ts);
		svproc_rearm(p, now);	/* no more ready-timeout */
		svproc_record(p, "ready", "pid=%d via=check", (int)p->pid);
	} else if (r.event != NULL)
		svproc_record(p, r.event, "pid=%d failures=%u", (int)p->pid,
		    r.failures);
	if (r.failures != 0)
		p->dirty = 1;
	if (r.again >= 0 && !p->gotterm && !r.stop) {
		p->checkdelay = r.again;
		p->checkat = now + r.again;
	}
	return r.stop;
}

/* The check's deadlines at now: its timeout and KILL. 1 if the next check
 * is due now. */
int
svhealth_due(struct svproc *p, int64_t now)
{
	svscript_timers(&p->chk, now);
	return p->checkat <= now && p->chk.pid == 0 &&
	    svfsm_running(p->state);
}

/* The run ended: a check's result would mean nothing now. */
void
svhealth_cancel(struct svproc *p)
{
	svscript_cancel(&p->chk);
	p->checkat = NOTIME;
}
