/*
 * svscan [options] [DIR] [-- CMD ARG...]: keep one supervise running per
 * service directory of DIR; as PID 1 of a container (or with a main
 * command), also run CMD, reap every orphan and shut everything down in
 * order.
 *
 * Owns DIR/.svscan/: lock (held while we run) and control (a FIFO: 'a'
 * rescan, 'h' hand over to a newer svscan, 't' shut down); runs
 * DIR/.svscan/init before anything starts and DIR/.svscan/finish once
 * every service is down.
 *
 * A subdirectory (or symlink to one) whose name does not start with '.' is
 * a service. Entries are keyed by (device, inode), so a renamed directory
 * keeps its supervise. DIR is rescanned at start, on SIGHUP and SIGALRM,
 * and whenever inotify reports a change of DIR (a stat of DIR every 5 s
 * only where inotify is missing): idle, svscan makes no system call.
 *
 * A supervise found already running (left by an svscan that was killed, or
 * handed over by one that was replaced) is adopted rather than started
 * again: we keep its control FIFO open for writing, and poll() reports
 * POLLERR on it when that supervise goes away. Our own children are
 * watched with waitpid(). A supervise that dies is started again (at once
 * if it ran a second or more, else after a second). A directory that
 * disappears gets its supervise told to exit ('x': stop the service, let
 * the logger drain); the entry is forgotten once that supervise is gone.
 *
 * Shutdown (SIGTERM, SIGINT, SIGPWR, SIGQUIT without CMD; CMD's exit; an
 * essential service down for good; 't'): CMD first gets TERM, the
 * services stop once it is gone (at the latest at half the deadline), all
 * at once: every supervise is told to exit. At the overall deadline (-k)
 * what still runs is killed. Then .svscan/finish, then, as PID 1, TERM
 * and KILL to whatever is left; svscan exits as soon as nothing is left.
 * svscan is a child subreaper: orphans below it are reaped here. The
 * rules of a stop are decisions in src/lib/shutdown.c, tested without
 * processes; this file carries them out. The options and environment are
 * src/lib/svscanopt.c, the table of services src/lib/svtab.c.
 */
#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "diag.h"
#include "fdutil.h"
#include "lock.h"
#include "num.h"
#include "path.h"
#include "selfpipe.h"
#include "shutdown.h"
#include "spawn.h"
#include "svcontrol.h"
#include "svscanopt.h"
#include "svstatus.h"
#include "svtab.h"
#include "timefmt.h"
#include "version.h"
#include "watch.h"

#define RESTART_MS	1000	/* least time between two starts of a supervise */
#define STAT_MS		5000	/* rescan period without inotify */
#define HANDOVER_MS	5000	/* how long a new svscan waits for the old */
#define FINISH_MIN_MS	2000	/* .svscan/finish gets at least this */
#define REST_MIN_MS	1000	/* PID 1: the rest's grace between TERM and KILL */
#define WATCH_RETRY_MS	20	/* a supervise/ not there yet: look again */
#define WATCH_SLOW_MS	1000	/* the same, no readiness wait going on */

struct scan {
	struct svscanopt o;
	struct svtab	 tab;		/* the services */
	int		 ifd;		/* inotify, or -1 */
	int		 dirwd;		/* its watch of DIR */
	struct timespec	 mtime;		/* of DIR, without inotify */
	struct svfifos	 fifo;		/* .svscan/control */
	char		 supervise[PATH_MAX];
	int		 usepath;	/* supervise found through PATH */
	int		 pid1;
	int		 waitready;	/* -r: CMD waits for the services */
	struct shutdown	 sd;		/* the rules of a stop */
	char		 cwd[PATH_MAX];	/* ours before chdir(DIR), for CMD */
	pid_t		 cmdpid;	/* CMD running, or 0 */
	int		 ttygiven;	/* CMD got the terminal's foreground */
	int64_t		 readyby;	/* waitready: start CMD by then */
	int64_t		 watchat;	/* retry the missing watches then */
	struct pollfd	*pfd;		/* poll set, sized with e */
	size_t		 pfdcap;
};

