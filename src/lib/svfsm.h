/* svfsm: supervise's decisions, with no process and no clock in them:
 * what a control byte does in each state, and what follows the end of a
 * run (start again now, after a delay, stay down, done by its restart
 * policy, failed). supervise (src/supervise.c) passes the facts in and
 * carries out the actions that come back.
 *
 * What is wanted is one value, svwant: up, down, once (one run, then
 * down), exit (down, then supervise exits; nothing changes it back). The
 * status record shows it as byte 17 ('u' for up, 'd' otherwise) and the
 * SVF_ONCE and SVF_EXIT flags.
 */
#ifndef SVFSM_H
#define SVFSM_H

#include <stdint.h>

enum svwant {
	SVW_UP,
	SVW_DOWN,
	SVW_ONCE,
	SVW_EXIT
};

/* The status record shows DOWN for SVS_DOWN, SVS_WAIT and SVS_CLEANUP,
 * RUN for SVS_RUN and SVS_STARTING, FINISH for SVS_FINISH. SVS_STARTING
 * is a run not yet ready (its ./check has not passed, its notification-fd
 * has not spoken); a control byte treats it as SVS_RUN (svfsm_running),
 * and the checks' own transitions are svfsm_checked. */
enum svfsm_state {
	SVS_DOWN,	/* not running, nothing planned */
	SVS_WAIT,	/* not running, next start at a deadline (backoff) */
	SVS_RUN,	/* ./run running */
	SVS_FINISH,	/* ./finish running */
	SVS_CLEANUP,	/* run ended; its process group is being emptied */
	SVS_STARTING	/* ./run running, not ready yet */
};

#define SVFSM_CHECK_FIRST	10	/* ms: first retry of a failed
					 * readiness check */
#define SVFSM_CHECK_CAP		1000	/* ms: the retries' cap */

struct svfacts {
	enum svfsm_state	 state;
	enum svwant	 want;
	int		 islog;		/* the logger: 'x' means nothing */
	int		 restart;	/* enum restart_policy (svconf.h) */
	int64_t		 max_restarts;	/* 0: never give up */
	int64_t		 backoff_max;	/* ms */
	unsigned	 shortruns;	/* short runs in a row, the last one
					 * included */
	int		 cleanexit;	/* the last run exited 0 */
	int64_t		 checkdelay;	/* ms before the last check retry */
	int64_t		 check_interval;	/* ms, 0: readiness only */
	int64_t		 check_failures;	/* unhealthy after so many */
	unsigned	 failures;	/* failed liveness checks in a row */
};

/* What a control byte asks for. */
#define SVA_START	0x01	/* start ./run now */
#define SVA_STOP	0x02	/* down signal and CONT, KILL after
				 * timeout-kill */
#define SVA_CANCEL	0x04	/* a planned start is off: SVS_DOWN */
#define SVA_SIGNAL	0x08	/* send sig to the run */
#define SVA_GOTTERM	0x10	/* the run was sent TERM */
#define SVA_PAUSE	0x20	/* the run is paused */
#define SVA_UNPAUSE	0x40	/* it is not */
#define SVA_UNFAIL	0x80	/* forget the failed mark */
#define SVA_QUIET	0x100	/* with SVA_STOP: a control/ script stood
				 * in for the down signal (svfsm_quiet) */

struct svcmd {
	unsigned	 act;		/* SVA_* */
	enum svwant	 want;		/* what is wanted afterwards */
	int		 sig;		/* with SVA_SIGNAL */
	const char	*event;		/* history event, or NULL */
};

/* What follows the end of a run (its finish and its group gone). */
enum svend {
	SVE_DOWN,	/* not wanted up: stay down */
	SVE_DONE,	/* the restart policy says no more */
	SVE_FAILED,	/* max-restarts short runs in a row */
	SVE_START,	/* start again now */
	SVE_DELAY	/* start again after "delay" ms: SVS_WAIT */
};

struct svnext {
	enum svend	 what;
	enum svwant	 want;		/* what is wanted afterwards */
	int64_t		 delay;		/* ms, with SVE_DELAY */
};

/* What follows the end of one run of ./check. */
struct svcheck {
	enum svfsm_state state;		/* the run's state afterwards */
	int64_t		 again;		/* ms to the next check, or -1 */
	unsigned	 failures;	/* failed liveness checks in a row */
	int		 stop;		/* stop the run as by t */
	const char	*event;		/* "ready", "unhealthy", or NULL */
};

struct svcmd	svfsm_control(const struct svfacts *, int);
struct svnext	svfsm_settle(const struct svfacts *);
int		svfsm_prescript(const struct svfacts *, int,
		    const struct svcmd *);
struct svcmd	svfsm_quiet(struct svcmd);
int		svfsm_postscript(const struct svfacts *, const struct svcmd *);
int		svfsm_running(enum svfsm_state);
enum svfsm_state svfsm_startstate(int, int);
int64_t		svfsm_checkdelay(int64_t);
struct svcheck	svfsm_checked(const struct svfacts *, int);
int64_t		svfsm_backoff(unsigned, int64_t);
unsigned	svfsm_shortruns(unsigned, int64_t, int64_t);
int		svfsm_wantbyte(enum svwant);
enum svwant	svfsm_want_from(int, int);

#endif
