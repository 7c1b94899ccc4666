/* svfsm: supervise's decisions as pure functions (see svfsm.h). */
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "svconf.h"
#include "svcontrol.h"
#include "svfsm.h"

/* What control byte c does to a process in the state and want of f.
 * Unknown bytes do nothing. Once exiting, what is wanted stays exit. */
struct svcmd
svfsm_control(const struct svfacts *f, int c)
{
	struct svcmd r = { 0, f->want, 0, NULL };
	int running = svfsm_running(f->state);
	int idle = f->state == SVS_DOWN || f->state == SVS_WAIT;

	switch (c) {
	case 'u':
	case 'o':
		if (f->want == SVW_EXIT)
			break;
		r.want = c == 'u' ? SVW_UP : SVW_ONCE;
		r.event = c == 'u' ? "up" : "once";
		r.act = SVA_UNFAIL | (idle ? SVA_START : 0);
		break;
	case 'x':
	case 'd':
		if (c == 'x' && f->islog)
			break;
		if (c == 'x' || f->want == SVW_EXIT)
			r.want = SVW_EXIT;
		else
			r.want = SVW_DOWN;
		r.event = c == 'x' ? "shutdown" : "down";
		/* In FINISH and CLEANUP only the want changes: what follows
		 * the run's end (svfsm_settle) keeps it down. */
		r.act = running ? SVA_STOP : f->state == SVS_WAIT ?
		    SVA_CANCEL : 0;
		break;
	case 'p':
		r.act = running ? SVA_SIGNAL | SVA_PAUSE : SVA_UNPAUSE;
		r.sig = SIGSTOP;
		break;
	case 'c':
		r.act = running ? SVA_SIGNAL | SVA_UNPAUSE : SVA_UNPAUSE;
		r.sig = SIGCONT;
		break;
	default:
		if ((r.sig = svcontrol_signal(c)) == 0 || !running)
			break;
		r.act = SVA_SIGNAL | (r.sig == SIGTERM ? SVA_GOTTERM : 0);
		r.event = "signal";
		break;
	}
	return r;
}

/* The control/ script that runs before control byte c's action m, as in
 * runit's runsv: the script named by the letter when a signal is to be
 * sent (its exit 0 means none is), control/t for d and x when they stop a
 * run (it stands for the down signal); 0 for none. control/u is not here:
 * it runs before every start (u, o, or a restart). The logger's control
 * is not customised. */
int
svfsm_prescript(const struct svfacts *f, int c, const struct svcmd *m)
{
	if (f->islog)
		return 0;
	if (m->act & SVA_STOP)
		return 't';
	if (m->act & SVA_SIGNAL)
		return c;
	return 0;
}

/* Action m, its control/ script having passed: the script stood in for
 * the signal, so none is sent, none recorded, and the run did not get
 * TERM from us; a stop still stops (down, KILL after timeout-kill). */
struct svcmd
svfsm_quiet(struct svcmd m)
{
	if (m.act & SVA_SIGNAL)
		m.event = NULL;
	m.act &= ~(unsigned)(SVA_SIGNAL | SVA_GOTTERM);
	if (m.act & SVA_STOP)
		m.act |= SVA_QUIET;
	return m;
}

/* The control/ script that runs after an action m that stopped or sent
 * TERM to a run (f: the facts before it), as runsv does: control/d when
 * what is wanted afterwards is down, control/x when it is exit; 0 for
 * none. */
int
svfsm_postscript(const struct svfacts *f, const struct svcmd *m)
{
	if (f->islog || !svfsm_running(f->state) ||
	    (m->act & (SVA_STOP | SVA_GOTTERM)) == 0 || m->want == SVW_UP)
		return 0;
	return m->want == SVW_EXIT ? 'x' : 'd';
}

/* The run, its ./finish and its process group are all gone: start again
 * now, after a delay, or stay down, and why. */
