/* shutdown: svscan's rules as the init of a container, as decisions with
 * no process and no clock in them (DESIGN.md 7): what a signal means, when
 * CMD gets TERM, when the services are told to stop, when what is left is
 * killed, and the exit status. Each call returns the actions (SD_*) for
 * the caller to carry out; "now" is passed in, in monotonic ms.
 *
 *   reason to stop ─┬─ CMD running: TERM to CMD; services at CMD's exit,
 *                   │                 or at half the deadline
 *                   └─ no CMD: the services at once
 *   deadline (first reason + killms): KILL CMD and the services' groups
 *   deadline + SHUTDOWN_HARD_MS: KILL the loggers and supervise too
 */
#ifndef SHUTDOWN_H
#define SHUTDOWN_H

#include <stddef.h>
#include <stdint.h>

#include "deadline.h"

#define SHUTDOWN_HARD_MS	2000
#define SHUTDOWN_EXITOK_MAX	16

/* Actions. */
#define SD_FORWARD	0x01	/* pass the signal on to CMD */
#define SD_RESCAN	0x02	/* rescan the directory */
#define SD_TERM_CMD	0x04	/* TERM (and CONT) to CMD */
#define SD_STOP_ALL	0x08	/* tell every supervise to exit */
#define SD_KILL		0x10	/* the deadline: KILL CMD and every service */
#define SD_KILL_HARD	0x20	/* long past it: KILL loggers, supervise */

/* Why the tree stopped, for the exit status. */
enum sd_cause {
	SD_NONE,
	SD_SIGNAL,	/* TERM, INT, QUIT, PWR, or 't' */
	SD_CMD,		/* CMD exited (or could not run) */
	SD_ESSENTIAL,	/* an essential service is down for good */
	SD_UNREADY	/* -R: not ready in time */
};

struct shutdown {
	int64_t		 killms;	/* the overall deadline */
	int		 exitok[SHUTDOWN_EXITOK_MAX];	/* CMD codes meaning 0 */
	size_t		 nexitok;
	int		 hascmd;	/* svscan was given CMD */
	int		 cmdrunning;
	int		 cmdcode;	/* CMD's exit code, 128+signal */
	enum sd_cause	 cause;		/* the first reason to stop */
	int		 esscode;	/* the essential service's code */
	int		 stopping;	/* the services were told to stop */
	int		 killed;	/* something was killed at the deadline */
	int64_t		 stopby;	/* tell the services then at the latest */
	int64_t		 deadline;
	int64_t		 hardby;
};

void	 shutdown_init(struct shutdown *, int64_t, int);
int	 shutdown_exitok(struct shutdown *, int);
unsigned shutdown_signal(struct shutdown *, int, int64_t);
unsigned shutdown_request(struct shutdown *, enum sd_cause, int, int64_t);
unsigned shutdown_cmd_started(struct shutdown *);
unsigned shutdown_cmd_exited(struct shutdown *, int, int64_t);
unsigned shutdown_tick(struct shutdown *, int64_t);
int64_t	 shutdown_next(const struct shutdown *);
int	 shutdown_status(const struct shutdown *);
int	 shutdown_exitcode(int);
int	 shutdown_stops(int);

#endif
