/* logread: whole lines of a log file, forward, in large blocks, through
 * gzip -dc when the file is gzip data. Owns the gzip child it starts. */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fdutil.h"
#include "logread.h"
#include "logscan.h"
#include "spawn.h"

/* A reader with a buffer of cap bytes (at least 2), holding no file. */
int
logread_init(struct logread *r, size_t cap)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->cap = cap > 2 ? cap : 2;
	return (r->buf = malloc(r->cap)) == NULL ? -1 : 0;
}

void
logread_free(struct logread *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* More bytes into the buffer (growing it when a line fills it): 1, 0 at
 * the end (or the limit), -1 with errno. */
static int
fill(struct logread *r)
{
	ssize_t n;
	size_t want;
	char *nb;

	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end + 1 >= r->cap) {
		if ((nb = realloc(r->buf, r->cap * 2)) == NULL)
			return -1;
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
	if ((n = fd_read(r->fd, r->buf + r->end, want)) == -1)
		return -1;
	r->end += (size_t)n;
	return n > 0;
}

/* Take n bytes off the front of what r holds. */
static void
skip(struct logread *r, size_t n)
{
	r->start += n;
	r->pos += (off_t)n;
}

/* The unterminated rest as the last line, when partial is set: 1 with
 * it NUL-terminated, else 0. */
static int
rest(struct logread *r, char **line, size_t *len, int partial)
{
	if (!partial || r->end == r->start)
		return 0;
	*line = r->buf + r->start;
	*len = r->end - r->start;
	(*line)[*len] = '\0';
	skip(r, *len);
	return 1;
}

/* The next line, without its newline, NUL put after it: 1 if one, 0 if
 * none (yet), -1 with errno. With partial set, an unterminated last piece
 * counts as a line. */
int
logread_line(struct logread *r, char **line, size_t *len, int partial)
{
	char *nl;
	int n;

	for (;;) {
		nl = memchr(r->buf + r->start, '\n', r->end - r->start);
		if (nl != NULL) {
			*line = r->buf + r->start;
			*len = (size_t)(nl - *line);
			*nl = '\0';
			skip(r, *len + 1);
			return 1;
		}
		if ((n = fill(r)) == -1)
			return -1;
		if (n == 0)
			return rest(r, line, len, partial);
	}
}

/* Pass what r holds up to p; with ts, the stamp of the last stamped line
 * there becomes *ts (as if every line had been read). */
static void
pass(struct logread *r, const char *p, struct timespec *ts)
{
	size_t n = (size_t)(p - (r->buf + r->start));

	if (ts != NULL && n > 0)
		(void)logscan_last_stamp(r->buf + r->start, n, ts);
	skip(r, n);
}

/*
 * logread_line for lines that hold lit[0..litlen) and pass test(ctx,
 * line, len): memmem finds the candidates over the whole buffer; the
 * lines between are not parsed. With ts set, the lines passed over still
 * give their stamps' time to *ts.
 */
int
logread_grep(struct logread *r, const char *lit, size_t litlen,
    logread_test test, void *ctx, char **line, size_t *len, int partial,
    struct timespec *ts)
{
	char *b, *m, *ls, *nl;
	size_t n;
	int f;

	for (;;) {
		b = r->buf + r->start;
		n = r->end - r->start;
		if ((m = memmem(b, n, lit, litlen)) != NULL) {
			ls = memrchr(b, '\n', (size_t)(m - b));
			pass(r, ls != NULL ? ls + 1 : b, ts);
			nl = memchr(r->buf + r->start, '\n', r->end - r->start);
			if (nl == NULL && (f = fill(r)) != 0) {
				if (f == -1)
					return -1;
				continue;
			}
			if (nl == NULL && !partial)
				return 0;
			*line = r->buf + r->start;
			if (nl == NULL)
				nl = r->buf + r->end;
			*len = (size_t)(nl - *line);
			skip(r, *len + (nl < r->buf + r->end));
			*nl = '\0';
			if (test(ctx, *line, *len))
				return 1;
			if (ts != NULL)
				(void)logscan_last_stamp(*line, *len, ts);
			continue;
		}
		/* None here: keep only an unfinished last line. */
		if ((nl = memrchr(b, '\n', n)) != NULL)
			pass(r, nl + 1, ts);
		if ((f = fill(r)) == -1)
			return -1;
		if (f == 0)
			break;
	}
	if (!rest(r, line, len, partial))
		return 0;
	if (test(ctx, *line, *len))
		return 1;
	if (ts != NULL)
		(void)logscan_last_stamp(*line, *len, ts);
	return 0;
}

/* Does fd begin with gzip's magic? */
int
logread_is_gzip(int fd)
{
	unsigned char magic[2];

	return pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f &&
	    magic[1] == 0x8b;
}

/* Start gzip -dc from in (from its start) to out: its pid, or -1. */
pid_t
logread_gunzip(int in, int out)
{
	char *argv[] = { "gzip", "-dc", NULL };
	struct spawn sp;

	if (lseek(in, 0, SEEK_SET) == -1)
		return -1;
	spawn_init(&sp, "gzip", argv);
	sp.usepath = 1;
	sp.fd[0] = in;
	sp.fd[1] = out;
	return spawn_run(&sp);
}

/* Read fd (which r now owns) from off up to limit (-1: its end); gzip
 * data all of it, through gzip -dc. 0, or -1 with errno. */
int
logread_open(struct logread *r, int fd, off_t off, off_t limit)
{
	int p[2], e;

	r->fd = fd;
	r->pid = 0;
	r->pos = off;
	r->limit = limit;
	r->start = r->end = 0;
	if (!logread_is_gzip(fd))
		return lseek(fd, off, SEEK_SET) == -1 ? -1 : 0;
	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((r->pid = logread_gunzip(fd, p[1])) == -1) {
		e = errno;
		close(p[0]);
		close(p[1]);
		r->pid = 0;
		errno = e;
		return -1;
	}
	close(p[1]);
	close(fd);
	r->fd = p[0];
	r->pos = 0;
	r->limit = -1;
	return 0;
}

/* Done with the file: close it (with closefd), reap gzip. */
void
logread_close(struct logread *r, int closefd)
{
	if (closefd && r->fd != -1)
		close(r->fd);
	if (r->pid > 0)
		(void)spawn_wait(r->pid, NULL);
	r->fd = -1;
	r->pid = 0;
	r->start = r->end = 0;
}
