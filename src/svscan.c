/*
 * svscan [DIR]: keep one supervise running per service directory of DIR.
 *
 * Owns DIR/.svscan/: lock (held while we run) and control (a FIFO: 'a'
 * rescan, 'h' hand over to a newer svscan, 't' shut down).
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
 * SIGTERM, SIGINT (and SIGPWR): tell every supervise to exit, wait for all
 * of them, exit 0. svscan is a child subreaper: orphans below it (the
 * services of a supervise that died) are reaped here.
 */
#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/resource.h>
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

#include "diag.h"
#include "fdutil.h"
#include "lock.h"
#include "selfpipe.h"
#include "spawn.h"
#include "svcontrol.h"
#include "timefmt.h"

#define USAGE		"svscan [DIR]"
#define NOTIME		INT64_MAX
#define RESTART_MS	1000	/* least time between two starts of a supervise */
#define STAT_MS		5000	/* rescan period without inotify */
#define HANDOVER_MS	5000	/* how long a new svscan waits for the old */

struct entry {
	dev_t	 dev;
	ino_t	 ino;
	char	*name;
	pid_t	 pid;		/* our child supervise, or 0 */
	int	 ctlfd;		/* adopted: its control FIFO, or -1 */
	int	 seen;
	int	 removed;	/* directory gone: told to exit */
	int64_t	 started;	/* when we last started it */
	int64_t	 retry;		/* start it again then, or NOTIME */
};

struct scan {
	struct entry	*e;
	size_t		 n, cap;
	int		 ifd;		/* inotify, or -1 */
	struct timespec	 mtime;		/* of DIR, without inotify */
	struct svfifos	 fifo;		/* .svscan/control */
	char		 supervise[PATH_MAX];
	int		 usepath;	/* supervise found through PATH */
	int		 stopping;
	struct pollfd	*pfd;		/* poll set, sized with e */
	size_t		 pfdcap;
};

