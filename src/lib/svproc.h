/* svproc: what supervise knows of one supervised process (the service or
 * its logger) and the bookkeeping that goes with it: the one function
 * that changes its state (and when the status stamp moves), the status
 * record it shows, the facts svfsm decides on, its history records
 * (queued, written after the action they tell of), its own directory,
 * adoption, what is left of its process group. supervise
 * (src/supervise.c) decides when, and starts and reaps the processes. */
#ifndef SVPROC_H
#define SVPROC_H

#include <sys/types.h>
#include <stdint.h>
#include <time.h>

#include "deadline.h"
#include "history.h"
#include "spawn.h"
#include "svconf.h"
#include "svcontrol.h"
#include "svfsm.h"
#include "svscript.h"
#include "svstatus.h"

/* svproc_open's failures. */
#define SVPROC_EMKDIR	1	/* its directory cannot be created */
#define SVPROC_ELOCK	2	/* nor its lock taken */
#define SVPROC_EBUSY	3	/* another supervise holds it */
#define SVPROC_EFIFO	4	/* its FIFOs cannot be opened */

#define SVPROC_POLL_MS	1000	/* an adopted run without pidfd, a group
				 * being emptied: looked at this often */

struct svproc {
	const char	*dir;		/* "." or "log" */
	const char	*sdir;		/* "supervise" or "log/supervise" */
	const char	*name;		/* for messages: "./run" or "log/run" */
	int		 islog;
	struct svfifos	 fifo;
	struct history	 hist;
	struct svconf	 conf;
	struct svstatus_cache statcache; /* what write_status last wrote */
	enum svfsm_state state;		/* changed only by svproc_state() */
	enum svwant	 want;
	pid_t		 pid;		/* ./run */
	pid_t		 pgid;		/* its process group, until emptied */
	pid_t		 fpid;		/* ./finish */
	int		 failed;	/* gave up after max-restarts */
	int		 ready, paused, gotterm;
	int		 normallyup;	/* no ./down at start */
	int		 conferr;	/* a config file was invalid */
	int		 done;		/* kept down by its restart policy */
	int		 broken;	/* run cannot be executed (svcheck) */
	int		 wstatus, exited;	/* how the last run ended */
	unsigned	 shortruns, starts;
	int64_t		 started;	/* monotonic ms of the run's start */
	int64_t		 timer;		/* next deadline in this state */
	int64_t		 killat;	/* SIGKILL to the group, or NOTIME */
	int64_t		 cleanupby;	/* stop waiting for the group then */
	int		 notifyfd;	/* readiness pipe, read end, or -1 */
	int		 hascheck;	/* ./check was executable at start */
	struct svscript	 chk;		/* ./check */
	int64_t		 checkat;	/* next ./check, or NOTIME */
	int64_t		 checkdelay;	/* ms waited before this check */
	unsigned	 failures;	/* failed liveness checks in a row */
	struct svscript	 ctl;		/* a control/ script (runit's) */
	int		 ctlletter;	/* its letter, or 0 */
	int		 ctlbyte;	/* the byte waiting for it, or 0 */
	int		 prestarted;	/* control/u ran: start now */
	unsigned char	 cq[128];	/* control bytes waiting for it */
	unsigned	 cqhead, cqlen;
	int		 pidfd;		/* adopted run: a pidfd, or -1 */
	int		 adopted;	/* the run is not our child */
	struct timespec	 stamp, readystamp, due;
	int		 fd[2];		/* stdin and stdout of its children */
	int		 dirty;		/* the status record is out of date */
	int64_t		 lazyat;	/* ...and written then, not before */
	int		 statuserr;	/* the last status write failed */
	int		 histerr;	/* appending history fails (warned) */
	int		 histerrno;	/* a failure since the last flush */
};

void	svproc_record(struct svproc *, const char *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
int	svproc_flush(struct svproc *);
void	svproc_record_end(struct svproc *, const char *, pid_t, int, int64_t);
int	svproc_startfail(struct svproc *, int, char *, size_t);
int	svproc_cleanup(struct svproc *, int64_t);
int	svproc_open(struct svproc *);
int	svproc_loadconf(struct svproc *);
void	svproc_enter(struct svproc *, enum svfsm_state);
void	svproc_signal(const struct svproc *, int);
void	svproc_nostart(struct svproc *);
void	svproc_apply(struct svproc *, const struct svcmd *);
int64_t	svproc_deadline(const struct svproc *);
void	svproc_killtimer(struct svproc *, int64_t);
void	svproc_delay(struct svproc *, int64_t, int64_t);
int	svproc_visible(enum svfsm_state);
void	svproc_state(struct svproc *, enum svfsm_state,
	    const struct timespec *);
void	svproc_status(const struct svproc *, struct svstatus *);
void	svproc_facts(const struct svproc *, struct svfacts *);
void	svproc_resume(struct svproc *, const struct svstatus *);
void	svproc_init(struct svproc *, const char *, const char *, const char *,
	    int, const struct timespec *);
void	svproc_started(struct svproc *, pid_t, int, int, int64_t,
	    const struct timespec *);
void	svproc_isready(struct svproc *, const struct timespec *);
void	svproc_ended(struct svproc *, int, int64_t);
pid_t	svproc_adopt(struct svproc *, int64_t, const struct timespec *);
void	svproc_spawn(const struct svproc *, struct spawn *, char **);
int	svproc_readiness(struct svproc *, const struct timespec *);
void	svproc_rearm(struct svproc *, int64_t);
int	svproc_unready(const struct svproc *, int64_t);
pid_t	svproc_orphan(struct svproc *, int, int, int64_t,
	    const struct timespec *);

#endif
