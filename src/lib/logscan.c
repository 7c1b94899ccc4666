/* logscan: svtail's fast paths over log files: lines read backwards,
 * bisection on the stamps, fixed-string patterns. Owns no file. */
#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logline.h"
#include "logscan.h"

/* pread all n bytes at off: 0, or -1 with errno (EIO if the file is
 * shorter than it was). */
static int
pread_all(int fd, char *buf, size_t n, off_t off)
{
	ssize_t r;

	while (n > 0) {
		if ((r = pread(fd, buf, n, off)) == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0) {
			errno = EIO;
			return -1;
		}
		buf += r;
		n -= (size_t)r;
		off += r;
	}
	return 0;
}

/*
 * Call fn on each line of fd in [lo, end) (lo where a line begins), the
 * last first, until fn returns nonzero: then 1; 0 when lo is reached, -1
 * with errno on failure. An unterminated last line counts when partial is
 * set, else it is left out (a line still being written).
 */
int
logscan_back(struct logscan_back *b, int fd, off_t lo, off_t end,
    int partial, logscan_fn fn, void *ctx)
{
	off_t bstart = end, cur = end, nl;
	size_t blk = LOGSCAN_BLK, want, keep;
	char *p, *nb;
	int first = 1;

	if (end <= lo)
		return 0;
	for (;;) {
		/* nl: the last '\n' before cur; b holds [nl + 1, cur) */
		for (;;) {
			p = cur > bstart ? memrchr(b->buf, '\n',
			    (size_t)(cur - bstart)) : NULL;
			if (p != NULL) {
				nl = bstart + (p - b->buf);
				break;
			}
			if (bstart <= lo) {
				nl = lo - 1;
				break;
			}
			want = blk;
			if ((off_t)want > bstart - lo)
				want = (size_t)(bstart - lo);
			keep = (size_t)(cur - bstart);
			if (keep + want + 1 > b->cap) {
				if ((nb = realloc(b->buf, keep + want + 1)) ==
				    NULL)
					return -1;
				b->buf = nb;
				b->cap = keep + want + 1;
			}
			memmove(b->buf + want, b->buf, keep);
			if (pread_all(fd, b->buf, want, bstart - (off_t)want)
			    == -1)
				return -1;
			bstart -= (off_t)want;
			if (blk < LOGSCAN_BLKMAX)
				blk *= 2;
		}
		if (first) {
			first = 0;
			if (nl == end - 1 || !partial) {
				/* terminated, or left out */
				if ((cur = nl) < lo)
					return 0;
				continue;
			}
		}
		p = b->buf + (nl + 1 - bstart);
		p[cur - (nl + 1)] = '\0';
		if (fn(ctx, p, (size_t)(cur - (nl + 1)), nl + 1))
			return 1;
		if ((cur = nl) < lo)
			return 0;
	}
}

void
logscan_back_free(struct logscan_back *b)
{
	free(b->buf);
	b->buf = NULL;
	b->cap = 0;
}

/* A window on a file for bisection: a few bytes anywhere, read once. */
struct win {
	int	 fd;
	off_t	 end;		/* the file's size */
	off_t	 off;		/* buf holds [off, off + len) */
	size_t	 len;
	size_t	 blk;		/* how much one read takes */
	char	 buf[LOGSCAN_BISECT];
};

/* The bytes at pos the window holds (read there if it holds fewer than
 * want), *n of them (0 at the end); NULL with errno on failure. */
static const char *
win_at(struct win *w, off_t pos, size_t want, size_t *n)
{
	size_t blk = w->blk;
	ssize_t r;

	if (pos < w->off || pos + (off_t)want > w->off + (off_t)w->len) {
		if ((off_t)blk > w->end - pos)
			blk = pos < w->end ? (size_t)(w->end - pos) : 0;
		while ((r = pread(w->fd, w->buf, blk, pos)) == -1 &&
		    errno == EINTR)
			;
		if (r == -1)
			return NULL;
		w->off = pos;
		w->len = (size_t)r;
	}
	*n = (size_t)(w->off + (off_t)w->len - pos);
	return w->buf + (pos - w->off);
}

/* The offset of the first '\n' at or after pos, the end if none; -1 with
 * errno on failure. */
static off_t
next_nl(struct win *w, off_t pos)
{
	const char *p, *nl;
	size_t n;

	while (pos < w->end) {
		if ((p = win_at(w, pos, 1, &n)) == NULL)
			return -1;
		if (n == 0)
			break;	/* shorter than it was */
		if ((nl = memchr(p, '\n', n)) != NULL)
			return pos + (nl - p);
		pos += (off_t)n;
	}
	return w->end;
}

/* The first line that begins at or after pos and before limit, and that
 * carries a stamp: 1 with its offset in *at, the next line's in *next,
 * its time in *ts; 0 if none; -1 with errno. */
static int
probe(struct win *w, off_t pos, off_t limit, off_t *at, off_t *next,
    struct timespec *ts)
{
	const char *p, *nl;
	off_t q, e;
	size_t n;
	int cont;

	q = 0;
	if (pos > 0 && (q = next_nl(w, pos - 1)) == -1)
		return -1;
	if (pos > 0)
		q++;
	while (q < limit && q < w->end) {
		if ((p = win_at(w, q, LOGLINE_STAMPMAX, &n)) == NULL)
			return -1;
		if ((nl = memchr(p, '\n', n)) != NULL)
			n = (size_t)(nl - p);
		if ((e = next_nl(w, q)) == -1)
			return -1;
		if (logline_parse(p, n, ts, &cont) > 0) {
			*at = q;
			*next = e < w->end ? e + 1 : w->end;
			return 1;
		}
		q = e + 1;
	}
	return 0;
}

