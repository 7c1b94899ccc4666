/* svscript: scripts run beside a service, bounded in time (svscript.h). */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "atomicfile.h"
#include "deadline.h"
#include "path.h"
#include "svscript.h"

void
svscript_init(struct svscript *s)
{
	s->pid = s->pgid = 0;
	s->at = s->killat = NOTIME;
	s->started = 0;
	s->timedout = 0;
}

/* Start sp in a session of its own at now (ms), to be stopped after
 * timeout ms (0: never). Its pid, or -1 (errno set). */
pid_t
svscript_start(struct svscript *s, struct spawn *sp, int64_t timeout,
    int64_t now)
{
	pid_t pid;

	sp->setsid = 1;
	if ((pid = spawn_run(sp)) == -1)
		return -1;
	s->pid = pid;
	s->started = now;
	s->timedout = 0;
	s->at = timeout > 0 ? now + timeout : NOTIME;
	return pid;
}

/* The next time svscript_timers has something to do, or NOTIME. */
int64_t
svscript_deadline(const struct svscript *s)
{
	return deadline_earliest(s->at, s->killat);
}

/* Carry out what is due at now: the timeout's TERM to the script's group
 * (and CONT, should it be stopped), the KILL a second later. */
void
svscript_timers(struct svscript *s, int64_t now)
{
	if (s->killat <= now) {
		s->killat = NOTIME;
		if (s->pgid > 0)
			(void)kill(-s->pgid, SIGKILL);
		s->pgid = 0;
	}
	if (s->at <= now) {
		s->at = NOTIME;
		if (s->pid > 0) {
			/* An earlier timed-out group still waiting for its
			 * KILL gets it now, rather than be forgotten. */
			if (s->pgid > 0 && s->pgid != s->pid)
				(void)kill(-s->pgid, SIGKILL);
			(void)kill(-s->pid, SIGTERM);
			(void)kill(-s->pid, SIGCONT);
			s->pgid = s->pid;
			s->killat = now + SVSCRIPT_KILL_MS;
			s->timedout = 1;
		}
	}
}

/* pid was reaped: 1 if it was the script (now ended), else 0. A group
 * being killed stays on the list until its KILL. */
int
svscript_reaped(struct svscript *s, pid_t pid)
{
	if (s->pid <= 0 || pid != s->pid)
		return 0;
	s->pid = 0;
	s->at = NOTIME;
	return 1;
}

/* Its result would mean nothing now: KILL its whole group at once. The
 * caller still reaps it (svscript_reaped returns 0 from now on). */
void
svscript_cancel(struct svscript *s)
{
	if (s->pid > 0)
		(void)kill(-s->pid, SIGKILL);
	if (s->pgid > 0 && s->pgid != s->pid)
		(void)kill(-s->pgid, SIGKILL);
	svscript_init(s);
}

/* Wait status st (-1: it could not run) means the script passed: it
 * exited 0. */
int
svscript_passed(int st)
{
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* A descriptor for the output of a script, dir/NAME.new (svscript_keep
 * puts it in place), or fallback when it cannot be created. */
int
svscript_outfd(const char *dir, const char *name, int fallback)
{
	char path[64], tmp[64];
	int fd;

	if (snprintf(tmp, sizeof tmp, "%s.new", name) >= (int)sizeof tmp ||
	    path_join(path, sizeof path, dir, tmp) == -1 ||
	    (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		return fallback;
	return fd;
}

/* The script writing dir/NAME.new ended: keep its first max bytes as
 * dir/NAME, replaced whole. */
void
svscript_keep(const char *dir, const char *name, long max)
{
	char path[64], tmp[64], new[64];
	struct stat sb;

	if (snprintf(new, sizeof new, "%s.new", name) >= (int)sizeof new ||
	    path_join(tmp, sizeof tmp, dir, new) == -1 ||
	    path_join(path, sizeof path, dir, name) == -1 ||
	    stat(tmp, &sb) == -1)
		return;
	if (sb.st_size > max)
		(void)truncate(tmp, max);
	(void)atomicfile_replace(tmp, path, 0);
}