struct svnext
svfsm_settle(const struct svfacts *f)
{
	struct svnext n = { SVE_DOWN, f->want, 0 };

	if (f->want != SVW_UP) {
		if (f->want == SVW_ONCE)
			n.want = SVW_DOWN;
		return n;
	}
	/* Down, so that "sv up" (which skips a letter already in byte 17)
	 * can start it again. */
	n.want = SVW_DOWN;
	if (f->restart == RESTART_NEVER ||
	    (f->restart == RESTART_ON_FAILURE && f->cleanexit)) {
		n.what = SVE_DONE;
		return n;
	}
	if (f->max_restarts > 0 && f->shortruns >= f->max_restarts) {
		n.what = SVE_FAILED;
		return n;
	}
	n.want = SVW_UP;
	if (f->shortruns == 0) {
		n.what = SVE_START;
		return n;
	}
	n.what = SVE_DELAY;
	n.delay = svfsm_backoff(f->shortruns, f->backoff_max);
	return n;
}

/* A run, ready or not: what a control byte may signal. */
int
svfsm_running(enum svfsm_state s)
{
	return s == SVS_RUN || s == SVS_STARTING;
}

/* The state of a run just started: not ready yet when readiness comes
 * from a ./check (hascheck) or a notification-fd (hasfd), else ready. */
enum svfsm_state
svfsm_startstate(int hascheck, int hasfd)
{
	return hascheck || hasfd ? SVS_STARTING : SVS_RUN;
}

/* The wait before the next readiness check after one that failed, the
 * one before having waited prev ms (0: none yet): 10, 20, 40 ... ms,
 * capped at SVFSM_CHECK_CAP. */
int64_t
svfsm_checkdelay(int64_t prev)
{
	if (prev <= 0)
		return SVFSM_CHECK_FIRST;
	return prev >= SVFSM_CHECK_CAP / 2 ? SVFSM_CHECK_CAP : prev * 2;
}

/* A run of ./check ended, passed or not, for a run in the state of f:
 * ready on the first pass while starting; once ready, a liveness check
 * (only with a check-interval) that fails check-failures times in a row
 * makes the run unhealthy, to be stopped as by t. */
struct svcheck
svfsm_checked(const struct svfacts *f, int passed)
{
	struct svcheck r = { f->state, -1, 0, 0, NULL };

	if (f->state == SVS_STARTING) {
		if (passed) {
			r.state = SVS_RUN;
			r.event = "ready";
			if (f->check_interval > 0)
				r.again = f->check_interval;
		} else
			r.again = svfsm_checkdelay(f->checkdelay);
		return r;
	}
	if (f->state != SVS_RUN || f->check_interval <= 0)
		return r;
	r.again = f->check_interval;
	if (passed)
		return r;
	r.failures = f->failures + 1;
	if (f->check_failures > 0 && r.failures >= f->check_failures) {
		r.again = -1;
		r.stop = 1;
		r.event = "unhealthy";
	}
	return r;
}

/* The restart delay after n short runs in a row: 1 s, 2 s, 4 s ... up to
 * max ms. */
int64_t
svfsm_backoff(unsigned n, int64_t max)
{
	int64_t d = 1000;
	unsigned i;

	for (i = 1; i < n && d < max; i++)
		d *= 2;
	return d < max ? d : max;
}

/* The count of short runs in a row after a run of runtime ms: one more
 * if it lasted less than min_uptime ms, else none. */
unsigned
svfsm_shortruns(unsigned n, int64_t runtime, int64_t min_uptime)
{
	return runtime < min_uptime ? n + 1 : 0;
}

/* Byte 17 of the status record. */
int
svfsm_wantbyte(enum svwant w)
{
	return w == SVW_UP ? 'u' : 'd';
}

/* What is wanted, from byte 17 and the SVF_ONCE flag of a status record. */
enum svwant
svfsm_want_from(int byte, int once)
{
	if (once)
		return SVW_ONCE;
	return byte == 'u' ? SVW_UP : SVW_DOWN;
}
