/*
 * svtail [-n N] [-f] [-r] [-s SINCE] [-u UNTIL] [-g PATTERN] DIR...: show
 * the lines of log directories oldest first, across rotated files (gzip
 * archives read through gzip -dc), previous and current; several
 * directories merged by time, each line led by the service's name; -f
 * follows current across rotations, as tail -F does. Reads only.
 */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "fdutil.h"
#include "logdir.h"
#include "logline.h"
#include "spawn.h"
#include "timefmt.h"
#include "version.h"

#define USAGE	"svtail [-n N] [-f] [-r] [-s SINCE] [-u UNTIL] [-g PATTERN] " \
		"DIR..."
#define RDBUF	65536
#define FOLLOW_MS 1000		/* look again even without an event */

struct opts {
	long long	 n;		/* last n lines; -1 = all */
	int		 follow;
	int		 raw;		/* stamps as stored */
	int		 since_set, until_set;
	struct timespec	 since, until;
	int		 grep;
	regex_t		 re;
	int		 names;		/* more than one directory */
};

/* A line reader over one descriptor, whole lines only. */
struct rd {
	int	 fd;
	pid_t	 pid;		/* gzip -dc feeding fd, or 0 */
	char	*buf;
	size_t	 cap, start, end;
	off_t	 pos;		/* offset of buf[start] in the file */
	off_t	 limit;		/* stop at this offset; -1 = none */
};

/* One log directory. */
struct src {
	const char	*name;
	char		 dir[PATH_MAX];
	struct dirent	**files;	/* rotated files, oldest first */
	int		 nfiles;
	int		 idx;		/* next of files[] (then previous,
					 * then current) */
	int		 curfd;		/* current, opened once */
	ino_t		 curino;
	ino_t		 last;		/* -f: the last file read whole after a
					 * rotation, 0 when current follows */
	off_t		 curend;	/* where pass 1 stopped in current */
	struct rd	 rd;
	int		 open;		/* rd holds a file */
	int		 stage;		/* 0 files, 1 previous, 2 current,
					 * 3 done */
	/* the line in hand */
	char		*line;
	size_t		 len;
	int		 have;
	struct timespec	 ts;		/* its time (or the last one seen) */
	long long	 count;		/* matching lines (pass 1) */
};

static int
rd_fill(struct rd *r)
{
	ssize_t n;
	size_t want;
	char *nb;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		if ((nb = realloc(r->buf, r->cap * 2)) == NULL)
			die_sys(EXIT_TEMP, "unable to allocate memory");
		r->buf = nb;
		r->cap *= 2;
	}
	want = r->cap - r->end - 1;	/* room for a NUL after a line */
	if (r->limit >= 0) {
		off_t left = r->limit - (r->pos + (off_t)r->end);

		if (left <= 0)
			return 0;
		if ((off_t)want > left)
			want = (size_t)left;
	}
	n = fd_read(r->fd, r->buf + r->end, want);
	if (n == -1)
		die_sys(EXIT_TEMP, "unable to read a log file");
	r->end += (size_t)n;
	return n > 0;
}

/* Next line (without its newline, NUL put after it). 1 if one, 0 if none.
 * With partial set, an unterminated last piece counts as a line. */
static int
rd_line(struct rd *r, char **line, size_t *len, int partial)
{
	char *nl;

	for (;;) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl != NULL) {
			*line = r->buf + r->start;
			*len = (size_t)(nl - *line);
			*nl = '\0';
			r->pos += (off_t)(*len + 1);
			r->start += *len + 1;
			return 1;
		}
		if (!rd_fill(r))
			break;
	}
	if (partial && r->end > r->start) {
		*line = r->buf + r->start;
		*len = r->end - r->start;
		(*line)[*len] = '\0';
		r->pos += (off_t)*len;
		r->start = r->end;
		return 1;
	}
	return 0;
}

static void
rd_close(struct rd *r, int closefd)
{
	int st;

	if (closefd && r->fd != -1)
		close(r->fd);
	if (r->pid > 0)
		while (waitpid(r->pid, &st, 0) == -1 && errno == EINTR)
			;
	r->fd = -1;
	r->pid = 0;
	r->start = r->end = 0;
}