/* Start a supervise for e, or adopt the one already running there. */
static void
entry_start(struct scan *sc, struct entry *e, int64_t now)
{
	char sdir[PATH_MAX];
	char *argv[3];
	struct spawn sp;
	int fd;

	e->retry = NOTIME;
	if ((size_t)snprintf(sdir, sizeof sdir, "%s/supervise/control",
	    e->name) >= sizeof sdir) {
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
	memset(&sp, 0, sizeof sp);
	sp.path = sc->supervise;
	sp.usepath = sc->usepath;
	sp.argv = argv;
	sp.fd[0] = sp.fd[1] = sp.fd[2] = -1;
	sp.extrafd = -1;
	/* Its own session: a ^C meant for svscan must not reach it. */
	sp.setsid = 1;
	e->started = now;
	if ((e->pid = spawn_run(&sp)) == -1) {
		warn_sys("unable to start supervise %s", e->name);
		e->pid = 0;
		e->retry = now + RESTART_MS;
	}
}

/* Tell e's supervise to exit: stop the service, drain the logger. */
static void
entry_stop(struct entry *e)
{
	if (e->pid > 0)
		(void)kill(e->pid, SIGTERM);
	else if (e->ctlfd != -1)
		(void)!write(e->ctlfd, "x", 1);
}

static void
entry_free(struct scan *sc, size_t i)
{
	struct entry *e = &sc->e[i];

	if (e->ctlfd != -1)
		close(e->ctlfd);
	free(e->name);
	sc->e[i] = sc->e[--sc->n];
}

/* Its supervise is gone: forget a removed entry, else start it again. */
static void
entry_gone(struct scan *sc, size_t i, int64_t now)
{
	struct entry *e = &sc->e[i];

	e->pid = 0;
	if (e->ctlfd != -1) {
		close(e->ctlfd);
		e->ctlfd = -1;
	}
	if (e->removed || sc->stopping) {
		entry_free(sc, i);
		return;
	}
	if (now - e->started >= RESTART_MS)
		entry_start(sc, e, now);
	else
		e->retry = e->started + RESTART_MS;
}

static struct entry *
entry_add(struct scan *sc, const struct stat *sb, const char *name)
{
	struct entry *e;
	size_t cap;

	if (sc->n == sc->cap) {
		cap = sc->cap ? sc->cap * 2 : 64;
		if ((e = realloc(sc->e, cap * sizeof *e)) == NULL)
			return NULL;
		sc->e = e;
		sc->cap = cap;
	}
	e = &sc->e[sc->n];
	memset(e, 0, sizeof *e);
	if ((e->name = strdup(name)) == NULL)
		return NULL;
	e->dev = sb->st_dev;
	e->ino = sb->st_ino;
	e->ctlfd = -1;
	e->retry = NOTIME;
	sc->n++;
	return e;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->removed - y->removed;
}

/* The live entry for (dev, ino) among the first n, which are sorted. */
static struct entry *
entry_find(struct scan *sc, size_t n, const struct stat *sb)
{
	struct entry key;
	struct entry *e;

	if (n == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.dev = sb->st_dev;
	key.ino = sb->st_ino;
	e = bsearch(&key, sc->e, n, sizeof *e, entry_cmp);
	return e;
}

/* Read DIR: start what is new, stop what has gone. The table is sorted by
 * (device, inode) first, so a scan costs O(n log n), not O(n^2). */
static void
scan(struct scan *sc, int64_t now)
{
	struct dirent *de;
	struct stat sb;
	struct entry *e;
	size_t i, sorted;
	DIR *d;

	if ((d = opendir(".")) == NULL) {
		warn_sys("unable to read the scan directory");
		return;
	}
	if (sc->n > 0)
		qsort(sc->e, sc->n, sizeof *sc->e, entry_cmp);
	sorted = sc->n;
	for (i = 0; i < sc->n; i++)
		sc->e[i].seen = 0;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (stat(de->d_name, &sb) == -1 || !S_ISDIR(sb.st_mode))
			continue;
		if ((e = entry_find(sc, sorted, &sb)) != NULL) {
			e->seen = 1;
			continue;
		}
		if ((e = entry_add(sc, &sb, de->d_name)) == NULL) {
			warn_sys("unable to supervise %s", de->d_name);
			continue;
		}
		e->seen = 1;
		entry_start(sc, e, now);
	}
	if (errno != 0) {
		/* A partial listing must not stop the services we missed. */
		warn_sys("unable to read the scan directory");
		closedir(d);
		return;
	}
	closedir(d);
	for (i = 0; i < sc->n; i++) {
		e = &sc->e[i];
		if (e->seen || e->removed)
			continue;
		e->removed = 1;
		e->retry = NOTIME;
		if (e->pid == 0 && e->ctlfd == -1) {
			entry_free(sc, i--);
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

static void
reap(struct scan *sc, int64_t now)
{
	size_t i;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (i = 0; i < sc->n; i++)
			if (sc->e[i].pid == pid) {
				entry_gone(sc, i, now);
				break;
			}
}

static void
shutdown_all(struct scan *sc)
{
	size_t i;

	if (sc->stopping)
		return;
	sc->stopping = 1;
	for (i = 0; i < sc->n; i++) {
		sc->e[i].retry = NOTIME;
		if (sc->e[i].pid == 0 && sc->e[i].ctlfd == -1)
			entry_free(sc, i--);
		else
			entry_stop(&sc->e[i]);
	}
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
				if (!sc->stopping)
					scan(sc, now);
				break;
			case 'h':
				if (getpid() != 1 && !sc->stopping)
					return 1;
				break;
			case 't':
				shutdown_all(sc);
				break;
			default:
				break;
			}
	return 0;
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
	char self[PATH_MAX];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0)
		self[n] = '\0';
	else if (strchr(argv0, '/') != NULL && strlen(argv0) < sizeof self)
		strcpy(self, argv0);
	else
		self[0] = '\0';
	if ((slash = strrchr(self, '/')) != NULL) {
		*slash = '\0';
		if ((size_t)snprintf(sc->supervise, sizeof sc->supervise,
		    "%s/supervise", self) < sizeof sc->supervise &&
		    access(sc->supervise, X_OK) == 0)
			return;
	}
	strcpy(sc->supervise, "supervise");
	sc->usepath = 1;
}

static void
raise_nofile(void)
{
	struct rlimit rl;

	/* Each adopted supervise costs one descriptor. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static void
loop(struct scan *sc, int sigfd)
{
	struct pollfd *pfd;
	char ibuf[4096];
	size_t i, nfd, base;
	int64_t now, next;
	int sig, timeout, rescan;

	for (;;) {
		if (sc->stopping && sc->n == 0)
			return;
		now = timefmt_now_ms();
		next = sc->ifd == -1 && !sc->stopping ? now + STAT_MS : NOTIME;
		if (sc->pfdcap < sc->n + 3) {
			sc->pfdcap = sc->n + 64;
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
		for (i = 0; i < sc->n; i++) {
			if (sc->e[i].retry < next)
				next = sc->e[i].retry;
			/* events 0: only POLLERR, when the reader is gone. */
			pfd[nfd].fd = sc->e[i].ctlfd;
			pfd[nfd].events = 0;
			pfd[nfd++].revents = 0;
		}
		timeout = next == NOTIME ? -1 : next <= now ? 0 :
		    next - now > INT_MAX ? INT_MAX : (int)(next - now);
		if (poll(pfd, (nfds_t)nfd, timeout) == -1 && errno != EINTR)
			die_sys(EXIT_TEMP, "unable to poll");
		now = timefmt_now_ms();
		rescan = 0;
		while ((sig = selfpipe_read()) > 0)
			switch (sig) {
			case SIGHUP:
			case SIGALRM:
				rescan = 1;
				break;
			case SIGCHLD:
				break;
			default:
				shutdown_all(sc);
				break;
			}
		/* Adopted supervises that went away; walk down so that
		 * entry_free()'s swap with the last entry stays safe. */
		for (i = sc->n; i-- > 0;)
			if (i + base < nfd && pfd[i + base].fd != -1 &&
			    pfd[i + base].fd == sc->e[i].ctlfd &&
			    (pfd[i + base].revents & (POLLERR | POLLHUP)))
				entry_gone(sc, i, now);
		reap(sc, now);
		if (sc->ifd != -1 && (pfd[2].revents & POLLIN))
			while (read(sc->ifd, ibuf, sizeof ibuf) > 0)
				rescan = 1;
		if (sc->ifd == -1 && dir_changed(sc))
			rescan = 1;
		if (control(sc, now))
			return;
		if (rescan && !sc->stopping)
			scan(sc, now);
		for (i = 0; i < sc->n; i++)
			if (sc->e[i].retry <= now && !sc->stopping)
				entry_start(sc, &sc->e[i], now);
	}
}