static void	act(struct scan *, unsigned, int64_t);
static void	stop_request(struct scan *, enum sd_cause, int, int64_t,
		    const char *);

/* Start-up children (.svscan/init and finish): run path in the
 * foreground, its own process group, reaping orphans meanwhile; a stop
 * request (TERM, INT, PWR, QUIT) is passed on as TERM and remembered in
 * *stopped. After limit ms (0: none) the group is killed. Returns its
 * wait status, or -1 when it could not be run. */
static int
run_step(const char *path, int sigfd, int64_t limit, int *stopped)
{
	struct spawn sp;
	char *argv[2];
	int st, killed = 0;

	argv[0] = (char *)path;
	argv[1] = NULL;
	spawn_init(&sp, path, argv);
	sp.pgroup = 1;
	st = spawn_foreground(&sp, sigfd, limit, shutdown_stops, stopped,
	    &killed);
	if (killed)
		warn_x("%s ran past its time, killed it", path);
	return st;
}

/* An essential service down for good (failed, or kept down by its
 * restart policy) stops the tree with its exit code. */
static void
entry_essential(struct scan *sc, struct svtab_entry *e, int64_t now)
{
	int code;

	if (sc->sd.cause != SD_NONE || e->removed ||
	    !svtab_down_for_good(e, &code))
		return;
	warn_x("essential service %s is down for good (exit %d), stopping",
	    e->name, code);
	stop_request(sc, SD_ESSENTIAL, code, now,
	    "an essential service is down for good");
}

/* Does e need its supervise/ watched: for readiness before CMD, or as an
 * essential service of a container? */
static int
entry_watched(const struct scan *sc, const struct svtab_entry *e)
{
	if (e->removed || sc->sd.cause != SD_NONE)
		return 0;
	return sc->waitready ||
	    (e->essential && (sc->o.cmd != NULL || sc->pid1));
}

/* Look at e's status after a change (or a missed watch). */
static void
entry_look(struct scan *sc, struct svtab_entry *e, int64_t now)
{
	if (e->essential && entry_watched(sc, e))
		entry_essential(sc, e, now);
}

/* Watch (or stop watching) the supervise/ of every entry as needed; one
 * not there yet is looked at again in a moment. */
static void
watch_update(struct scan *sc, int64_t now)
{
	char path[PATH_MAX];
	struct svtab_entry *e;
	size_t i;

	sc->watchat = NOTIME;
	for (i = 0; i < sc->tab.n; i++) {
		e = &sc->tab.e[i];
		if (!entry_watched(sc, e)) {
			if (e->wd != -1 && sc->ifd != -1)
				(void)inotify_rm_watch(sc->ifd, e->wd);
			e->wd = -1;
			continue;
		}
		if (e->wd != -1)
			continue;
		if (sc->ifd != -1 &&
		    path_join(path, sizeof path, e->name, "supervise") == 0)
			e->wd = inotify_add_watch(sc->ifd, path, IN_MOVED_TO |
			    IN_ONLYDIR);
		if (e->wd == -1)
			sc->watchat = deadline_earliest(sc->watchat, now +
			    (sc->waitready ? WATCH_RETRY_MS : WATCH_SLOW_MS));
		/* It may have changed before the watch: look now. */
		entry_look(sc, e, now);
	}
}

/* Start a supervise for e, or adopt the one already running there. */
static void
entry_start(struct scan *sc, struct svtab_entry *e, int64_t now)
{
	char sdir[PATH_MAX];
	char *argv[3];
	struct spawn sp;
	int fd;

	e->retry = NOTIME;
	if (path_join(sdir, sizeof sdir, e->name, "supervise/control") == -1) {
		warn_x("unable to supervise %s: name too long", e->name);
		return;
	}
	fd = openat(AT_FDCWD, sdir, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd != -1) {
		/* A supervise reads there already: adopt it. */
		e->ctlfd = fd;
		return;
	}
	argv[0] = "supervise";
	argv[1] = e->name;
	argv[2] = NULL;
	spawn_init(&sp, sc->supervise, argv);
	sp.usepath = sc->usepath;
	/* Its own session: a ^C meant for svscan must not reach it. */
	sp.setsid = 1;
	e->started = now;
	timefmt_now(&e->startwall);
	if ((e->pid = spawn_run(&sp)) == -1) {
		warn_sys("unable to start supervise %s", e->name);
		e->pid = 0;
		e->retry = now + RESTART_MS;
	}
}