/* Read fd from its start, through gzip -dc if it is gzip data. */
static void
rd_open(struct rd *r, int fd, off_t limit)
{
	unsigned char magic[2];
	char *argv[] = { "gzip", "-dc", NULL };
	struct spawn sp;
	int p[2];

	r->fd = fd;
	r->pid = 0;
	r->pos = 0;
	r->limit = limit;
	r->start = r->end = 0;
	if (pread(fd, magic, 2, 0) != 2 || magic[0] != 0x1f ||
	    magic[1] != 0x8b) {
		(void)lseek(fd, 0, SEEK_SET);
		return;
	}
	if (pipe2(p, O_CLOEXEC) == -1)
		die_sys(EXIT_TEMP, "unable to create a pipe");
	(void)lseek(fd, 0, SEEK_SET);
	memset(&sp, 0, sizeof sp);
	sp.path = "gzip";
	sp.argv = argv;
	sp.usepath = 1;
	sp.fd[0] = fd;
	sp.fd[1] = p[1];
	sp.fd[2] = -1;
	sp.extrafd = -1;
	if ((r->pid = spawn_run(&sp)) == -1)
		die_sys(EXIT_TEMP, "unable to run gzip -dc");
	close(p[1]);
	close(fd);
	r->fd = p[0];
	r->limit = -1;
}

/* dir/name into path (PATH_MAX bytes); a path too long is an error. */
static void
join(char *path, const char *dir, const char *name)
{
	int r;

	r = snprintf(path, PATH_MAX, "%s/%s", dir, name);
	if (r < 0 || r >= PATH_MAX)
		die_x(EXIT_USAGE, "path too long: %s/%s", dir, name);
}

static int
is_rotated(const struct dirent *de)
{
	struct timespec ts;
	char kind;

	return logdir_name_parse(de->d_name, &ts, &kind) == 0;
}

static int
by_stamp(const struct dirent **a, const struct dirent **b)
{
	return logdir_name_cmp((*a)->d_name, (*b)->d_name);
}

static int
tscmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	if (a->tv_nsec != b->tv_nsec)
		return a->tv_nsec < b->tv_nsec ? -1 : 1;
	return 0;
}

/* A service directory means its log/main; anything else is a log
 * directory. The name shown is the service's. */
static void
src_init(struct src *s, const char *arg)
{
	char buf[PATH_MAX], *p;
	struct stat sb;
	size_t l;
	int r;

	memset(s, 0, sizeof *s);
	s->curfd = -1;
	s->rd.fd = -1;
	r = snprintf(s->dir, sizeof s->dir, "%s/log/main", arg);
	if (r < 0 || (size_t)r >= sizeof s->dir)
		die_x(EXIT_USAGE, "path too long: %s", arg);
	if (stat(s->dir, &sb) == -1 || !S_ISDIR(sb.st_mode))
		snprintf(s->dir, sizeof s->dir, "%s", arg);
	/* The name: the service directory's last component. */
	snprintf(buf, sizeof buf, "%s", s->dir);
	for (l = strlen(buf); l > 1 && buf[l - 1] == '/'; l--)
		buf[l - 1] = '\0';
	if (l > 9 && strcmp(buf + l - 9, "/log/main") == 0)
		buf[l - 9] = '\0';
	p = strrchr(buf, '/');
	s->name = strdup(p != NULL && p[1] != '\0' ? p + 1 : buf);
	if (s->name == NULL)
		die_sys(EXIT_TEMP, "unable to allocate memory");
	s->rd.cap = RDBUF;
	if ((s->rd.buf = malloc(s->rd.cap)) == NULL)
		die_sys(EXIT_TEMP, "unable to allocate memory");
}

/* List the files of s now: current first (so that a rotation after this
 * cannot hide it), then the rotated ones. */
static void
src_list(struct src *s, const struct opts *o)
{
	char path[PATH_MAX];
	struct stat sb;
	struct timespec ts;
	char kind;
	int i, j;

	join(path, s->dir, "current");
	if ((s->curfd = fd_open_read(path)) != -1 &&
	    fstat(s->curfd, &sb) == 0)
		s->curino = sb.st_ino;
	else if (errno != ENOENT)
		die_sys(EXIT_TEMP, "unable to open %s", path);
	s->nfiles = scandir(s->dir, &s->files, is_rotated, by_stamp);
	if (s->nfiles == -1)
		die_sys(EXIT_TEMP, "unable to read directory %s", s->dir);
	/* Rotated before -s: nothing in it can be shown. */
	for (i = j = 0; i < s->nfiles; i++) {
		if (o->since_set && logdir_name_parse(s->files[i]->d_name,
		    &ts, &kind) == 0 && tscmp(&ts, &o->since) < 0) {
			free(s->files[i]);
			continue;
		}
		s->files[j++] = s->files[i];
	}
	s->nfiles = j;
}