static int
past(const struct timespec *ts, const struct timespec *t, int after)
{
	if (ts->tv_sec != t->tv_sec)
		return ts->tv_sec > t->tv_sec;
	return after ? ts->tv_nsec > t->tv_nsec : ts->tv_nsec >= t->tv_nsec;
}

/*
 * The first stamped line of fd [0, end) at or after t (after t, with
 * after set): bisection on the stamps while more than LOGSCAN_BISECT
 * bytes are left, then line by line. 1 with its offset in *at, 0 if there
 * is none, -1 with errno.
 */
int
logscan_bisect(int fd, off_t end, const struct timespec *t, int after,
    off_t *at)
{
	struct timespec ts;
	struct win *w;
	off_t lo = 0, hi = end, mid, p, next;
	int r, e;

	if ((w = malloc(sizeof *w)) == NULL)
		return -1;
	w->fd = fd;
	w->end = end;
	w->off = 0;
	w->len = 0;
	w->blk = 4096;
	while (hi - lo > LOGSCAN_BISECT) {
		mid = lo + (hi - lo) / 2;
		if ((r = probe(w, mid, hi, &p, &next, &ts)) == -1)
			goto out;
		if (r == 0)
			break;	/* none in [mid, hi): read [lo, hi) */
		if (past(&ts, t, after))
			hi = p;
		else
			lo = next;
	}
	w->blk = sizeof w->buf;
	while ((r = probe(w, lo, end, &p, &next, &ts)) == 1) {
		if (past(&ts, t, after)) {
			*at = p;
			break;
		}
		lo = next;
	}
out:
	e = errno;
	free(w);
	errno = e;
	return r;
}

/* The time of the last line of buf[0..len) that carries a stamp (lines
 * end with '\n'; the last one may be unterminated). 1 with *ts set, 0 if
 * no line does. */
int
logscan_last_stamp(const char *buf, size_t len, struct timespec *ts)
{
	const char *p;
	size_t end = len, start;
	int cont;

	if (end > 0 && buf[end - 1] == '\n')
		end--;
	for (;;) {
		p = memrchr(buf, '\n', end);
		start = p != NULL ? (size_t)(p - buf) + 1 : 0;
		if (logline_parse(buf + start, end - start, ts, &cont) > 0)
			return 1;
		if (p == NULL)
			return 0;
		end = start - 1;
	}
}

/* Does the extended regular expression pat match exactly the strings that
 * hold it as it is: not empty, no special character, no newline? */
int
logscan_fixed(const char *pat)
{
	if (pat[0] == '\0')
		return 0;
	return strpbrk(pat, ".[]()*+?{}|^$\\\n") == NULL;
}

/* End a run of literal characters at out[*run..*i): keep the longest in
 * *best (its start) and *bestlen. */
static void
run_end(size_t start, size_t len, size_t *best, size_t *bestlen)
{
	if (len > *bestlen) {
		*best = start;
		*bestlen = len;
	}
}

/*
 * The longest string that every match of the extended regular expression
 * pat must hold, copied into out (strlen(pat) + 1 bytes); its length, 0
 * if none is known. Conservative: only plain characters at the top level
 * before any group, none when pat has a '|' anywhere; a character under
 * '*', '?' or '{' is optional, '+' keeps it but ends the run.
 */
size_t
logscan_must(const char *pat, char *out)
{
	size_t i, j, n = 0, start = 0, best = 0, bestlen = 0;

	out[0] = '\0';
	if (strchr(pat, '|') != NULL)
		return 0;
	for (i = 0; pat[i] != '\0'; i++) {
		switch (pat[i]) {
		case '*':
		case '?':
		case '{':
			if (n > start)
				n--;	/* the atom before is optional */
			run_end(start, n - start, &best, &bestlen);
			if (pat[i] == '{')
				while (pat[i + 1] != '\0' && pat[i] != '}')
					i++;
			start = n;
			break;
		case '[':
			run_end(start, n - start, &best, &bestlen);
			start = n;
			j = i + 1;
			if (pat[j] == '^')
				j++;
			if (pat[j] == ']')
				j++;
			for (; pat[j] != '\0' && pat[j] != ']'; j++)
				if (pat[j] == '[' && (pat[j + 1] == ':' ||
				    pat[j + 1] == '=' || pat[j + 1] == '.')) {
					char c = pat[j + 1];

					for (j += 2; pat[j] != '\0' &&
					    !(pat[j] == c && pat[j + 1] == ']');
					    j++)
						;
					if (pat[j] != '\0')
						j++;
				}
			if (pat[j] == '\0')
				goto out;
			i = j;
			break;
		case '(':
		case '\\':
			goto out;
		case '+':
		case '.':
		case '^':
		case '$':
			run_end(start, n - start, &best, &bestlen);
			start = n;
			break;
		default:
			out[n++] = pat[i];
			break;
		}
	}
out:
	run_end(start, n - start, &best, &bestlen);
	memmove(out, out + best, bestlen);
	out[bestlen] = '\0';
	return bestlen;
}

/* Does the text of line[0..len) (after its stamp, before any NUL byte)
 * hold pat[0..patlen)? */
int
logscan_text_has(const char *line, size_t len, const char *pat,
    size_t patlen)
{
	struct timespec ts;
	const char *nul;
	size_t off;
	int cont;

	off = logline_parse(line, len, &ts, &cont);
	line += off;
	len -= off;
	if ((nul = memchr(line, '\0', len)) != NULL)
		len = (size_t)(nul - line);
	return memmem(line, len, pat, patlen) != NULL;
}
