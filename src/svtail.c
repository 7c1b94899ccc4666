/*
 * svtail [-n N] [-f] [-r] [-s SINCE] [-u UNTIL] [-g PATTERN] DIR...: show
 * the lines of log directories oldest first, across rotated files (gzip
 * archives read through gzip -dc), previous and current; several
 * directories merged by time, each line led by the service's name; -f
 * follows current across rotations, as tail -F does. Reads only (a gzip
 * archive that -n, -s or -u must read anywhere is decompressed once into
 * an unlinked temporary file).
 *
 * It reads what the answer needs: -n walks back from the end (logscan_back)
 * to the N-th last whole line, -s and -u bisect on the stamps
 * (logscan_bisect) in the files their names allow, -g searches the blocks
 * for a string every match holds (logread_grep), and a heap merges.
 */
#include <sys/types.h>
#include <sys/stat.h>
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

#include "deadline.h"
#include "diag.h"
#include "fdutil.h"
#include "logdir.h"
#include "logline.h"
#include "logread.h"
#include "logscan.h"
#include "minheap.h"
#include "num.h"
#include "path.h"
#include "spawn.h"
#include "timefmt.h"
#include "version.h"
#include "watch.h"

#define USAGE	"svtail [-n N] [-f] [-r] [-s SINCE] [-u UNTIL] [-g PATTERN] " \
		"DIR..."
#define RDBUF	(1 << 20)	/* forward reads */
#define FOLLOW_MS 1000		/* look again even without an event */

struct opts {
	long long	 n;		/* last n lines; -1 = all */
	int		 follow;
	int		 raw;		/* stamps as stored */
	int		 since_set, until_set;
	struct timespec	 since, until;
	int		 grep;
	regex_t		 re;
	const char	*fixed;		/* the pattern, when it is a plain
					 * string: memmem instead of regexec */
	size_t		 fixedlen;
	char		*lit;		/* a string every match holds (the
					 * pattern itself when fixed), or NULL */
	size_t		 litlen;
	int		 names;		/* more than one directory */
};

/*
 * One log directory. Its files are numbered in time order: the rotated
 * ones 0..nfiles-1, then previous (PREV), then current (CUR). The lines
 * shown lie between a start (file sf at offset soff: by bisection for
 * -s, then from the end backwards for -n) and a stop (file ef at eoff: by
 * bisection for -u, else the end of current as it was when listed).
 */
struct src {
	const char	*name;
	char		 dir[PATH_MAX];
	struct dirent	**files;	/* rotated files, oldest first */
	int		 nfiles;
	int		*gz;		/* per rotated file (and previous): a
					 * decompressed copy of a gzip one, or
					 * -1 */
	int		 curfd;		/* current, opened once */
	ino_t		 curino;
	ino_t		 last;		/* -f: the last file read whole after a
					 * rotation, 0 when current follows */
	off_t		 curend;	/* the size of current when listed */
	int		 sf, ef;
	off_t		 soff, eoff;
	struct timespec	 sts;		/* the time carried into the start */
	int		 f;		/* the file in hand; past CUR: done */
	int		 atcur;		/* current read to its stop: -f goes on
					 * from there */
	int		 wf;		/* the file a backward walk is in */
	struct logread	 rd;
	int		 open;		/* rd holds a file */
	struct logscan_back back;	/* backward reads */
	/* the line in hand */
	char		*line;
	size_t		 len;
	int		 have;
	struct timespec	 ts;		/* its time (or the last one seen) */
	long long	 lineid;	/* whole lines read (pieces joined) */
	long long	 lastid;	/* the whole line of the last match */
	int		 head;		/* the line in hand is the first match
					 * of its whole line */
	int		 hide;		/* -n: its whole line is skipped */
	long long	 count;		/* matching whole lines from the start */
};

#define PREV(s)	((s)->nfiles)
#define CUR(s)	((s)->nfiles + 1)

/* Does line (NUL-terminated) match -g? */
static int
grep_line(void *ctx, const char *line, size_t len)
{
	const struct opts *o = ctx;
	struct timespec ts;
	int cont;

	if (o->fixed != NULL)
		return logscan_text_has(line, len, o->fixed, o->fixedlen);
	return regexec(&o->re, line + logline_parse(line, len, &ts, &cont), 0,
	    NULL, 0) == 0;
}