/* Done with the file in hand (current stays open: it is read again and
 * followed). */
static void
src_close(struct src *s)
{
	if (s->open)
		rd_close(&s->rd, s->rd.fd != s->curfd);
	s->open = 0;
}

static void
src_free(struct src *s)
{
	int i;

	src_close(s);
	if (s->curfd != -1)
		close(s->curfd);
	for (i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	free(s->rd.buf);
	free((char *)s->name);
}

/* Start reading s from its oldest file again. */
static void
src_rewind(struct src *s)
{
	src_close(s);
	s->idx = 0;
	s->stage = 0;
	s->have = 0;
	s->ts.tv_sec = 0;
	s->ts.tv_nsec = 0;
}

/* Open the next file of s. 0 when there is none left. */
static int
src_next_file(struct src *s, off_t curlimit)
{
	char path[PATH_MAX];
	int fd;

	for (;;) {
		if (s->stage == 0 && s->idx >= s->nfiles)
			s->stage = 1;
		if (s->stage == 0) {
			join(path, s->dir, s->files[s->idx++]->d_name);
			if ((fd = fd_open_read(path)) == -1)
				continue;	/* trimmed away meanwhile */
			rd_open(&s->rd, fd, -1);
			return s->open = 1;
		}
		if (s->stage == 1) {
			s->stage = 2;
			join(path, s->dir, "previous");
			if ((fd = fd_open_read(path)) == -1)
				continue;
			rd_open(&s->rd, fd, -1);
			s->stage = 1;
			return s->open = 1;
		}
		if (s->stage == 2) {
			s->stage = 3;
			if (s->curfd == -1)
				return 0;
			rd_open(&s->rd, s->curfd, curlimit);
			s->stage = 2;
			return s->open = 1;
		}
		return 0;
	}
}

/* Does line pass -g, -s and -u? Sets s->ts from its stamp. */
static int
match(struct src *s, const struct opts *o, char *line, size_t len)
{
	struct timespec ts;
	size_t off;
	int cont;

	if ((off = logline_parse(line, len, &ts, &cont)) > 0)
		s->ts = ts;
	if (o->since_set && tscmp(&s->ts, &o->since) < 0)
		return 0;
	if (o->until_set && tscmp(&s->ts, &o->until) > 0)
		return 0;
	if (o->grep && regexec(&o->re, line + off, 0, NULL, 0) != 0)
		return 0;
	return 1;
}

/* Bring the next matching line of s in hand. 0 at the end. */
static int
src_advance(struct src *s, const struct opts *o, off_t curlimit)
{
	char *line;
	size_t len;

	s->have = 0;
	for (;;) {
		if (!s->open && !src_next_file(s, curlimit))
			return 0;
		if (!rd_line(&s->rd, &line, &len, s->stage != 2 || !o->follow)) {
			if (s->stage == 2) {
				s->curend = s->rd.pos;
				s->stage = 3;
				return 0;	/* keep current open */
			}
			src_close(s);
			if (s->stage == 1)
				s->stage = 2;
			continue;
		}
		if (match(s, o, line, len)) {
			s->line = line;
			s->len = len;
			return s->have = 1;
		}
	}
}

/* Write one line: the service's name, the stamp in local time (or as
 * stored with -r), the text. */
static void
emit(const struct src *s, const struct opts *o, const char *line, size_t len)
{
	struct timespec ts;
	struct tm tm;
	time_t t;
	size_t off;
	int cont;

	if (o->names)
		printf("%s: ", s->name);
	if (!o->raw && (off = logline_parse(line, len, &ts, &cont)) > 0) {
		t = ts.tv_sec;
		if (localtime_r(&t, &tm) == NULL)
			memset(&tm, 0, sizeof tm);
		printf("%04d-%02d-%02d %02d:%02d:%02d.%06ld%c",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000, line[off - 1]);
		line += off;
		len -= off;
	}
	fwrite(line, 1, len, stdout);
	putchar('\n');
}

/* Print the lines of all sources merged by time, after skipping skip. */
static void
merge(struct src *srcs, int n, const struct opts *o, long long skip)
{
	struct src *best;
	int i;

	for (i = 0; i < n; i++)
		src_advance(&srcs[i], o, srcs[i].curend);
	for (;;) {
		best = NULL;
		for (i = 0; i < n; i++)
			if (srcs[i].have && (best == NULL ||
			    tscmp(&srcs[i].ts, &best->ts) < 0))
				best = &srcs[i];
		if (best == NULL)
			break;
		if (skip > 0)
			skip--;
		else
			emit(best, o, best->line, best->len);
		src_advance(best, o, best->curend);
	}
}

/* The rotated file that follows the one with inode last: 1 with its
 * path in path and its inode in *ino, 0 if none (or last is gone). */
static int
next_after(const struct src *s, ino_t last, char *path, ino_t *ino)
{
	struct dirent **f;
	struct stat sb;
	int n, i, found = 0, r = 0;

	if ((n = scandir(s->dir, &f, is_rotated, by_stamp)) == -1)
		return 0;
	for (i = 0; i < n; i++) {
		join(path, s->dir, f[i]->d_name);
		if (stat(path, &sb) == -1)
			continue;
		if (found) {
			*ino = sb.st_ino;
			r = 1;
			break;
		}
		found = sb.st_ino == last;
	}
	for (i = 0; i < n; i++)
		free(f[i]);
	free(f);
	return r;
}

/* Print every line of the file at path. */
static void
print_file(struct src *s, const struct opts *o, const char *path)
{
	char *line;
	size_t len;
	int fd;

	if ((fd = fd_open_read(path)) == -1)
		return;
	rd_open(&s->rd, fd, -1);
	while (rd_line(&s->rd, &line, &len, 1))
		if (match(s, o, line, len))
			emit(s, o, line, len);
	rd_close(&s->rd, 1);
}

/*
 * Print what has been added to current since, following it across
 * rotations: the old file is read to its end, then every file rotated
 * after it (more than one when we fell behind), then the new current.
 */
static void
follow_src(struct src *s, const struct opts *o)
{
	char path[PATH_MAX], next[PATH_MAX];
	struct stat sb;
	char *line;
	size_t len;
	ino_t ino;
	int fd;

	join(path, s->dir, "current");
	for (;;) {
		if (s->curfd != -1) {
			s->rd.limit = -1;
			while (rd_line(&s->rd, &line, &len, 0))
				if (match(s, o, line, len))
					emit(s, o, line, len);
			if (stat(path, &sb) == 0 && sb.st_ino == s->curino)
				break;
			/* Rotated: what is left of the old one, then on. */
			while (rd_line(&s->rd, &line, &len, 1))
				if (match(s, o, line, len))
					emit(s, o, line, len);
			rd_close(&s->rd, 1);
			s->curfd = -1;
			s->last = s->curino;
		}
		while (s->last != 0 && next_after(s, s->last, next, &ino)) {
			print_file(s, o, next);
			s->last = ino;
		}
		if ((fd = fd_open_read(path)) == -1 || fstat(fd, &sb) == -1) {
			if (fd != -1)
				close(fd);
			break;
		}
		if (s->last != 0 && next_after(s, s->last, next, &ino) &&
		    ino != sb.st_ino) {
			/* Rotated again before we opened it: those first. */
			close(fd);
			continue;
		}
		s->last = 0;
		s->curfd = fd;
		s->curino = sb.st_ino;
		rd_open(&s->rd, fd, -1);
	}
	fflush(stdout);
}

static void
follow(struct src *srcs, int n, const struct opts *o)
{
	struct pollfd pfd;
	char ev[4096];
	int i, ifd = -1;

#ifdef IN_CLOEXEC
	if ((ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) != -1)
		for (i = 0; i < n; i++)
			(void)inotify_add_watch(ifd, srcs[i].dir, IN_MODIFY |
			    IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
			    IN_CLOSE_WRITE);
#endif
	for (i = 0; i < n; i++)
		if (srcs[i].curfd != -1 && srcs[i].stage != 3) {
			/* current was never reached: start at its end */
			srcs[i].rd.fd = srcs[i].curfd;
			srcs[i].rd.start = srcs[i].rd.end = 0;
			srcs[i].rd.pos = lseek(srcs[i].curfd, 0, SEEK_END);
		}
	for (;;) {
		for (i = 0; i < n; i++)
			follow_src(&srcs[i], o);
		pfd.fd = ifd;
		pfd.events = POLLIN;
		if (poll(&pfd, ifd == -1 ? 0 : 1, ifd == -1 ? 200 :
		    FOLLOW_MS) > 0)
			while (read(ifd, ev, sizeof ev) > 0)
				;
	}
}

/* SINCE or UNTIL: a duration back from now, or a time. A time ending in
 * Z is UTC, one without is local; @TAI64N is taken too. */
static void
when(const char *s, struct timespec *ts)
{
	struct timespec now;
	struct tm tm;
	int64_t ms;
	time_t t;
	size_t len = strlen(s);
	int cont;
	char buf[64];

	if (timefmt_duration_parse(s, &ms) == 0) {
		timefmt_now(&now);
		ts->tv_sec = now.tv_sec - (time_t)(ms / 1000);
		ts->tv_nsec = now.tv_nsec - (long)(ms % 1000) * 1000000;
		if (ts->tv_nsec < 0) {
			ts->tv_sec--;
			ts->tv_nsec += 1000000000;
		}
		return;
	}
	if (s[0] == '@' && len == LOGLINE_TAI64N_LEN &&
	    snprintf(buf, sizeof buf, "%s x", s) > 0 &&
	    logline_parse(buf, strlen(buf), ts, &cont) > 0)
		return;
	if (timefmt_iso_parse(s, len, ts) == -1)
		die_x(EXIT_USAGE, "bad time: %s (want 90s, 15m, 2h, 1d or "
		    "2026-11-22T03:14:15)", s);
	if (s[len - 1] != 'Z') {
		t = ts->tv_sec;
		gmtime_r(&t, &tm);
		tm.tm_isdst = -1;
		ts->tv_sec = mktime(&tm);
	}
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct src *srcs;
	long long total, skip;
	char *end;
	int c, i, n, e;
	char msg[256];

	diag_init("svtail");
	memset(&o, 0, sizeof o);
	o.n = -1;
	while ((c = getopt(argc, argv, "+n:fs:u:g:rhV")) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			o.n = strtoll(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    o.n < 0)
				die_x(EXIT_USAGE, "bad number: %s", optarg);
			break;
		case 'f':
			o.follow = 1;
			break;
		case 's':
			when(optarg, &o.since);
			o.since_set = 1;
			break;
		case 'u':
			when(optarg, &o.until);
			o.until_set = 1;
			break;
		case 'g':
			if ((e = regcomp(&o.re, optarg, REG_EXTENDED |
			    REG_NOSUB)) != 0) {
				regerror(e, &o.re, msg, sizeof msg);
				die_x(EXIT_USAGE, "bad pattern: %s: %s", optarg,
				    msg);
			}
			o.grep = 1;
			break;
		case 'r':
			o.raw = 1;
			break;
		case 'V':
			printf("svtail %s\n", TEND_VERSION);
			exit(0);
		case 'h':
		default:
			die_usage(USAGE);
		}
	}
	n = argc - optind;
	if (n < 1)
		die_usage(USAGE);
	if (o.follow && o.n == -1)
		o.n = 10;
	o.names = n > 1;
	if ((srcs = calloc((size_t)n, sizeof *srcs)) == NULL)
		die_sys(EXIT_TEMP, "unable to allocate memory");
	for (i = 0; i < n; i++) {
		src_init(&srcs[i], argv[optind + i]);
		src_list(&srcs[i], &o);
	}
	/* Pass 1 counts, so that pass 2 can skip all but the last n. Pass 1
	 * fixes where current ends, so both see the same lines. */
	skip = 0;
	total = 0;
	for (i = 0; i < n; i++) {
		if (o.n >= 0) {
			while (src_advance(&srcs[i], &o, -1))
				srcs[i].count++;
			total += srcs[i].count;
		} else if (srcs[i].curfd != -1)
			srcs[i].curend = lseek(srcs[i].curfd, 0, SEEK_END);
		src_rewind(&srcs[i]);
	}
	if (o.n >= 0 && total > o.n)
		skip = total - o.n;
	if (o.n != 0)
		merge(srcs, n, &o, skip);
	if (fflush(stdout) == EOF)
		die_sys(EXIT_TEMP, "unable to write to standard output");
	if (o.follow)
		follow(srcs, n, &o);
	for (i = 0; i < n; i++)
		src_free(&srcs[i]);
	free(srcs);
	if (o.grep)
		regfree(&o.re);
	return 0;
}