int
main(int argc, char **argv)
{
	struct scan sc;
	const char *dir = ".";
	int sigfd, lockfd;

	diag_init("svscan");
	if (argc >= 2 && strcmp(argv[1], "-h") == 0) {
		printf("usage: %s\n", USAGE);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "-V") == 0) {
		printf("svscan (tend) 0.1.0\n");
		return 0;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		die_usage(USAGE);
	if (argc == 2)
		dir = argv[1];
	fd_cloexec_from(3);
	if (chdir(dir) == -1)
		die_sys(EXIT_TEMP, "unable to change to %s", dir);
	memset(&sc, 0, sizeof sc);
	find_supervise(&sc, argv[0]);
	lockfd = take_lock();
	(void)lockfd;	/* held until we exit */
	if (svcontrol_open(".svscan", &sc.fifo) == -1)
		die_sys(EXIT_TEMP, "unable to open .svscan/control");
	raise_nofile();
	if ((sigfd = selfpipe_init()) == -1 || selfpipe_trap(SIGCHLD) == -1 ||
	    selfpipe_trap(SIGHUP) == -1 || selfpipe_trap(SIGALRM) == -1 ||
	    selfpipe_trap(SIGTERM) == -1 || selfpipe_trap(SIGINT) == -1 ||
#ifdef SIGPWR
	    selfpipe_trap(SIGPWR) == -1 ||
#endif
	    selfpipe_ignore(SIGPIPE) == -1)
		die_sys(EXIT_TEMP, "unable to set up signals");
#ifdef PR_SET_CHILD_SUBREAPER
	/* The services of a supervise that died come to us and are reaped
	 * here, so the supervise that adopts them sees them end even under
	 * a PID 1 that never reaps. */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#endif
	sc.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (sc.ifd != -1 && inotify_add_watch(sc.ifd, ".", IN_CREATE |
	    IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR) == -1) {
		close(sc.ifd);
		sc.ifd = -1;
	}
	if (sc.ifd == -1)
		(void)dir_changed(&sc);
	scan(&sc, timefmt_now_ms());
	loop(&sc, sigfd);
	while (sc.n > 0)
		entry_free(&sc, sc.n - 1);
	free(sc.e);
	free(sc.pfd);
	return 0;
}