static int
rd_line(struct logread *r, char **line, size_t *len, int partial)
{
	int n;

	if ((n = logread_line(r, line, len, partial)) == -1)
		die_sys(EXIT_TEMP, "unable to read a log file");
	return n;
}

/* The next line that matches -g, by its string: the lines passed over
 * give their time to *ts unless it is NULL. */
static int
rd_grep(struct logread *r, const struct opts *o, char **line, size_t *len,
    int partial, struct timespec *ts)
{
	int n;

	n = logread_grep(r, o->lit, o->litlen, grep_line, (void *)o, line, len,
	    partial, ts);
	if (n == -1)
		die_sys(EXIT_TEMP, "unable to read a log file");
	return n;
}

static void
rd_open(struct logread *r, int fd, off_t off, off_t limit)
{
	if (logread_open(r, fd, off, limit) == -1)
		die_sys(EXIT_TEMP, "unable to read a log file");
}

/* dir/name into path (PATH_MAX bytes); a path too long is an error. */
static void
join(char *path, const char *dir, const char *name)
{
	if (path_join(path, PATH_MAX, dir, name) == -1)
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


/* Is ts at or after t (after t, with after set)? */
static int
past(const struct timespec *ts, const struct timespec *t, int after)
{
	return after ? deadline_ts_cmp(ts, t) > 0 : deadline_ts_cmp(ts, t) >= 0;
}

/* A service directory means its log/main; anything else is a log
 * directory. The name shown is the service's. */
static void
src_init(struct src *s, const char *arg)
{
	char buf[PATH_MAX], *p;
	struct stat sb;
	size_t l;

	memset(s, 0, sizeof *s);
	s->curfd = -1;
	if (path_join(s->dir, sizeof s->dir, arg, "log/main") == -1)
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
	if (logread_init(&s->rd, RDBUF) == -1)
		die_sys(EXIT_TEMP, "unable to allocate memory");
}

/* List the files of s now: current first (so that a rotation after this
 * cannot hide it; its size now is where reading it stops), then the
 * rotated ones. */
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
	    fstat(s->curfd, &sb) == 0) {
		s->curino = sb.st_ino;
		s->curend = sb.st_size;
	} else if (errno != ENOENT)
		die_sys(EXIT_TEMP, "unable to open %s", path);
	s->nfiles = scandir(s->dir, &s->files, is_rotated, by_stamp);
	if (s->nfiles == -1)
		die_sys(EXIT_TEMP, "unable to read directory %s", s->dir);
	/* Rotated before -s: nothing in it can be shown. */
	for (i = j = 0; i < s->nfiles; i++) {
		if (o->since_set && logdir_name_parse(s->files[i]->d_name,
		    &ts, &kind) == 0 && deadline_ts_cmp(&ts, &o->since) < 0) {
			free(s->files[i]);
			continue;
		}
		s->files[j++] = s->files[i];
	}
	s->nfiles = j;
	if ((s->gz = malloc(((size_t)j + 1) * sizeof *s->gz)) == NULL)
		die_sys(EXIT_TEMP, "unable to allocate memory");
	for (i = 0; i <= j; i++)
		s->gz[i] = -1;
}

/* Done with the file in hand (current stays open: it is read again and
 * followed). */
static void
src_close(struct src *s)
{
	if (s->open)
		logread_close(&s->rd, s->rd.fd != s->curfd);
	s->open = 0;
}

static void
src_free(struct src *s)
{
	int i;

	src_close(s);
	if (s->curfd != -1)
		close(s->curfd);
	for (i = 0; i <= s->nfiles; i++)
		if (s->gz[i] != -1)
			close(s->gz[i]);
	for (i = 0; i < s->nfiles; i++)
		free(s->files[i]);
	free(s->files);
	free(s->gz);
	logread_free(&s->rd);
	logscan_back_free(&s->back);
	free((char *)s->name);
}

