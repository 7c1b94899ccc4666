/* shutdown: the decisions of a container's init (see shutdown.h). */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "shutdown.h"

void
shutdown_init(struct shutdown *sd, int64_t killms, int hascmd)
{
	memset(sd, 0, sizeof *sd);
	sd->killms = killms;
	sd->hascmd = hascmd;
	sd->stopby = sd->deadline = sd->hardby = NOTIME;
}

/* CMD's exit code "code" counts as 0 (-e). -1 (E2BIG) when full. */
int
shutdown_exitok(struct shutdown *sd, int code)
{
	if (sd->nexitok == SHUTDOWN_EXITOK_MAX) {
		errno = E2BIG;
		return -1;
	}
	sd->exitok[sd->nexitok++] = code;
	return 0;
}

/* The deadline runs from the first reason to stop. */
static void
arm(struct shutdown *sd, int64_t now)
{
	if (sd->deadline != NOTIME)
		return;
	sd->deadline = now + sd->killms;
	sd->hardby = sd->deadline + SHUTDOWN_HARD_MS;
}

/* A reason to stop. CMD first: TERM, and the services when it is gone
 * (or at half the deadline); without CMD the services at once. code is
 * the essential service's exit code. */
unsigned
shutdown_request(struct shutdown *sd, enum sd_cause cause, int code,
    int64_t now)
{
	if (sd->cause == SD_NONE) {
		sd->cause = cause;
		sd->esscode = code;
	}
	arm(sd, now);
	if (sd->cmdrunning) {
		if (sd->stopby != NOTIME)
			return 0;	/* CMD has had its TERM */
		sd->stopby = now + sd->killms / 2;
		return SD_TERM_CMD;
	}
	if (sd->stopping)
		return 0;
	sd->stopping = 1;
	return SD_STOP_ALL;
}

/* What signal sig means now. With CMD running, all but CHLD, ALRM and
 * PWR go on to it, and TERM or INT also start the deadline: the services
 * keep running while CMD shuts down. */
unsigned
shutdown_signal(struct shutdown *sd, int sig, int64_t now)
{
	switch (sig) {
	case SIGCHLD:
		return 0;
	case SIGALRM:
		return SD_RESCAN;
#ifdef SIGPWR
	case SIGPWR:
		return shutdown_request(sd, SD_SIGNAL, 0, now);
#endif
	default:
		break;
	}
	if (sd->cmdrunning) {
		if (sig == SIGTERM || sig == SIGINT) {
			if (sd->cause == SD_NONE)
				sd->cause = SD_SIGNAL;
			arm(sd, now);
			if (sd->stopby == NOTIME)
				sd->stopby = now + sd->killms / 2;
		}
		return SD_FORWARD;
	}
	switch (sig) {
	case SIGHUP:
		return SD_RESCAN;
	case SIGTERM:
	case SIGINT:
	case SIGQUIT:
		return shutdown_request(sd, SD_SIGNAL, 0, now);
	default:
		return 0;
	}
}

unsigned
shutdown_cmd_started(struct shutdown *sd)
{
	sd->cmdrunning = 1;
	return 0;
}

/* CMD is gone, with exit code code (or could not run: 126, 127). */
unsigned
shutdown_cmd_exited(struct shutdown *sd, int code, int64_t now)
{
	sd->cmdrunning = 0;
	sd->cmdcode = code;
	return shutdown_request(sd, SD_CMD, 0, now);
}

/* The deadlines that have passed. */
unsigned
shutdown_tick(struct shutdown *sd, int64_t now)
{
	unsigned act = 0;

	if (!sd->stopping && sd->stopby <= now) {
		sd->stopping = 1;
		act |= SD_STOP_ALL;
	}
	if (sd->deadline <= now) {
		sd->deadline = NOTIME;
		if (!sd->stopping) {
			sd->stopping = 1;
			act |= SD_STOP_ALL;
		}
		act |= SD_KILL;
	}
	if (sd->hardby <= now) {
		sd->hardby = NOTIME;
		act |= SD_KILL_HARD;
	}
	return act;
}

/* When shutdown_tick() has something to do next, or NOTIME. */
int64_t
shutdown_next(const struct shutdown *sd)
{
	int64_t next = sd->deadline < sd->hardby ? sd->deadline : sd->hardby;

	if (!sd->stopping && sd->stopby < next)
		next = sd->stopby;
	return next;
}

/* The exit status: an essential service's code, 111 for -R, CMD's code
 * (0 if -e says so), else 0, or 1 when something was killed at the
 * deadline. */
int
shutdown_status(const struct shutdown *sd)
{
	size_t i;

	if (sd->cause == SD_ESSENTIAL)
		return sd->esscode;
	if (sd->cause == SD_UNREADY)
		return 111;
	if (sd->hascmd) {
		for (i = 0; i < sd->nexitok; i++)
			if (sd->cmdcode == sd->exitok[i])
				return 0;
		return sd->cmdcode;
	}
	return sd->killed ? 1 : 0;
}

/* 1 for a signal that asks for a stop while no CMD runs (TERM, INT,
 * QUIT, PWR): what .svscan/init and .svscan/finish are given TERM for. */
int
shutdown_stops(int sig)
{
#ifdef SIGPWR
	if (sig == SIGPWR)
		return 1;
#endif
	return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT;
}

/* An exit code from a wait status: the code, or 128 + the signal. */
int
shutdown_exitcode(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}
