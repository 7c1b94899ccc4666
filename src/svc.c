/* svc: send control bytes to the supervise of each service directory, and
 * with -w wait until they took effect.
 *
 *   svc -udopchaiq12tkx [-w] [-T ms] DIR...
 *
 * Writes DIR/supervise/control (all letters, in the order given, in one
 * write); reads DIR/supervise/status and DIR/supervise/ok while waiting.
 * The wait sleeps on inotify events for DIR/supervise (status replaced by
 * rename, ok closed by an exiting supervise) with a poll() deadline, and
 * falls back to reading the status every 10 ms where inotify is missing.
 * With -w, a directory whose supervise has not started yet (svscan has
 * just been started) is waited for too, within -T: the commands are sent
 * once its FIFOs are read (a watch on DIR sees supervise/ appear, one on
 * DIR/supervise sees the first status). Without -w that is an error at
 * once, as with runit's sv and daemontools' svc.
 * Exit: 0, or the number of directories that failed (at most 99).
 * -h is the hangup command here, as in daemontools, not help. */
#include <sys/inotify.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "diag.h"
#include "fdutil.h"
#include "num.h"
#include "path.h"
#include "svcontrol.h"
#include "svstatus.h"
#include "timefmt.h"
#include "version.h"
#include "watch.h"

#define USAGE	"svc -udopchaiq12tkx [-w] [-T ms] DIR..."
#define MAXCMDS	64		/* letters in one command line */
#define DEFAULT_TIMEOUT	7000	/* ms, runit's sv */
#define POLL_MS	10		/* status polling without inotify */
#define MAXFAIL	99

/* What -w waits for, decided by the letters (see waitfor_of). */
enum waitfor {
	W_NONE,		/* delivered is enough */
	W_UP,		/* run, want up (and ready where that is known) */
	W_ONCE,		/* up now, or a new run since the command */
	W_DOWN,		/* down, no pid, want down */
	W_RESTART,	/* a new run since the command; down if want down */
	W_EXIT		/* no supervise reads supervise/ok any more */
};

struct target {
	const char	*dir;
	char		 sdir[PATH_MAX];	/* DIR/supervise */
	struct svstatus	 before;	/* before the command */
	int		 needready;	/* has notification-fd or check */
	int		 wd;		/* inotify watch, -1 if none */
	int		 dwd;		/* unsent: watch of DIR, -1 if none */
	int		 unsent;	/* waiting for supervise to read */
	const char	*cmds;
	int		 pending;	/* sent, waiting for the effect */
};

static enum waitfor waitfor_of(const char *);
static const char *waitfor_name(enum waitfor);
static int	prepare(struct target *, const char *, const char *, int,
		    enum waitfor);
static int	isup(const struct target *, const struct svstatus *);
static int	changed(const struct svstatus *, const struct svstatus *);
static int	reached(const struct target *, enum waitfor);
static int	send_now(struct target *, int, enum waitfor);
static int	relevant(int);
static int	watched(const struct target *);
static int	waitall(struct target *, int, int, enum waitfor, long);

/* The last of u, o, d, x, t, k decides; a u after t or k still waits for
 * the new run (runit's "sv restart" sends "tcu"). */
static enum waitfor
waitfor_of(const char *cmds)
{
	enum waitfor w = W_NONE;

	for (; *cmds != '\0'; cmds++) {
		switch (*cmds) {
		case 'u':
			if (w != W_RESTART)
				w = W_UP;
			break;
		case 'o':
			w = W_ONCE;
			break;
		case 'd':
			w = W_DOWN;
			break;
		case 'x':
			w = W_EXIT;
			break;
		case 't':
		case 'k':
			w = W_RESTART;
			break;
		default:
			break;
		}
	}
	return w;
}

static const char *
waitfor_name(enum waitfor w)
{
	switch (w) {
	case W_UP:
		return "up";
	case W_ONCE:
		return "start";
	case W_DOWN:
		return "down";
	case W_RESTART:
		return "restart";
	case W_EXIT:
		return "exit";
	default:
		return "delivery";
	}
}

/* Fill t for dir and send cmds. Watches DIR/supervise on ifd (-1: none)
 * before sending, so that no change after the command goes unseen.
 * 0 when delivered, -1 after saying why not. */
static int
prepare(struct target *t, const char *dir, const char *cmds, int ifd,
    enum waitfor w)
{
	struct stat sb;
	uint32_t mask;