/* Tell e's supervise to exit: stop the service, drain the logger. */
static void
entry_stop(struct svtab_entry *e)
{
	if (e->pid > 0)
		(void)kill(e->pid, SIGTERM);
	else if (e->ctlfd != -1)
		(void)!write(e->ctlfd, "x", 1);
}

/* Its supervise is gone: forget a removed entry, else start it again. */
static void
entry_gone(struct scan *sc, size_t i, int64_t now)
{
	struct svtab_entry *e = &sc->tab.e[i];

	e->pid = 0;
	if (e->ctlfd != -1) {
		close(e->ctlfd);
		e->ctlfd = -1;
	}
	if (e->removed || sc->sd.stopping) {
		svtab_free(&sc->tab, i, sc->ifd);
		return;
	}
	if (now - e->started >= RESTART_MS)
		entry_start(sc, e, now);
	else
		e->retry = e->started + RESTART_MS;
}

/* Read DIR: start what is new, stop what has gone. */
static void
scan(struct scan *sc, int64_t now)
{
	struct svtab_entry *e;
	size_t i, first, failed;
	int r;

	r = svtab_scan(&sc->tab, ".", &first, &failed);
	if (r == -1)
		warn_sys("unable to read the scan directory");
	if (failed > 0)
		warn_x("unable to supervise %zu new services: %s", failed,
		    diag_errstr(ENOMEM));
	for (i = first; i < sc->tab.n; i++) {
		e = &sc->tab.e[i];
		e->essential = path_exists(e->name, "essential");
		entry_start(sc, e, now);
	}
	/* A partial listing must not stop the services we missed. */
	if (r == -1)
		return;
	watch_update(sc, now);
	for (i = 0; i < sc->tab.n; i++) {
		e = &sc->tab.e[i];
		if (e->seen || e->removed)
			continue;
		e->removed = 1;
		e->retry = NOTIME;
		if (e->pid == 0 && e->ctlfd == -1) {
			svtab_free(&sc->tab, i--, sc->ifd);
			continue;
		}
		entry_stop(e);
	}
}

/* Without inotify: rescan when DIR's mtime changed. */
static int
dir_changed(struct scan *sc)
{
	struct stat sb;

	if (stat(".", &sb) == -1)
		return 0;
	if (sb.st_mtim.tv_sec == sc->mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == sc->mtime.tv_nsec)
		return 0;
	sc->mtime = sb.st_mtim;
	return 1;
}

/* Reap every child: ours, CMD, and the orphans that come to a subreaper
 * (or to PID 1), which are reaped and otherwise ignored. */
static void
reap(struct scan *sc, int64_t now)
{
	size_t i;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == sc->cmdpid) {
			sc->cmdpid = 0;
			if (sc->o.verbose)
				info_x("main command exited %d",
				    shutdown_exitcode(st));
			act(sc, shutdown_cmd_exited(&sc->sd,
			    shutdown_exitcode(st), now), now);
			continue;
		}
		for (i = 0; i < sc->tab.n; i++)
			if (sc->tab.e[i].pid == pid) {
				entry_gone(sc, i, now);
				break;
			}
	}
}

/* Send sig to CMD: its process group, or with -g its pid alone. */
static void
cmd_signal(struct scan *sc, int sig)
{
	if (sc->cmdpid > 0)
		(void)kill(sc->o.sigpid ? sc->cmdpid : -sc->cmdpid, sig);
}

/* Tell every supervise to exit: each stops its service with its own
 * down-signal and timeout-kill, all of them at once, then lets its
 * logger drain. */
static void
shutdown_all(struct scan *sc)
{
	size_t i;

	if (sc->o.verbose)
		info_x("stopping %zu services", sc->tab.n);
	for (i = 0; i < sc->tab.n; i++) {
		sc->tab.e[i].retry = NOTIME;
		if (sc->tab.e[i].pid == 0 && sc->tab.e[i].ctlfd == -1)
			svtab_free(&sc->tab, i--, sc->ifd);
		else
			entry_stop(&sc->tab.e[i]);
	}
}

