/*
 * svlog DIR: read lines on stdin, put a UTC timestamp in front of each,
 * append them to DIR/current; rotate current to @STAMP.s when it would
 * pass the size bound, when its first line is -r old, or on SIGALRM; keep
 * a bounded number of those.
 * Never drops a line: on a write error it keeps the data, stops reading
 * (the writer is slowed by the full pipe) and retries.
 *
 * Owns DIR/lock (held while running), DIR/current (mode 0644 while open,
 * 0744 once closed cleanly), DIR/previous and DIR/processed (rotated file
 * and processor output while a -p processor runs), DIR/@*.s and DIR/@*.u.
 *
 * svlog - writes the stamped lines to its standard output instead (in a
 * container: docker logs), with no directory, lock or rotation; -P NAME
 * puts "NAME: " after each stamp.
 *
 * Input is taken from the pipe with tee(2) where it can be, and removed
 * only once written: a logger killed with SIGKILL leaves the lines it had
 * not written in the pipe for the next one (supervise holds the pipe;
 * src/lib/pipein.c).
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "diag.h"
#include "fdutil.h"
#include "lock.h"
#include "logdir.h"
#include "logline.h"
#include "num.h"
#include "path.h"
#include "pipein.h"
#include "selfpipe.h"
#include "spawn.h"
#include "timefmt.h"
#include "version.h"

#define USAGE	"svlog [-t iso|tai64n|none] [-s bytes] [-n files] " \
		"[-N floor] [-a age] [-r age] [-l linemax] [-p processor] " \
		"[-P name] [DIR|-]"

#define CHUNK		(512 * 1024)	/* most input taken per read */
#define PIPE_WANT	(1024 * 1024)	/* pipe size asked of the kernel */
#define LINEMAX_DEF	65536
#define LINEMAX_MAX	(16 * 1024 * 1024)
#define SIZE_MIN	4096
#define RETRY_MIN_MS	100		/* first retry after a failure */
#define RETRY_MAX_MS	1000		/* retries back off up to this */
#define EXIT_RETRY_MS	2000		/* retries left once told to stop */
#define PROCESSOR_RETRY_MS 5000	/* before a failed processor reruns */
#define EXIT_DISKFULL	111

/* The steps of a rotation; each one is retried alone. */
enum rotstate {
	ROT_IDLE,
	ROT_SYNC,	/* fsync current */
	ROT_CHMOD,	/* mark it complete */
	ROT_WAITPROC,	/* the processor still works on previous */
	ROT_RENAME,	/* current becomes @STAMP.s (or previous) */
	ROT_OPEN,	/* a new current */
	ROT_TRIM	/* drop what -n and -a no longer keep */
};

/* The -p processor's work on previous (the file it turns into @STAMP.s). */
enum processor_state {
	PROCESSOR_NONE,		/* no previous */
	PROCESSOR_PENDING,	/* previous waits for the processor */
	PROCESSOR_RUNNING
};

struct opts {
	const char	*dir;
	int		 mode;		/* enum logline_mode */
	uint64_t	 size;		/* most bytes in current */
	size_t		 keep;		/* rotated files kept */
	size_t		 floor;		/* rotated files kept when disk is full */
	int64_t		 maxage;	/* ms, 0 = no age limit */
	int64_t		 rotage;	/* -r, ms; 0 = no rotation by time */
	size_t		 linemax;
	const char	*proc;		/* NULL = none */
	const char	*name;		/* -P, or NULL */
	int		 tostdout;	/* DIR is "-" */
	char		 out[PATH_MAX];	/* for messages: DIR/current */
};

struct input {
	struct pipein pi;	/* stdin, taken once written (tee) */
	int	eof;
	int	term;		/* told to stop */
	size_t	drain;		/* after term: bytes still to take */
};

