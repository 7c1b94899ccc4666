/* svscript: a script supervise runs beside a service (./check, or a
 * control/ script): started in a session of its own, bounded by a
 * timeout after which its whole group gets TERM, then KILL a second later
 * (even when the script itself is gone by then, so its children are
 * too). The output of ./check is kept in a file replaced whole. The
 * caller reaps the children and passes the pids in. */
#ifndef SVSCRIPT_H
#define SVSCRIPT_H

#include <sys/types.h>
#include <stdint.h>

#include "spawn.h"

#define SVSCRIPT_KILL_MS	1000	/* timed out: TERM, then KILL */

struct svscript {
	pid_t		 pid;		/* running, or 0 */
	pid_t		 pgid;		/* a timed-out script's group, or 0 */
	int64_t		 at;		/* its timeout, or NOTIME */
	int64_t		 killat;	/* KILL to pgid then, or NOTIME */
	int64_t		 started;	/* ms, when it started */
	int		 timedout;	/* this run got the TERM */
};

void	svscript_init(struct svscript *);
pid_t	svscript_start(struct svscript *, struct spawn *, int64_t, int64_t);
int64_t	svscript_deadline(const struct svscript *);
void	svscript_timers(struct svscript *, int64_t);
int	svscript_reaped(struct svscript *, pid_t);
void	svscript_cancel(struct svscript *);
int	svscript_passed(int);
int	svscript_outfd(const char *, const char *, int);
void	svscript_keep(const char *, const char *, long);

#endif
