/* svcustom: the control/ scripts of a service (svcustom.h). */
#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "history.h"
#include "path.h"
#include "spawn.h"
#include "svcustom.h"
#include "svscript.h"

/* Start control/LETTER of p, if executable, for control byte c (0: none:
 * a start's control/u, or a script that runs after its byte's action).
 * 1 if it runs, 0 if there is none, -1 if it could not start (errno set;
 * the byte's action goes on as without it). */
int
svcustom_start(struct svproc *p, int letter, int c, int64_t now)
{
	char name[16], path[64];
	char *argv[] = { path, NULL };
	struct spawn sp;

	if (p->islog)
		return 0;
	snprintf(name, sizeof name, "control/%c", letter);
	if (path_join(path, sizeof path, p->dir, name) == -1 ||
	    access(path, X_OK) == -1)
		return 0;
	svproc_spawn(p, &sp, argv);
	if (svscript_start(&p->ctl, &sp, p->conf.timeout_finish, now) == -1)
		return -1;
	p->ctlletter = letter;
	p->ctlbyte = c;
	return 1;
}

/* pid was reaped: if it was p's control/ script, record how it ended
 * (wait status st) and return the byte that waited for it, with *quiet
 * set when it passed (the byte's signal is not sent); 0 when no byte
 * waited (after a start's control/u, prestarted is set: the start goes
 * on). -1 if pid is not the script. */
int
svcustom_ended(struct svproc *p, pid_t pid, int st, int64_t now, int *quiet)
{
	char kv[128];
	int c = p->ctlbyte;

	if (!svscript_reaped(&p->ctl, pid))
		return -1;
	(void)history_end_kv(kv, sizeof kv, pid, st, now - p->ctl.started);
	svproc_record(p, "control", "script=%c %s", p->ctlletter, kv);
	p->prestarted = p->ctlletter == 'u' && c == 0;
	*quiet = svscript_passed(st);
	p->ctlletter = p->ctlbyte = 0;
	return c;
}

/* The next control byte for p, or -1: none waits, or a script runs (the
 * rest waits for it). Read from p's control FIFO once those already read
 * are done. */
int
svcustom_next(struct svproc *p)
{
	ssize_t r;

	if (p->ctl.pid > 0)
		return -1;
	if (p->cqlen == 0) {
		p->cqhead = 0;
		if ((r = fd_read(p->fifo.ctl, p->cq, sizeof p->cq)) <= 0)
			return -1;
		p->cqlen = (unsigned)r;
	}
	p->cqlen--;
	return p->cq[p->cqhead++];
}

/* Make c wait with the bytes read (SIGTERM's x while a script runs);
 * the same byte twice at the end is one. */
void
svcustom_push(struct svproc *p, int c)
{
	if (p->cqlen > 0 && p->cq[p->cqhead + p->cqlen - 1] == c)
		return;
	if (p->cqhead + p->cqlen == sizeof p->cq) {
		memmove(p->cq, p->cq + p->cqhead, p->cqlen);
		p->cqhead = 0;
	}
	if (p->cqlen < sizeof p->cq)
		p->cq[p->cqhead + p->cqlen++] = (unsigned char)c;
}

/* Byte c from elsewhere than the FIFO (SIGTERM's x): 1 if it waits, a
 * script running (svcustom_push), 0 if the caller acts on it now. */
int
svcustom_defer(struct svproc *p, int c)
{
	if (p->ctl.pid <= 0)
		return 0;
	svcustom_push(p, c);
	return 1;
}

/* p's script passed timeout-finish at now (it gets TERM, then KILL). */
int
svcustom_overdue(const struct svproc *p, int64_t now)
{
	return p->ctl.pid > 0 && p->ctl.at <= now;
}