/* The overall deadline passed: kill CMD and every service's process
 * group; their supervise then see them end and let the loggers drain. */
static void
deadline_kill(struct scan *sc)
{
	size_t i;

	if (sc->cmdpid > 0) {
		(void)kill(-sc->cmdpid, SIGKILL);
		(void)kill(sc->cmdpid, SIGKILL);
		sc->sd.killed = 1;
	}
	for (i = 0; i < sc->tab.n; i++)
		if (svtab_kill(sc->tab.e[i].name, "supervise"))
			sc->sd.killed = 1;
	if (sc->o.verbose || sc->sd.killed)
		warn_x("shutdown deadline of %lld ms passed, killed what was "
		    "left", (long long)sc->o.killms);
}

/* Still not down well past the deadline (a logger that will not end): kill
 * the loggers and our supervise children too. */
static void
hard_kill(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->tab.n; i++) {
		(void)svtab_kill(sc->tab.e[i].name, "log/supervise");
		if (sc->tab.e[i].pid > 0)
			(void)kill(sc->tab.e[i].pid, SIGKILL);
	}
	if (sc->pid1)
		(void)kill(-1, SIGKILL);
	sc->sd.killed = 1;
}

/* Carry out the actions shutdown_*() decided. */
static void
act(struct scan *sc, unsigned a, int64_t now)
{
	if (a & SD_TERM_CMD) {
		cmd_signal(sc, SIGTERM);
		cmd_signal(sc, SIGCONT);
	}
	if (a & SD_STOP_ALL)
		shutdown_all(sc);
	/* No rescan during a stop. Dropping DIR's watch now lets the kernel
	 * free it (an SRCU grace period, up to ~20 ms) while the services
	 * stop, instead of in our exit, after them. */
	if ((a & (SD_TERM_CMD | SD_STOP_ALL)) && sc->dirwd != -1) {
		(void)inotify_rm_watch(sc->ifd, sc->dirwd);
		sc->dirwd = -1;
	}
	if (a & SD_KILL)
		deadline_kill(sc);
	if (a & SD_KILL_HARD)
		hard_kill(sc);
	if (a & (SD_TERM_CMD | SD_STOP_ALL))
		watch_update(sc, now);
}

/* A reason to stop (why: for -v). */
static void
stop_request(struct scan *sc, enum sd_cause cause, int code, int64_t now,
    const char *why)
{
	if (sc->o.verbose && sc->sd.cause == SD_NONE)
		info_x("shutdown: %s, deadline %lld ms", why,
		    (long long)sc->o.killms);
	act(sc, shutdown_request(&sc->sd, cause, code, now), now);
}

/* Commands on .svscan/control. Returns 1 to hand over (exit now). */
static int
control(struct scan *sc, int64_t now)
{
	char buf[64];
	ssize_t r, i;

	while ((r = fd_read(sc->fifo.ctl, buf, sizeof buf)) > 0)
		for (i = 0; i < r; i++)
			switch (buf[i]) {
			case 'a':
				if (!sc->sd.stopping)
					scan(sc, now);
				break;
			case 'h':
				/* A main command cannot be handed over. */
				if (!sc->pid1 && sc->o.cmd == NULL &&
				    !sc->sd.stopping)
					return 1;
				break;
			case 't':
				stop_request(sc, SD_SIGNAL, 0, now,
				    "told to ('t')");
				break;
			default:
				break;
			}
	return 0;
}

/* A signal, as shutdown_signal() decides: with CMD running, most go on
 * to it; otherwise HUP and ALRM rescan and TERM, INT, QUIT, PWR shut
 * down. Nothing else ends us. */