struct svlog {
	struct opts	 o;
	struct logline	 ll;
	struct input	 in;
	char		*ibuf;		/* input not yet formatted: [ioff, ilen) */
	size_t		 isize, ioff, ilen;
	char		*obuf;		/* output not yet written: [ooff, olen) */
	size_t		 osize, ooff, olen;
	int		 fd;		/* current */
	uint64_t	 cursize;
	int		 rot;		/* enum rotstate */
	int		 wantrot;	/* SIGALRM seen, or rotdue passed */
	int64_t		 rotdue;	/* realtime ms when current's first
					 * line is -r old, or NOTIME */
	int64_t		 stamp_ms;	/* realtime ms of the input's stamp */
	struct timespec	 last;		/* stamp of the newest rotated name */
	int		 stuck;		/* a failure episode is going on */
	int		 stuckerr;
	int64_t		 retry_at;	/* monotonic ms, or NOTIME */
	int64_t		 retry_ms;
	int64_t		 exit_by;	/* monotonic ms; NOTIME: not stopping */
	int64_t		 agedue;	/* realtime ms of the next age trim,
					 * or NOTIME */
	int		 processor;	/* enum processor_state */
	pid_t		 processor_pid;
	int64_t		 processor_at;	/* monotonic ms of the next run */
	char		 processor_name[LOGDIR_NAMELEN + 1];
};