	memset(t, 0, sizeof *t);
	t->dir = dir;
	t->cmds = cmds;
	t->wd = t->dwd = -1;
	if (stat(dir, &sb) == -1) {
		fail_x("unable to control %s: %s", dir,
		    diag_errstr(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		fail_x("unable to control %s: %s", dir,
		    diag_errstr(ENOTDIR));
		return -1;
	}
	if (path_join(t->sdir, sizeof t->sdir, dir, "supervise") == -1) {
		fail_x("unable to control %s: %s", dir,
		    diag_errstr(ENAMETOOLONG));
		return -1;
	}
	if (w != W_NONE) {
		if (ifd != -1) {
			mask = IN_MOVED_TO | IN_CLOSE_WRITE;
			if (w == W_EXIT)
				mask |= IN_CLOSE_NOWRITE;
			t->wd = inotify_add_watch(ifd, t->sdir, mask);
		}
		t->needready = path_exists(dir, "notification-fd") ||
		    path_exists(dir, "check");
	}
	if (send_now(t, ifd, w) == 0)
		return 0;
	if (w != W_NONE && (errno == ENXIO || errno == ENOENT)) {
		/* Not started yet: wait for it, within -T. */
		t->unsent = t->pending = 1;
		if (t->wd == -1 && ifd != -1)
			t->dwd = inotify_add_watch(ifd, dir, IN_CREATE |
			    IN_MOVED_TO | IN_ONLYDIR);
		return 0;
	}
	if (errno == ENXIO || errno == ENOENT)
		fail_x("unable to control %s: %s", dir,
		    "supervise not running");
	else
		fail_x("unable to control %s: %s", dir,
		    diag_errstr(errno));
	/* The watch stays: removing it would queue IN_IGNORED, which means
	 * "a directory went away" to waitall(). */
	t->wd = -1;
	return -1;
}

/* Send t's commands, noting the status just before. 0 when delivered,
 * -1 with errno (ENXIO, ENOENT: no supervise reads them yet). */
static int
send_now(struct target *t, int ifd, enum waitfor w)
{
	uint32_t mask;

	if (w != W_NONE) {
		if (t->wd == -1 && t->dwd != -1 && ifd != -1) {
			/* supervise/ may exist by now: watch it instead. */
			mask = IN_MOVED_TO | IN_CLOSE_WRITE;
			if (w == W_EXIT)
				mask |= IN_CLOSE_NOWRITE;
			t->wd = inotify_add_watch(ifd, t->sdir, mask);
		}
		if (svstatus_read(t->sdir, &t->before) == -1)
			memset(&t->before, 0, sizeof t->before);
	}
	if (svcontrol_send(t->sdir, t->cmds, strlen(t->cmds)) == -1)
		return -1;
	t->unsent = 0;
	t->pending = w != W_NONE;
	return 0;
}

/* Up, and ready too where the record can tell (a tend supervise) and the
 * service has a way to signal readiness. */
static int
isup(const struct target *t, const struct svstatus *st)
{
	if (st->state != SV_RUN)
		return 0;
	if (t->needready && st->version >= 1)
		return (st->flags & SVF_READY) != 0;
	return 1;
}

/* A new run (or a new state) since the record "before": the stamp changes
 * with every pid or state change. */
static int
changed(const struct svstatus *before, const struct svstatus *st)
{
	return st->pid != before->pid ||
	    st->stamp.tv_sec != before->stamp.tv_sec ||
	    st->stamp.tv_nsec != before->stamp.tv_nsec;
}

/* 1 when the commands sent to t took effect, 0 while not yet. */
static int
reached(const struct target *t, enum waitfor w)
{
	struct svstatus st;

	if (w == W_EXIT)
		return svcontrol_ok(t->sdir) == -1 &&
		    (errno == ENXIO || errno == ENOENT);
	if (svstatus_read(t->sdir, &st) == -1)
		return 0;
	switch (w) {
	case W_UP:
		return isup(t, &st) && st.want == 'u';
	case W_ONCE:
		/* Up and ready, or a run that came and went since: a new
		 * run that is up but not ready yet is waited for. */
		return isup(t, &st) || (changed(&t->before, &st) &&
		    st.state != SV_RUN);
	case W_DOWN:
		return st.state == SV_DOWN && st.pid == 0 && st.want == 'd';
	case W_RESTART:
		if (st.want == 'd' && !(st.flags & SVF_ONCE))
			return st.state == SV_DOWN && st.pid == 0;
		return isup(t, &st) && changed(&t->before, &st);
	default:
		return 1;
	}
}

/* Does an inotify watch wake us for t? Else it is polled. */
static int
watched(const struct target *t)
{
	return t->wd != -1 || (t->unsent && t->dwd != -1);
}

/* Read the pending inotify events. 1 if one of them may mean a change we
 * wait for, 0 if not, -1 if the watches are gone (poll from now on). */
static int
relevant(int ifd)
{
	struct watch_buf wb;
	struct inotify_event ev;
	const char *name;
	int r, any = 0;

	watch_buf_init(&wb);
	while ((r = watch_next(ifd, &wb, &ev, &name)) == 1) {
		if (ev.mask & (IN_Q_OVERFLOW | IN_IGNORED))
			return ev.mask & IN_IGNORED ? -1 : 1;
		if (strcmp(name, "status") == 0 &&
		    (ev.mask & (IN_MOVED_TO | IN_CLOSE_WRITE)))
			any = 1;
		if (strcmp(name, "ok") == 0 && (ev.mask & IN_CLOSE_NOWRITE))
			any = 1;
		if (strcmp(name, "supervise") == 0 &&
		    (ev.mask & (IN_CREATE | IN_MOVED_TO)))
			any = 1;
	}
	return r == -1 ? -1 : any;
}

/* Wait until every pending target reached w or the deadline (timeout ms
 * from now, 0 = none) passed. Returns the number that did not. */
static int
waitall(struct target *tg, int n, int ifd, enum waitfor w, long timeout)
{
	struct pollfd pfd;
	int64_t deadline, now;
	int i, left, failed = 0, ms, r, check = 1;

	deadline = timeout > 0 ? timefmt_now_ms() + timeout : NOTIME;
	for (;;) {
		left = 0;
		for (i = 0; i < n; i++) {
			if (!tg[i].pending)
				continue;
			/* Without a watch, a target is read at every wakeup. */
			if (tg[i].unsent) {
				if ((check || !watched(&tg[i])) &&
				    send_now(&tg[i], ifd, w) == -1 &&
				    errno != ENXIO && errno != ENOENT) {
					fail_x("unable to control %s: %s",
					    tg[i].dir, diag_errstr(errno));
					tg[i].pending = tg[i].unsent = 0;
					failed++;
					continue;
				}
				if (tg[i].unsent) {
					left++;
					continue;
				}
			}
			if ((check || tg[i].wd == -1) && reached(&tg[i], w))
				tg[i].pending = 0;
			else
				left++;
		}
		if (left == 0)
			return failed;
		now = timefmt_now_ms();
		if (now >= deadline)
			break;
		ms = deadline_timeout(deadline, now);
		check = 0;
		for (i = 0; i < n; i++)
			if (tg[i].pending && !watched(&tg[i]) &&
			    (ms < 0 || ms > POLL_MS))
				ms = POLL_MS;
		pfd.fd = ifd;
		pfd.events = POLLIN;
		r = poll(&pfd, ifd == -1 ? 0 : 1, ms);
		if (r == -1 && errno != EINTR)
			die_sys(EXIT_TEMP, "unable to poll");
		if (r > 0) {
			if ((r = relevant(ifd)) == -1) {
				/* A watched directory went away: poll all. */
				for (i = 0; i < n; i++)
					tg[i].wd = tg[i].dwd = -1;
				r = 1;
			}
			check = r;
		} else if (r == 0)
			check = 1;	/* deadline or polling interval */
	}
	for (i = 0; i < n; i++) {
		if (!tg[i].pending)
			continue;
		if (tg[i].unsent)
			fail_x("unable to control %s: supervise not "
			    "running (waited %ld ms)", tg[i].dir, timeout);
		else
			warn_x("%s: timed out waiting for %s",
			    tg[i].dir, waitfor_name(w));
		failed++;
	}
	return failed;
}

int
main(int argc, char **argv)
{
	struct target *tg;
	enum waitfor w;
	char cmds[MAXCMDS + 1];
	size_t ncmds = 0;
	int64_t timeout = DEFAULT_TIMEOUT;
	int c, i, n, waiting = 0, ifd = -1, failed = 0;

	diag_init("svc");
	opterr = 0;
	while ((c = getopt(argc, argv, ":udopchaiq12tkxwT:V")) != -1) {
		switch (c) {
		case 'w':
			waiting = 1;
			break;
		case 'T':
			if (num_parse(optarg, 0, INT_MAX, &timeout) == -1) {
				fail_x("invalid timeout: %s", optarg);
				die_usage(USAGE);
			}
			break;
		case 'V':
			diag_version("svc");
		case ':':
			fail_x("option -%c needs an argument", optopt);
			die_usage(USAGE);
		case '?':
			fail_x("unknown option -%c", optopt);
			die_usage(USAGE);
		default:
			if (ncmds == MAXCMDS) {
				fail_x("more than %d commands", MAXCMDS);
				die_usage(USAGE);
			}
			cmds[ncmds++] = (char)c;
			break;
		}
	}
	cmds[ncmds] = '\0';
	argc -= optind;
	argv += optind;
	if (ncmds == 0) {
		fail_x("no command given");
		die_usage(USAGE);
	}
	if (argc == 0) {
		fail_x("no directory given");
		die_usage(USAGE);
	}
	w = waiting ? waitfor_of(cmds) : W_NONE;
	if ((tg = calloc((size_t)argc, sizeof *tg)) == NULL)
		die_sys(EXIT_TEMP, "unable to allocate memory");
	if (w != W_NONE)
		ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	for (i = 0; i < argc; i++)
		if (prepare(&tg[i], argv[i], cmds, ifd, w) == -1)
			failed++;
	if (w != W_NONE)
		failed += waitall(tg, argc, ifd, w, timeout);
	if (ifd != -1)
		fd_close(ifd);
	free(tg);
	n = failed > MAXFAIL ? MAXFAIL : failed;
	return n;
}