static void
on_signal(struct scan *sc, int sig, int64_t now, int *rescan)
{
	enum sd_cause before = sc->sd.cause;
	unsigned a = shutdown_signal(&sc->sd, sig, now);

	if (a & SD_FORWARD) {
		if (sc->o.verbose)
			info_x("passing signal %d on to the main command", sig);
		cmd_signal(sc, sig);
	}
	if (a & SD_RESCAN)
		*rescan = 1;
	if (sc->o.verbose && before == SD_NONE && sc->sd.cause != SD_NONE)
		info_x("shutdown: signal %d, deadline %lld ms", sig,
		    (long long)sc->o.killms);
	act(sc, a & ~(unsigned)(SD_FORWARD | SD_RESCAN), now);
	if (before == SD_NONE && sc->sd.cause != SD_NONE)
		watch_update(sc, now);
}

/* Read inotify: DIR changed (1), and the supervise/ of watched entries. */
static int
notified(struct scan *sc, int64_t now)
{
	struct watch_buf wb;
	struct inotify_event ev;
	const char *name;
	size_t i;
	int rescan = 0;

	watch_buf_init(&wb);
	while (watch_next(sc->ifd, &wb, &ev, &name) == 1) {
		if (ev.wd == sc->dirwd || (ev.mask & IN_Q_OVERFLOW)) {
			rescan = 1;
			continue;
		}
		for (i = 0; i < sc->tab.n; i++) {
			if (sc->tab.e[i].wd != ev.wd)
				continue;
			if (ev.mask & IN_IGNORED)
				sc->tab.e[i].wd = -1;
			else
				entry_look(sc, &sc->tab.e[i], now);
		}
	}
	/* A watch that went (supervise/ removed): set it up again. */
	for (i = 0; i < sc->tab.n; i++)
		if (sc->tab.e[i].wd == -1 && entry_watched(sc, &sc->tab.e[i]))
			sc->watchat = now;
	return rescan;
}

/* Start CMD: our working directory and environment, our stdin, stdout
 * and stderr, its own process group, the terminal's foreground. */
static void
cmd_start(struct scan *sc, int64_t now)
{
	struct spawn sp;
	int e;

	sc->waitready = 0;
	watch_update(sc, now);
	spawn_init(&sp, sc->o.cmd[0], sc->o.cmd);
	sp.usepath = 1;
	sp.cwd = sc->cwd[0] != '\0' ? sc->cwd : NULL;
	sp.pgroup = 1;
	sp.ttyfg = sc->ttygiven = isatty(0);
	if ((sc->cmdpid = spawn_run(&sp)) > 0) {
		(void)shutdown_cmd_started(&sc->sd);
		if (sc->o.verbose)
			info_x("main command %s started, pid %d",
			    sc->o.cmd[0], (int)sc->cmdpid);
		return;
	}
	/* As a shell (and tini) say it: 127 not found, 126 not runnable. */
	e = errno;
	sc->cmdpid = 0;
	warn_sys("unable to run %s", sc->o.cmd[0]);
	act(sc, shutdown_cmd_exited(&sc->sd, e == ENOENT || e == ENOTDIR ?
	    127 : e == EACCES || e == ENOEXEC || e == EPERM || e == EISDIR ?
	    126 : EXIT_TEMP, now), now);
}

/* Before CMD: every service not normally down ready, or time is up. */
static void
ready_check(struct scan *sc, int64_t now)
{
	char names[256];
	size_t i, len = 0, left = 0;

	for (i = 0; i < sc->tab.n; i++) {
		if (sc->tab.e[i].removed || svtab_ready(&sc->tab.e[i]))
			continue;
		if (left++ < 8 && len + strlen(sc->tab.e[i].name) + 3 <
		    sizeof names)
			len += (size_t)snprintf(names + len, sizeof names - len,
			    "%s%s", len ? ", " : "", sc->tab.e[i].name);
	}
	if (left == 0) {
		if (sc->o.verbose)
			info_x("every service is ready");
		cmd_start(sc, now);
		return;
	}
	if (now < sc->readyby)
		return;
	warn_x("%zu services not ready after %lld ms: %s%s", left,
	    (long long)sc->o.readyms, names, left > 8 ? ", ..." : "");
	if (sc->o.readyreq) {
		sc->waitready = 0;
		stop_request(sc, SD_UNREADY, 0, now,
		    "services not ready in time (-R)");
	} else
		cmd_start(sc, now);
}