static int64_t
realtime_ms(void)
{
	struct timespec ts;

	timefmt_now(&ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A stamp in ms, rounded up: a deadline from it is never early. */
static int64_t
ts_ms_up(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000;
}

/* Current's first line, stamped at first_ms, starts the -r clock. */
static void
rotdue_arm(struct svlog *sv, int64_t first_ms)
{
	sv->rotdue = first_ms > NOTIME - 1 - sv->o.rotage ? NOTIME - 1 :
	    first_ms + sv->o.rotage;
}

/* Start (or carry on) a failure episode: warn only at its start. */
static void
episode_fail(struct svlog *sv, int64_t now, const char *what)
{
	if (!sv->stuck || sv->stuckerr != errno)
		warn_sys("unable to %s %s, pausing", what, sv->o.out);
	sv->stuck = 1;
	sv->stuckerr = errno;
	sv->retry_at = now + sv->retry_ms;
	sv->retry_ms = sv->retry_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS :
	    sv->retry_ms * 2;
}

static void
episode_end(struct svlog *sv)
{
	if (sv->stuck)
		warn_x("resumed logging to %s", sv->o.dir);
	sv->stuck = 0;
	sv->stuckerr = 0;
	sv->retry_at = NOTIME;
	sv->retry_ms = RETRY_MIN_MS;
}

/* Out of space: delete the oldest rotated file if more than the floor are
 * left. 1 if one went, 0 if none may go. */
static int
free_room(struct svlog *sv)
{
	struct logdir_scan sc;

	if (logdir_scan(".", &sc) == -1 || sc.count <= sv->o.floor)
		return 0;
	if (unlink(sc.oldest) == -1)
		return 0;
	warn_x("out of disk space, deleted %s/%s", sv->o.dir, sc.oldest);
	return 1;
}

/* Remember when the oldest rotated file passes -a. */
static void
age_schedule(struct svlog *sv, const struct logdir_scan *sc)
{
	sv->agedue = NOTIME;
	if (sv->o.maxage > 0 && sc->count > 0)
		sv->agedue = (int64_t)sc->oldest_ts.tv_sec * 1000 +
		    sc->oldest_ts.tv_nsec / 1000000 + sv->o.maxage + 1;
}

static void
trim(struct svlog *sv)
{
	struct logdir_scan sc;
	struct timespec now;

	timefmt_now(&now);
	if (logdir_trim(".", sv->o.keep, sv->o.maxage, &now, &sc) == -1) {
		warn_sys("unable to remove old logs in %s", sv->o.dir);
		return;
	}
	age_schedule(sv, &sc);
}

/* Write out what is held. 0 when all of it went, -1 (episode) if not. */
static int
flush(struct svlog *sv, int64_t now)
{
	ssize_t w;
	int e;

	while (sv->ooff < sv->olen) {
		w = write(sv->fd, sv->obuf + sv->ooff, sv->olen - sv->ooff);
		if (w > 0) {
			sv->ooff += (size_t)w;
			sv->cursize += (uint64_t)w;
			continue;
		}
		if (w == -1 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;
		e = errno;
		if ((e == ENOSPC || e == EDQUOT) && !sv->o.tostdout &&
		    free_room(sv))
			continue;
		errno = e;
		episode_fail(sv, now, "write to");
		return -1;
	}
	sv->ooff = sv->olen = 0;
	episode_end(sv);
	return 0;
}

/* Run the processor on previous: its output goes to processed. */
static void
processor_start(struct svlog *sv, int64_t now)
{
	struct spawn sp;
	char *argv[4];
	int in, out;

	argv[0] = "sh";
	argv[1] = "-c";
	argv[2] = (char *)sv->o.proc;
	argv[3] = NULL;
	if ((in = fd_open_read("previous")) == -1) {
		warn_sys("unable to open %s/previous", sv->o.dir);
		sv->processor_at = now + PROCESSOR_RETRY_MS;
		return;
	}
	out = open("processed", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOCTTY, 0644);
	if (out == -1) {
		warn_sys("unable to create %s/processed", sv->o.dir);
		fd_close(in);
		sv->processor_at = now + PROCESSOR_RETRY_MS;
		return;
	}
	spawn_init(&sp, "/bin/sh", argv);
	sp.fd[0] = in;
	sp.fd[1] = out;
	sv->processor_pid = spawn_run(&sp);
	if (sv->processor_pid == -1) {
		warn_sys("unable to run processor for %s", sv->o.dir);
		sv->processor_at = now + PROCESSOR_RETRY_MS;
	} else
		sv->processor = PROCESSOR_RUNNING;
	fd_close(in);
	fd_close(out);
}

/* The processor ended: on success processed becomes the rotated file. */
static void
processor_done(struct svlog *sv, int st, int64_t now)
{
	int fd;

	sv->processor_pid = 0;
	sv->processor = PROCESSOR_PENDING;
	sv->processor_at = now + PROCESSOR_RETRY_MS;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		warn_x("processor failed on %s/previous, will run it again",
		    sv->o.dir);
		return;
	}
	if ((fd = open("processed", O_RDONLY | O_CLOEXEC)) == -1 ||
	    fsync(fd) == -1 || fchmod(fd, 0744) == -1) {
		warn_sys("unable to sync %s/processed", sv->o.dir);
		if (fd != -1)
			fd_close(fd);
		return;
	}
	fd_close(fd);
	if (rename("processed", sv->processor_name) == -1) {
		warn_sys("unable to rename %s/processed", sv->o.dir);
		return;
	}
	if (unlink("previous") == -1 && errno != ENOENT)
		warn_sys("unable to remove %s/previous", sv->o.dir);
	sv->processor = PROCESSOR_NONE;
	trim(sv);
}

static void
reap(struct svlog *sv, int64_t now)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		if (pid == sv->processor_pid)
			processor_done(sv, st, now);
}

/* The next rotated name, later than every one before. */
static void
next_name(struct svlog *sv, char *name, char kind)
{
	struct timespec ts;

	timefmt_now(&ts);
	logdir_next_stamp(&ts, &sv->last);
	sv->last = ts;
	logdir_name(name, &ts, kind);
}

/* One step of a rotation. 0 when it advanced, -1 when it must wait. */
static int
rotate_step(struct svlog *sv, int64_t now)
{
	char name[LOGDIR_NAMELEN + 1];
	struct stat sb;
	int fd;

	if (sv->retry_at != NOTIME && now < sv->retry_at)
		return -1;
	switch (sv->rot) {
	case ROT_SYNC:
		if (fsync(sv->fd) == -1 && errno != EINVAL) {
			episode_fail(sv, now, "sync");
			return -1;
		}
		sv->rot = ROT_CHMOD;
		/* FALLTHROUGH */
	case ROT_CHMOD:
		if (fchmod(sv->fd, 0744) == -1) {
			episode_fail(sv, now, "set mode of");
			return -1;
		}
		sv->rot = ROT_WAITPROC;
		/* FALLTHROUGH */
	case ROT_WAITPROC:
		if (sv->o.proc != NULL && sv->processor != PROCESSOR_NONE)
			return -1;	/* woken by SIGCHLD or processor_at */
		sv->rot = ROT_RENAME;
		/* FALLTHROUGH */
	case ROT_RENAME:
		next_name(sv, name, 's');
		if (sv->o.proc != NULL) {
			if (rename("current", "previous") == -1) {
				episode_fail(sv, now, "rename");
				return -1;
			}
			memcpy(sv->processor_name, name, sizeof name);
			sv->processor = PROCESSOR_PENDING;
			sv->processor_at = now;
		} else if (rename("current", name) == -1) {
			episode_fail(sv, now, "rename");
			return -1;
		}
		sv->rot = ROT_OPEN;
		/* FALLTHROUGH */
	case ROT_OPEN:
		if ((fd = fd_open_append("current", 0644)) == -1 ||
		    fstat(fd, &sb) == -1) {
			if (fd != -1)
				fd_close(fd);
			episode_fail(sv, now, "create");
			return -1;
		}
		fd_close(sv->fd);
		sv->fd = fd;
		sv->cursize = (uint64_t)sb.st_size;
		sv->rotdue = NOTIME;	/* armed by the new current's first line */
		sv->rot = ROT_TRIM;
		/* FALLTHROUGH */
	case ROT_TRIM:
		trim(sv);
		sv->rot = ROT_IDLE;
		episode_end(sv);
		break;
	default:
		sv->rot = ROT_IDLE;
		break;
	}
	return 0;
}

/* Is there a piece ready in the input: a whole line, one too long to
 * wait for, or anything when no more input will come? */
static int
piece_ready(const struct svlog *sv, int final)
{
	size_t n = sv->ilen - sv->ioff;

	if (n == 0)
		return 0;
	if (final || n > sv->ll.max)
		return 1;
	return memchr(sv->ibuf + sv->ioff, '\n', n) != NULL;
}

/*
 * Do all that can be done without new input: write, rotate, format. 1 when
 * everything in hand is written (more input is welcome), 0 when waiting
 * for a retry or the processor.
 */
static int
work(struct svlog *sv, int64_t now, int final)
{
	uint64_t room;
	size_t cap, used;

	for (;;) {
		if (sv->olen > sv->ooff) {
			if (sv->retry_at != NOTIME && now < sv->retry_at)
				return 0;
			if (flush(sv, now) == -1)
				return 0;
		}
		if (sv->rot != ROT_IDLE) {
			if (rotate_step(sv, now) == -1)
				return 0;
			continue;
		}
		if (sv->wantrot) {
			sv->wantrot = 0;
			if (sv->cursize > 0)
				sv->rot = ROT_SYNC;
			continue;
		}
		if (!piece_ready(sv, final))
			return 1;
		room = sv->o.size > sv->cursize + sv->olen ?
		    sv->o.size - sv->cursize - sv->olen : 0;
		cap = sv->olen + (room < sv->osize - sv->olen ? (size_t)room :
		    sv->osize - sv->olen);
		used = logline_format(&sv->ll, sv->ibuf + sv->ioff,
		    sv->ilen - sv->ioff, final, sv->obuf, cap, &sv->olen);
		sv->ioff += used;
		if (sv->o.rotage > 0 && sv->rotdue == NOTIME && sv->olen > 0)
			rotdue_arm(sv, sv->stamp_ms);
		if (sv->olen > sv->ooff)
			continue;	/* write it */
		if (used == 0)		/* the next piece would pass -s */
			sv->rot = ROT_SYNC;
	}
}

/* Remove from the pipe the input now written. */
static void
consume(struct svlog *sv)
{
	pipein_consume(&sv->in.pi, sv->obuf, sv->osize);
}

/* Read what the input has into the input buffer and stamp it. */
static void
input_read(struct svlog *sv)
{
	struct timespec ts;
	size_t want;
	ssize_t r;

	consume(sv);
	if (sv->ioff > 0) {
		memmove(sv->ibuf, sv->ibuf + sv->ioff, sv->ilen - sv->ioff);
		sv->ilen -= sv->ioff;
		sv->ioff = 0;
	}
	want = sv->isize - sv->ilen;
	if (sv->in.term && sv->in.drain < want)
		want = sv->in.drain;
	r = pipein_take(&sv->in.pi, sv->ibuf + sv->ilen, want);
	if (r == -1) {
		if (errno == EPROTO)
			die_sys(EXIT_BUG, "unable to read back the input");
		if (errno != EAGAIN && errno != EINTR) {
			warn_sys("unable to read standard input");
			sv->in.eof = 1;
		}
		return;
	}
	if (r == 0) {
		sv->in.eof = 1;
		return;
	}
	if (sv->in.term)
		sv->in.drain -= (size_t)r;
	sv->ilen += (size_t)r;
	timefmt_now(&ts);
	logline_stamp(&sv->ll, &ts);
	sv->stamp_ms = ts_ms_up(&ts);
}

/* Told to stop: take what the pipe holds now, nothing written after. */
static void
on_term(struct svlog *sv)
{
	int n;

	if (sv->in.term)
		return;
	sv->in.term = 1;
	if (ioctl(0, FIONREAD, &n) == -1 || n < 0)
		n = 0;
	sv->in.drain = (size_t)n;
}

/* Everything is written: close current cleanly and exit 0. */
static void
finish(struct svlog *sv)
{
	int st;

	consume(sv);
	if (sv->o.tostdout)
		exit(0);
	if (fsync(sv->fd) == -1 && errno != EINVAL)
		warn_sys("unable to sync current in %s", sv->o.dir);
	if (fchmod(sv->fd, 0744) == -1)
		warn_sys("unable to set mode of current in %s", sv->o.dir);
	/* Process the last rotated file now, once: if that fails, the next
	 * svlog finds previous and runs the processor again. */
	if (sv->processor == PROCESSOR_PENDING)
		processor_start(sv, timefmt_now_ms());
	if (sv->processor == PROCESSOR_RUNNING) {
		(void)spawn_wait(sv->processor_pid, &st);
		processor_done(sv, st, timefmt_now_ms());
	}
	exit(0);
}

/* Restarted on a current with lines: its -r clock started with its first
 * line, whose stamp says when (the file's mtime if it has none: -t none). */
static void
rotdue_resume(struct svlog *sv, const struct stat *sb)
{
	char buf[64];
	struct timespec ts, first;
	ssize_t r;
	int fd, cont;

	ts = sb->st_mtim;
	if ((fd = fd_open_read("current")) != -1) {
		r = fd_read(fd, buf, sizeof buf);
		if (r > 0 && logline_parse(buf, (size_t)r, &first, &cont) > 0)
			ts = first;
		fd_close(fd);
	}
	rotdue_arm(sv, ts_ms_up(&ts));
}

/* Rename an unclean current (left by a crash) to @STAMP.u, keep a clean
 * one to append to, and pick up a rotation a crash interrupted. */
static void
startup(struct svlog *sv)
{
	char name[LOGDIR_NAMELEN + 1];
	struct logdir_scan sc;
	struct stat sb;

	if (logdir_scan(".", &sc) == -1)
		die_sys(EXIT_TEMP, "unable to read directory %s", sv->o.dir);
	if (sc.count > 0)
		sv->last = sc.newest_ts;
	if (unlink("processed") == -1 && errno != ENOENT)
		die_sys(EXIT_TEMP, "unable to remove %s/processed", sv->o.dir);
	if (stat("previous", &sb) == 0) {
		next_name(sv, sv->processor_name, 's');
		if (sv->o.proc != NULL)
			sv->processor = PROCESSOR_PENDING;
		else if (rename("previous", sv->processor_name) == -1)
			die_sys(EXIT_TEMP, "unable to rename %s/previous",
			    sv->o.dir);
	}
	if (stat("current", &sb) == 0 && sb.st_size > 0 &&
	    !(sb.st_mode & S_IXUSR)) {
		next_name(sv, name, 'u');
		if (rename("current", name) == -1)
			die_sys(EXIT_TEMP, "unable to rename %s/current",
			    sv->o.dir);
	}
	if ((sv->fd = fd_open_append("current", 0644)) == -1 ||
	    fstat(sv->fd, &sb) == -1)
		die_sys(EXIT_TEMP, "unable to open %s/current", sv->o.dir);
	if (fchmod(sv->fd, 0644) == -1)
		die_sys(EXIT_TEMP, "unable to set mode of %s/current",
		    sv->o.dir);
	sv->cursize = (uint64_t)sb.st_size;
	if (sv->o.rotage > 0 && sv->cursize > 0)
		rotdue_resume(sv, &sb);
	trim(sv);
}

static void
options(int argc, char **argv, struct opts *o)
{
	uint64_t v;
	int c, floorset = 0;

	memset(o, 0, sizeof *o);
	o->mode = LOGLINE_ISO;
	o->size = 1024 * 1024;
	o->keep = 10;
	o->linemax = LINEMAX_DEF;
	while ((c = getopt(argc, argv, "+t:s:n:N:a:r:l:p:P:hV")) != -1) {
		switch (c) {
		case 't':
			if ((o->mode = logline_mode_parse(optarg)) == -1)
				die_usage(USAGE);
			break;
		case 's':
			if (num_parse_size(optarg, UINT64_MAX, &o->size) == -1 ||
			    o->size < SIZE_MIN)
				die_x(EXIT_USAGE, "bad size: %s (at least %d)",
				    optarg, SIZE_MIN);
			break;
		case 'n':
		case 'N':
			if (num_parse_size(optarg, SIZE_MAX / 2, &v) == -1)
				die_x(EXIT_USAGE, "bad number: %s", optarg);
			if (c == 'n')
				o->keep = (size_t)v;
			else {
				o->floor = (size_t)v;
				floorset = 1;
			}
			break;
		case 'a':
			if (timefmt_duration_parse(optarg, &o->maxage) == -1)
				die_x(EXIT_USAGE, "bad age: %s", optarg);
			break;
		case 'r':
			if (timefmt_duration_parse(optarg, &o->rotage) == -1 ||
			    o->rotage == 0)
				die_x(EXIT_USAGE, "bad rotation age: %s",
				    optarg);
			break;
		case 'l':
			if (num_parse_size(optarg, LINEMAX_MAX, &v) == -1 ||
			    v < 1)
				die_x(EXIT_USAGE, "bad line length: %s",
				    optarg);
			o->linemax = (size_t)v;
			break;
		case 'p':
			o->proc = optarg;
			break;
		case 'P':
			if (strchr(optarg, '\n') != NULL ||
			    strlen(optarg) > LOGLINE_NAMEMAX)
				die_x(EXIT_USAGE, "bad name: at most %d bytes, "
				    "no newline", LOGLINE_NAMEMAX);
			o->name = optarg;
			break;
		case 'V':
			diag_version("svlog");
		case 'h':
			diag_help(USAGE);
		default:
			die_usage(USAGE);
		}
	}
	/* Without DIR, ./main: so that log/run can be a symlink to svlog and
	 * each logger start saves a shell. */
	if (argc - optind > 1)
		die_usage(USAGE);
	o->dir = argc - optind == 1 ? argv[optind] : "./main";
	if (strcmp(o->dir, "-") == 0) {
		/* Standard output: nothing to rotate, no processor. */
		o->tostdout = 1;
		o->dir = "standard output";
		o->size = UINT64_MAX;
		if (o->proc != NULL)
			die_x(EXIT_USAGE, "-p needs a directory, not -");
		if (o->rotage != 0)
			die_x(EXIT_USAGE, "-r needs a directory, not -");
	}
	if (o->tostdout)
		snprintf(o->out, sizeof o->out, "%s", o->dir);
	else if (path_join(o->out, sizeof o->out, o->dir, "current") == -1)
		die_x(EXIT_USAGE, "directory name too long: %s", o->dir);
	if (!floorset)
		o->floor = o->keep;
	/* A piece with its stamp must fit in current. */
	if (o->linemax > o->size - logline_prefix_len(o->mode) - 1)
		o->linemax = (size_t)(o->size - logline_prefix_len(o->mode) -
		    1);
}

static void
on_signals(struct svlog *sv, int64_t now)
{
	int sig;

	while ((sig = selfpipe_read()) > 0) {
		switch (sig) {
		case SIGTERM:
		case SIGINT:
			on_term(sv);
			break;
		case SIGALRM:
			sv->wantrot = !sv->o.tostdout;
			break;
		case SIGCHLD:
			reap(sv, now);
			break;
		default:
			break;
		}
	}
}

/* The monotonic ms the loop must wake by (NOTIME: none), at now (and
 * realtime rnow), idle or not (see work). */
static int64_t
next_due(const struct svlog *sv, int idle, int64_t now, int64_t rnow)
{
	int64_t due, rdue;

	due = idle ? NOTIME : sv->retry_at;
	if (sv->processor == PROCESSOR_PENDING)
		due = deadline_earliest(due, sv->processor_at);
	if (!idle)
		due = deadline_earliest(due, sv->exit_by);
	/* Realtime deadlines: -a's next trim, -r's next rotation (armed
	 * only while current holds lines: idle costs none), moved to the
	 * monotonic clock by the time they have left. */
	rdue = deadline_earliest(sv->agedue, sv->rotdue);
	if (rdue != NOTIME)
		due = deadline_earliest(due, now +
		    deadline_timeout(rdue, rnow));
	return due;
}

/*
 * The event loop: everything that can be done without new input (work),
 * then poll for input, signals and the earliest deadline. Leaves only by
 * finish() (all written) or the disk-full exit.
 */
static void
loop(struct svlog *sv, int spfd)
{
	struct pollfd pfd[2];
	int64_t now, rnow;
	int idle, final, nfd, timeout;

	for (;;) {
		now = timefmt_now_ms();
		rnow = realtime_ms();
		if (rnow >= sv->agedue && sv->rot == ROT_IDLE)
			trim(sv);
		if (rnow >= sv->rotdue) {
			sv->rotdue = NOTIME;	/* -r: rotate as SIGALRM does */
			sv->wantrot = 1;
		}
		if (sv->processor == PROCESSOR_PENDING &&
		    now >= sv->processor_at)
			processor_start(sv, now);
		final = sv->in.eof || (sv->in.term && sv->in.drain == 0);
		idle = work(sv, now, final);
		if (final && idle && sv->ioff == sv->ilen)
			finish(sv);
		/* Told to stop but unable to write: retry a while, then say
		 * how much is lost rather than hang like the anchors. */
		if ((sv->in.eof || sv->in.term) && sv->exit_by == NOTIME)
			sv->exit_by = now + EXIT_RETRY_MS;
		if (!idle && now >= sv->exit_by)
			die_x(EXIT_DISKFULL, "unable to write %zu bytes to "
			    "%s: %s", sv->olen - sv->ooff + sv->ilen -
			    sv->ioff, sv->o.out, sv->stuckerr != 0 ?
			    diag_errstr(sv->stuckerr) :
			    "processor still running");

		nfd = 0;
		pfd[nfd].fd = spfd;
		pfd[nfd++].events = POLLIN;
		if (idle && !final) {
			pfd[nfd].fd = 0;
			pfd[nfd++].events = POLLIN;
		}
		timeout = deadline_timeout(next_due(sv, idle, now, rnow), now);
		if (sv->in.term && nfd == 2)
			timeout = 0;	/* drain only what is there */
		if (poll(pfd, (nfds_t)nfd, timeout) == -1) {
			if (errno != EINTR)
				die_sys(EXIT_TEMP, "unable to poll");
			continue;
		}
		if (pfd[0].revents)
			on_signals(sv, timefmt_now_ms());
		if (nfd == 2) {
			if (pfd[1].revents)
				input_read(sv);
			else if (sv->in.term)
				sv->in.drain = 0;
		}
	}
}

int
main(int argc, char **argv)
{
	struct svlog sv;
	int spfd, lockfd;

	diag_init("svlog");
	memset(&sv, 0, sizeof sv);
	options(argc, argv, &sv.o);
	sv.retry_ms = RETRY_MIN_MS;
	sv.retry_at = sv.exit_by = sv.agedue = sv.rotdue = NOTIME;
	lockfd = -1;
	if (!sv.o.tostdout) {
		if (mkdir(sv.o.dir, 0755) == -1 && errno != EEXIST)
			die_sys(EXIT_TEMP, "unable to create directory %s",
			    sv.o.dir);
		if (chdir(sv.o.dir) == -1)
			die_sys(EXIT_TEMP, "unable to change to directory %s",
			    sv.o.dir);
		if ((lockfd = lock_acquire_grace("lock", LOCK_GRACE_MS)) == -1)
			die_sys(EXIT_TEMP, "unable to lock directory %s",
			    sv.o.dir);
	}
	if ((spfd = selfpipe_init()) == -1 || selfpipe_trap(SIGTERM) == -1 ||
	    selfpipe_trap(SIGINT) == -1 || selfpipe_trap(SIGALRM) == -1 ||
	    selfpipe_trap(SIGCHLD) == -1 || selfpipe_trap(SIGHUP) == -1 ||
	    selfpipe_ignore(SIGPIPE) == -1)
		die_sys(EXIT_TEMP, "unable to set up signals");
	logline_init(&sv.ll, sv.o.mode, sv.o.linemax);
	(void)logline_name(&sv.ll, sv.o.name);
	sv.isize = sv.o.linemax + 1 + CHUNK;
	sv.osize = 2 * CHUNK + sv.o.linemax + LOGLINE_STAMPMAX +
	    LOGLINE_NAMEMAX + 4;
	if ((sv.ibuf = malloc(sv.isize)) == NULL ||
	    (sv.obuf = malloc(sv.osize)) == NULL)
		die_sys(EXIT_TEMP, "unable to allocate buffers");
	pipein_init(&sv.in.pi, 0, PIPE_WANT);
	if (sv.o.tostdout)
		sv.fd = 1;
	else
		startup(&sv);
	loop(&sv, spfd);
	/* NOTREACHED */
	(void)lockfd;
	return 0;
}