/* Start reading s at its start again. */
static void
src_rewind(struct src *s)
{
	src_close(s);
	s->f = s->sf;
	s->atcur = 0;
	s->have = 0;
	s->ts = s->sts;
	s->lineid = 0;
	s->lastid = -1;
}

/* Open rotated file f (or previous). -1 if it is not there (trimmed
 * away meanwhile, or no processor at work). */
static int
src_openf(const struct src *s, int f)
{
	char path[PATH_MAX];

	join(path, s->dir, f == PREV(s) ? "previous" : s->files[f]->d_name);
	return fd_open_read(path);
}

static int
dupfd(int fd)
{
	int d;

	if ((d = fcntl(fd, F_DUPFD_CLOEXEC, 0)) == -1)
		die_sys(EXIT_TEMP, "unable to duplicate a descriptor");
	return d;
}

/*
 * File f as plain bytes that can be read anywhere, with *end its size:
 * current, a rotated file, or a gzip one decompressed once into an
 * unlinked temporary file (kept for the reads that follow). -1 if f is
 * not there. The caller closes it, unless it is current.
 */
static int
src_plain(struct src *s, int f, off_t *end)
{
	char tmp[PATH_MAX];
	const char *dir;
	struct stat sb;
	pid_t pid;
	int fd, t;

	if (f == CUR(s)) {
		*end = s->curend;
		return s->curfd;
	}
	if (s->gz[f] == -1) {
		if ((fd = src_openf(s, f)) == -1)
			return -1;
		if (!logread_is_gzip(fd))
			goto plain;
		if ((dir = getenv("TMPDIR")) == NULL || dir[0] == '\0')
			dir = "/tmp";
		if (path_join(tmp, sizeof tmp, dir, "svtail.XXXXXX") == -1)
			die_x(EXIT_USAGE, "path too long: %s", dir);
		if ((t = mkostemp(tmp, O_CLOEXEC)) == -1)
			die_sys(EXIT_TEMP, "unable to create %s", tmp);
		(void)unlink(tmp);
		if ((pid = logread_gunzip(fd, t)) == -1)
			die_sys(EXIT_TEMP, "unable to run gzip -dc");
		(void)spawn_wait(pid, NULL);
		close(fd);
		s->gz[f] = t;
	}
	fd = dupfd(s->gz[f]);
plain:
	if (fstat(fd, &sb) == -1)
		die_sys(EXIT_TEMP, "unable to stat a log file");
	*end = sb.st_size;
	return fd;
}

/* Close the decompressed copy of file f, if any: a gzip file is read
 * through a pipe again, if at all. */
static void
src_drop_gz(struct src *s, int f)
{
	if (f < CUR(s) && s->gz[f] != -1) {
		close(s->gz[f]);
		s->gz[f] = -1;
	}
}

/* Open the next file of s, from the start, up to the stop. 0 when there
 * is none left. */
static int
src_next_file(struct src *s)
{
	off_t off, limit;
	int fd;

	for (; s->f <= s->ef; s->f++) {
		off = s->f == s->sf ? s->soff : 0;
		limit = s->f == s->ef ? s->eoff : -1;
		if (s->f == CUR(s)) {
			if (s->curfd == -1)
				continue;
			fd = s->curfd;
		} else if (s->gz[s->f] != -1)
			fd = dupfd(s->gz[s->f]);
		else if ((fd = src_openf(s, s->f)) == -1)
			continue;
		rd_open(&s->rd, fd, off, limit);
		return s->open = 1;
	}
	return 0;
}

/* Does the text of line (after off, its stamp's length) match -g? */
static int
text_match(const struct opts *o, const char *line, size_t len, size_t off)
{
	if (!o->grep)
		return 1;
	if (o->fixed != NULL)
		return logscan_text_has(line, len, o->fixed, o->fixedlen);
	return regexec(&o->re, line + off, 0, NULL, 0) == 0;
}

/* Does line pass -g, -s and -u? Sets s->ts from its stamp, and numbers
 * the whole lines that pieces (LOGLINE_CONT) make. */