/* Take .svscan/lock; if another svscan holds it, ask it to hand over. */
static int
take_lock(void)
{
	int fd, tries;

	if (mkdir(".svscan", 0755) == -1 && errno != EEXIST)
		die_sys(EXIT_TEMP, "unable to create .svscan");
	if ((fd = lock_acquire(".svscan/lock", 0)) != -1)
		return fd;
	if (errno != EWOULDBLOCK)
		die_sys(EXIT_TEMP, "unable to acquire .svscan/lock");
	/* If nobody reads the FIFO, the holder is an svscan on its way out
	 * (or another program peeking at the lock): just wait for it. */
	if (svcontrol_send(".svscan", "h", 1) == -1 && errno != ENXIO &&
	    errno != ENOENT)
		die_sys(EXIT_TEMP, "unable to ask the running svscan to hand "
		    "over");
	for (tries = 0; tries < HANDOVER_MS / 10; tries++) {
		if ((fd = lock_acquire(".svscan/lock", 0)) != -1)
			return fd;
		if (errno != EWOULDBLOCK)
			break;
		poll(NULL, 0, 10);
	}
	die_x(EXIT_TEMP, "unable to acquire .svscan/lock: another svscan is "
	    "running and did not hand over");
}

/* Find supervise next to our own binary, else through PATH. */
static void
find_supervise(struct scan *sc, const char *argv0)
{
	if (path_beside_self(sc->supervise, sizeof sc->supervise, argv0,
	    "supervise") == 0)
		return;
	strcpy(sc->supervise, "supervise");
	sc->usepath = 1;
}

static void
loop(struct scan *sc, int sigfd)
{
	struct pollfd *pfd;
	size_t i, nfd, base;
	int64_t now, next;
	int sig, timeout, rescan;

	for (;;) {
		if (sc->sd.stopping && sc->tab.n == 0 && sc->cmdpid == 0)
			return;
		now = timefmt_now_ms();
		next = sc->ifd == -1 && !sc->sd.stopping ? now + STAT_MS :
		    NOTIME;
		next = deadline_earliest(next, sc->watchat);
		if (sc->waitready)
			next = deadline_earliest(next, sc->readyby);
		next = deadline_earliest(next, shutdown_next(&sc->sd));
		if (sc->pfdcap < sc->tab.n + 3) {
			sc->pfdcap = sc->tab.n + 64;
			pfd = realloc(sc->pfd, sc->pfdcap * sizeof *pfd);
			if (pfd == NULL)
				die_sys(EXIT_TEMP, "unable to grow the poll set");
			sc->pfd = pfd;
		}
		pfd = sc->pfd;
		nfd = 0;
		pfd[nfd].fd = sigfd;
		pfd[nfd++].events = POLLIN;
		pfd[nfd].fd = sc->fifo.ctl;
		pfd[nfd++].events = POLLIN;
		pfd[nfd].fd = sc->ifd;	/* poll() skips -1 */
		pfd[nfd++].events = POLLIN;
		base = nfd;
		for (i = 0; i < sc->tab.n; i++) {
			if (sc->tab.e[i].retry < next)
				next = sc->tab.e[i].retry;
			/* events 0: only POLLERR, when the reader is gone. */
			pfd[nfd].fd = sc->tab.e[i].ctlfd;
			pfd[nfd].events = 0;
			pfd[nfd++].revents = 0;
		}
		timeout = deadline_timeout(next, now);
		if (poll(pfd, (nfds_t)nfd, timeout) == -1 && errno != EINTR)
			die_sys(EXIT_TEMP, "unable to poll");
		now = timefmt_now_ms();
		rescan = 0;
		while ((sig = selfpipe_read()) > 0)
			on_signal(sc, sig, now, &rescan);
		/* Adopted supervises that went away; walk down so that
		 * entry_free()'s swap with the last entry stays safe. */
		for (i = sc->tab.n; i-- > 0;)
			if (i + base < nfd && pfd[i + base].fd != -1 &&
			    pfd[i + base].fd == sc->tab.e[i].ctlfd &&
			    (pfd[i + base].revents & (POLLERR | POLLHUP)))
				entry_gone(sc, i, now);
		reap(sc, now);
		if (sc->ifd != -1 && (pfd[2].revents & POLLIN) &&
		    notified(sc, now))
			rescan = 1;
		if (sc->ifd == -1 && dir_changed(sc))
			rescan = 1;
		if (control(sc, now))
			return;
		if (rescan && !sc->sd.stopping)
			scan(sc, now);
		if (sc->watchat <= now)
			watch_update(sc, now);
		if (sc->waitready)
			ready_check(sc, now);
		act(sc, shutdown_tick(&sc->sd, now), now);
		for (i = 0; i < sc->tab.n; i++)
			if (sc->tab.e[i].retry <= now && !sc->sd.stopping)
				entry_start(sc, &sc->tab.e[i], now);
	}
}

