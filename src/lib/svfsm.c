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
	int running = f->state == SVS_RUN;
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