static int
match(struct src *s, const struct opts *o, char *line, size_t len)
{
	struct timespec ts;
	size_t off;
	int cont;

	if ((off = logline_parse(line, len, &ts, &cont)) > 0)
		s->ts = ts;
	if (off == 0 || !cont)
		s->lineid++;
	if (o->since_set && deadline_ts_cmp(&s->ts, &o->since) < 0)
		return 0;
	if (o->until_set && deadline_ts_cmp(&s->ts, &o->until) > 0)
		return 0;
	if (!text_match(o, line, len, off))
		return 0;
	s->head = s->lineid != s->lastid;
	s->lastid = s->lineid;
	return 1;
}

/* Bring the next matching line of s in hand. 0 at the end. */
static int
src_advance(struct src *s, const struct opts *o)
{
	char *line;
	size_t len;
	int partial, r, needts = o->since_set || o->until_set || o->names;

	s->have = 0;
	for (;;) {
		if (!s->open && !src_next_file(s))
			return 0;
		partial = s->f != CUR(s) || !o->follow;
		/* Without -n no whole line is counted: the fast path. */
		if (o->lit != NULL && o->n < 0)
			r = rd_grep(&s->rd, o, &line, &len, partial,
			    needts ? &s->ts : NULL);
		else
			r = rd_line(&s->rd, &line, &len, partial);
		if (!r) {
			if (s->f == CUR(s)) {
				s->f++;
				s->atcur = 1;
				return 0;	/* keep current open */
			}
			src_close(s);
			s->f++;
			continue;
		}
		if (match(s, o, line, len)) {
			s->line = line;
			s->len = len;
			return s->have = 1;
		}
	}
}

/* Walk the lines of s backwards from file f at off (-1: its end), file
 * by file, down to its start; fn as for logscan_back, s->wf the file. */
static int
src_back(struct src *s, const struct opts *o, int f, off_t off,
    logscan_fn fn, void *ctx)
{
	off_t end, lo;
	int fd, partial, r;

	for (; f >= s->sf; f--, off = -1) {
		if ((fd = src_plain(s, f, &end)) == -1)
			continue;
		partial = f != CUR(s) || !o->follow;
		if (off >= 0 && off < end)
			end = off;	/* a line's start: a '\n' before it */
		lo = f == s->sf ? s->soff : 0;
		s->wf = f;
		r = logscan_back(&s->back, fd, lo, end, partial, fn, ctx);
		if (fd != s->curfd)
			close(fd);
		if (r == -1)
			die_sys(EXIT_TEMP, "unable to read a log file");
		if (r)
			return 1;
		if (f != s->sf && f != s->ef)
			src_drop_gz(s, f);	/* passed: not needed again */
	}
	return 0;
}

/* -n from the end: whole lines that match, counted backwards. */
struct backcount {
	struct src		*s;
	const struct opts	*o;
	long long		 need, cnt;
	int			 open;	/* pieces seen, their head not yet */
	int			 om;	/* one of them matched */
	int			 at_f, stamped;
	off_t			 at_off;
};

/*
 * One piece, read backwards, for -n. A piece without a stamp takes the
 * time of a line above it, unknown here: with -s or -u it counts as not
 * matching, so that the walk goes back further, never too little (the
 * forward pass decides).
 */
static int
count_back(void *ctx, char *line, size_t len, off_t at)
{
	struct backcount *c = ctx;
	const struct opts *o = c->o;
	struct timespec ts;
	size_t off;
	int cont, m;

	off = logline_parse(line, len, &ts, &cont);
	if ((o->since_set || o->until_set) && off == 0)
		m = 0;
	else
		m = !(o->since_set && deadline_ts_cmp(&ts, &o->since) < 0) &&
		    !(o->until_set && deadline_ts_cmp(&ts, &o->until) > 0) &&
		    text_match(o, line, len, off);
	if (off > 0 && cont) {
		c->open = 1;
		c->om |= m;
		return 0;
	}
	m |= c->om;
	c->open = c->om = 0;
	if (!m || ++c->cnt < c->need)
		return 0;
	c->at_f = c->s->wf;
	c->at_off = at;
	c->stamped = off > 0;
	return 1;
}