/* The environment, then the options over it; -h and -V exit here. */
static void
options(int argc, char **argv, struct svscanopt *o)
{
	char why[256], help[1024];
	int r;

	r = svscanopt_parse(o, argc, argv, why, sizeof why);
	if (r == SVSCANOPT_VERSION)
		diag_version("svscan");
	if (r == SVSCANOPT_BADUSAGE)
		die_usage_why(SVSCANOPT_USAGE, why, 0);
	if (r != 0)
		die_x(EXIT_USAGE, "%s", why);
	if (!o->help)
		return;
	if (svscanopt_help(o, help, sizeof help) == -1)
		die_sys(EXIT_BUG, "unable to format the help");
	fputs(help, stdout);
	exit(fflush(stdout) == 0 ? 0 : EXIT_TEMP);
}

/* What is left of the overall deadline (0 once it has passed). */
static int64_t
deadline_left(const struct scan *sc, int64_t now)
{
	return sc->sd.deadline == NOTIME || sc->sd.deadline < now ?
	    0 : sc->sd.deadline - now;
}

/* PID 1, everything supervised is down: TERM, then KILL, to whatever is
 * left in the container; return as soon as nothing is. */
static void
kill_rest(struct scan *sc, int sigfd)
{
	struct pollfd pfd;
	int64_t now, end;
	int st, sig, round;
	pid_t r;

	for (round = 0; round < 2; round++) {
		if (kill(-1, round == 0 ? SIGTERM : SIGKILL) == -1)
			return;		/* ESRCH: nothing left */
		if (round == 0) {
			(void)kill(-1, SIGCONT);
			if (sc->o.verbose)
				info_x("sent TERM to what is left");
		}
		now = timefmt_now_ms();
		end = now + (deadline_left(sc, now) > REST_MIN_MS ?
		    deadline_left(sc, now) : REST_MIN_MS);
		for (;;) {
			while ((r = waitpid(-1, &st, WNOHANG)) > 0)
				;
			if (r == -1 && errno == ECHILD)
				return;
			if ((now = timefmt_now_ms()) >= end)
				break;
			pfd.fd = sigfd;
			pfd.events = POLLIN;
			(void)poll(&pfd, 1, deadline_timeout(end, now));
			while ((sig = selfpipe_read()) > 0)
				;
		}
	}
}

/* Run .svscan/init: a failure stops everything before it starts. */
static void
init_step(struct scan *sc, int sigfd)
{
	int st, stopped = 0;

	if (access(".svscan/init", X_OK) == -1)
		return;
	if ((st = run_step(".svscan/init", sigfd, 0, &stopped)) == -1)
		die_sys(EXIT_TEMP, "unable to run .svscan/init");
	if (sc->o.verbose)
		info_x(".svscan/init exited %d", shutdown_exitcode(st));
	if (st != 0)
		die_x(shutdown_exitcode(st), ".svscan/init failed (exit %d), starting "
		    "nothing", shutdown_exitcode(st));
	if (stopped)
		exit(0);
}

/* Run .svscan/finish with what is left of the deadline, 2 s at least. */
static void
finish_step(struct scan *sc, int sigfd)
{
	int64_t left, now = timefmt_now_ms();
	int st, stopped = 0;

	if (access(".svscan/finish", X_OK) == -1)
		return;
	left = deadline_left(sc, now);
	if (left < FINISH_MIN_MS)
		left = FINISH_MIN_MS;
	st = run_step(".svscan/finish", sigfd, left, &stopped);
	if (st == -1)
		warn_sys("unable to run .svscan/finish");
	else if (sc->o.verbose)
		info_x(".svscan/finish exited %d", shutdown_exitcode(st));
}

int
main(int argc, char **argv)
{
	static const int traps[] = { SIGCHLD, SIGHUP, SIGALRM, SIGTERM,
	    SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT,
#ifdef SIGPWR
	    SIGPWR,
#endif
	};
	struct scan sc;
	size_t i;
	int sigfd, lockfd, code;

	diag_init("svscan");
	memset(&sc, 0, sizeof sc);
	options(argc, argv, &sc.o);
	sc.pid1 = getpid() == 1;
	shutdown_init(&sc.sd, sc.o.killms, sc.o.cmd != NULL);
	for (i = 0; i < sc.o.nexitok; i++)
		(void)shutdown_exitok(&sc.sd, sc.o.exitok[i]);
	sc.readyby = sc.watchat = NOTIME;
	sc.dirwd = -1;
	fd_cloexec_from(3);
	if (sc.o.cmd != NULL && getcwd(sc.cwd, sizeof sc.cwd) == NULL)
		die_sys(EXIT_TEMP, "unable to get the working directory");
	if (chdir(sc.o.dir) == -1)
		die_sys(EXIT_TEMP, "unable to change to %s", sc.o.dir);
	find_supervise(&sc, argv[0]);
	/* Every signal PID 1 can get is handled: the kernel gives PID 1 no
	 * default action, and a stray one must not end us anywhere. */
	if ((sigfd = selfpipe_init()) == -1 || selfpipe_ignore(SIGPIPE) == -1)
		die_sys(EXIT_TEMP, "unable to set up signals");
	for (i = 0; i < sizeof traps / sizeof traps[0]; i++)
		if (selfpipe_trap(traps[i]) == -1)
			die_sys(EXIT_TEMP, "unable to set up signals");
	/* A PID 1 in the background of its terminal must not stop. */
	if (sc.pid1 && (selfpipe_ignore(SIGTTIN) == -1 ||
	    selfpipe_ignore(SIGTTOU) == -1))
		die_sys(EXIT_TEMP, "unable to set up signals");
#ifdef PR_SET_CHILD_SUBREAPER
	/* Orphans below us (the services of a supervise that died, a
	 * daemon's double fork) come to us and are reaped here, so the
	 * supervise that adopts them sees them end even under a PID 1 that
	 * never reaps. */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#endif
	lockfd = take_lock();
	(void)lockfd;	/* held until we exit */
	if (svcontrol_open(".svscan", &sc.fifo) == -1)
		die_sys(EXIT_TEMP, "unable to open .svscan/control");
	/* Each adopted supervise costs one descriptor. */
	(void)fd_raise_nofile();
	init_step(&sc, sigfd);
	sc.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (sc.ifd != -1 && (sc.dirwd = inotify_add_watch(sc.ifd, ".",
	    IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
	    IN_ONLYDIR)) == -1) {
		close(sc.ifd);
		sc.ifd = -1;
	}
	if (sc.ifd == -1)
		(void)dir_changed(&sc);
	sc.waitready = sc.o.cmd != NULL && sc.o.readyms > 0;
	sc.readyby = timefmt_now_ms() + sc.o.readyms;
	scan(&sc, timefmt_now_ms());
	if (sc.o.verbose)
		info_x("%zu services", sc.tab.n);
	if (sc.o.cmd != NULL && !sc.waitready)
		cmd_start(&sc, timefmt_now_ms());
	loop(&sc, sigfd);
	/* The terminal's foreground back to our group, if CMD had it. */
	if (sc.ttygiven)
		spawn_tty_back();
	if (sc.sd.stopping) {
		finish_step(&sc, sigfd);
		if (sc.pid1)
			kill_rest(&sc, sigfd);
	}
	code = shutdown_status(&sc.sd);
	if (sc.o.verbose && sc.sd.stopping)
		info_x("exit %d", code);
	svtab_clear(&sc.tab, sc.ifd);
	free(sc.pfd);
	return code;
}