/* Stop at the first stamped line (backwards): its time into ctx. */
static int
carry_back(void *ctx, char *line, size_t len, off_t at)
{
	int cont;

	return logline_parse(line, len, ctx, &cont) > 0;
}

/*
 * -n: move the start of s to the n-th last whole line that matches,
 * reading backwards from the stop (gzip files only when reached). Sets
 * s->count to the whole lines from the start: exact without -s and -u.
 */
static void
src_seek_last(struct src *s, const struct opts *o)
{
	struct backcount c;
	struct timespec ts;
	off_t off;

	memset(&c, 0, sizeof c);
	c.s = s;
	c.o = o;
	c.need = o->n;
	off = s->ef == CUR(s) && s->eoff == s->curend ? -1 : s->eoff;
	if (!src_back(s, o, s->ef, off, count_back, &c)) {
		s->count = c.cnt + (c.open && c.om);
		return;
	}
	s->count = c.cnt;
	/* A line with no stamp there takes the time of one above it. */
	if (!c.stamped && src_back(s, o, c.at_f, c.at_off, carry_back, &ts))
		s->sts = ts;
	s->sf = c.at_f;
	s->soff = c.at_off;
}

/* Where the first stamped line of s at or after t (after t, with after)
 * is: file *f at *off, or the end of current. Files from `from` on; a
 * rotated file whose name says it was closed before that is not opened. */
static void
src_seek(struct src *s, const struct timespec *t, int after, int from,
    int *f, off_t *off)
{
	struct timespec ts;
	off_t end;
	char kind;
	int i, fd, r;

	for (i = from; i <= CUR(s); i++) {
		if (i < s->nfiles && logdir_name_parse(s->files[i]->d_name,
		    &ts, &kind) == 0 && !past(&ts, t, after))
			continue;
		if ((fd = src_plain(s, i, &end)) == -1)
			continue;
		r = logscan_bisect(fd, end, t, after, off);
		if (fd != s->curfd)
			close(fd);
		if (r == -1)
			die_sys(EXIT_TEMP, "unable to read a log file");
		if (r) {
			*f = i;
			return;
		}
	}
	*f = CUR(s);
	*off = s->curend;
}

/* Where s starts and stops: -s and -u by bisection, then -n from the
 * stop backwards. */
static void
src_place(struct src *s, const struct opts *o)
{
	int i;

	s->sf = 0;
	s->soff = 0;
	s->ef = CUR(s);
	s->eoff = s->curend;
	if (o->since_set)
		src_seek(s, &o->since, 0, 0, &s->sf, &s->soff);
	if (o->until_set) {
		src_seek(s, &o->until, 1, s->sf, &s->ef, &s->eoff);
		if (s->ef < s->sf || (s->ef == s->sf && s->eoff < s->soff)) {
			s->ef = s->sf;
			s->eoff = s->soff;
		}
	}
	if (o->n > 0)
		src_seek_last(s, o);
	/* Only the start and the stop need reading anywhere: at most two
	 * decompressed copies stay open. */
	for (i = 0; i < CUR(s); i++)
		if (i != s->sf && i != s->ef)
			src_drop_gz(s, i);
	src_rewind(s);
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

/* Merge order: by time, then by the order of the directories. */
static int
src_less(int a, int b, void *ctx)
{
	const struct src *srcs = ctx;
	int c = deadline_ts_cmp(&srcs[a].ts, &srcs[b].ts);

	return c != 0 ? c < 0 : a < b;
}

/* Print the lines of all sources merged by time (a heap over the ones
 * with a line in hand), all but the first skip whole lines. */
static void
merge(struct src *srcs, int n, const struct opts *o, long long skip)
{
	struct minheap h;
	struct src *best;
	int i;

	if (minheap_init(&h, (size_t)n, src_less, srcs) == -1)
		die_sys(EXIT_TEMP, "unable to allocate memory");
	for (i = 0; i < n; i++)
		if (src_advance(&srcs[i], o))
			(void)minheap_push(&h, i);
	while ((i = minheap_pop(&h)) != -1) {
		best = &srcs[i];
		if (best->head) {
			best->hide = skip > 0;
			if (skip > 0)
				skip--;
		}
		if (!best->hide)
			emit(best, o, best->line, best->len);
		if (src_advance(best, o))
			(void)minheap_push(&h, i);
	}
	minheap_free(&h);
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
	rd_open(&s->rd, fd, 0, -1);
	while (rd_line(&s->rd, &line, &len, 1))
		if (match(s, o, line, len))
			emit(s, o, line, len);
	logread_close(&s->rd, 1);
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
			logread_close(&s->rd, 1);
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
		rd_open(&s->rd, fd, 0, -1);
	}
	fflush(stdout);
}

static void
follow(struct src *srcs, int n, const struct opts *o)
{
	struct pollfd pfd;
	struct watch_buf wb;
	struct inotify_event ev;
	const char *name;
	int i, ifd = -1;

#ifdef IN_CLOEXEC
	if ((ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) != -1)
		for (i = 0; i < n; i++)
			(void)inotify_add_watch(ifd, srcs[i].dir, IN_MODIFY |
			    IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
			    IN_CLOSE_WRITE);
#endif
	for (i = 0; i < n; i++)
		if (srcs[i].curfd != -1 && !srcs[i].atcur) {
			/* current was never reached: start at its end */
			srcs[i].rd.fd = srcs[i].curfd;
			srcs[i].rd.start = srcs[i].rd.end = 0;
			srcs[i].rd.pos = lseek(srcs[i].curfd, 0, SEEK_END);
		}
	watch_buf_init(&wb);
	for (;;) {
		for (i = 0; i < n; i++)
			follow_src(&srcs[i], o);
		pfd.fd = ifd;
		pfd.events = POLLIN;
		if (poll(&pfd, ifd == -1 ? 0 : 1, ifd == -1 ? 200 :
		    FOLLOW_MS) > 0)
			while (watch_next(ifd, &wb, &ev, &name) == 1)
				;	/* what changed: follow_src looks */
	}
}

/* SINCE or UNTIL: a duration back from now, or a time. A time ending in
 * Z is UTC, one without is local; @TAI64N is taken too. */
static void
when(const char *s, struct timespec *ts)
{
	struct tm tm;
	int64_t ms;
	time_t t;
	size_t len = strlen(s);
	int cont;
	char buf[64];

	if (timefmt_duration_parse(s, &ms) == 0) {
		timefmt_now(ts);
		deadline_ts_add_ms(ts, -ms);
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
	int64_t v;
	int c, i, n, e;
	char msg[256];

	diag_init("svtail");
	memset(&o, 0, sizeof o);
	o.n = -1;
	while ((c = getopt(argc, argv, "+n:fs:u:g:rhV")) != -1) {
		switch (c) {
		case 'n':
			if (num_parse(optarg, 0, INT64_MAX, &v) == -1)
				die_x(EXIT_USAGE, "bad number: %s", optarg);
			o.n = v;
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
			free(o.lit);
			if ((o.lit = malloc(strlen(optarg) + 1)) == NULL)
				die_sys(EXIT_TEMP, "unable to allocate memory");
			o.fixed = NULL;
			if (logscan_fixed(optarg)) {
				o.fixed = optarg;
				o.fixedlen = strlen(optarg);
			}
			if ((o.litlen = logscan_must(optarg, o.lit)) == 0) {
				free(o.lit);
				o.lit = NULL;
			}
			break;
		case 'r':
			o.raw = 1;
			break;
		case 'V':
			diag_version("svtail");
		case 'h':
			diag_help(USAGE);
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
	/* Each source placed at its start (-s, then -n from the end); with -s
	 * or -u a first pass counts the whole lines from there exactly. */
	total = 0;
	for (i = 0; i < n; i++) {
		src_place(&srcs[i], &o);
		if (o.n > 0 && (o.since_set || o.until_set)) {
			srcs[i].count = 0;
			while (src_advance(&srcs[i], &o))
				srcs[i].count += srcs[i].head;
			src_rewind(&srcs[i]);
		}
		total += srcs[i].count;
	}
	skip = o.n >= 0 && total > o.n ? total - o.n : 0;
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
	free(o.lit);
	return 0;
}
