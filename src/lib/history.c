/* history: format, append with bounded rotation, and parse event records. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "num.h"
#include "path.h"
#include "history.h"
#include "svconf.h"
#include "timefmt.h"

/* "STAMP EVENT KV\n" into buf; kv may be NULL or "". Returns the length
 * (0 if it did not fit). */
size_t
history_format(char *buf, size_t len, const struct timespec *ts,
    const char *event, const char *kv)
{
	size_t n, el, kl;

	el = strlen(event);
	kl = kv != NULL ? strlen(kv) : 0;
	if (ISO_LEN + 1 + el + (kl ? 1 + kl : 0) + 1 > len)
		return 0;
	n = timefmt_iso(buf, ts);
	buf[n++] = ' ';
	memcpy(buf + n, event, el);
	n += el;
	if (kl) {
		buf[n++] = ' ';
		memcpy(buf + n, kv, kl);
		n += kl;
	}
	buf[n++] = '\n';
	return n;
}

/* Append "STAMP EVENT KV" to h, now, kv formatted from fmt (NULL: none).
 * A record too long to format is dropped (0). */
int
history_vrecord(struct history *h, const char *event, const char *fmt,
    va_list ap)
{
	int r = history_vqueue(h, event, fmt, ap);

	return history_flush(h) == -1 ? -1 : r;
}

/* Queue "STAMP EVENT KV" for h, stamped now: history_flush appends what
 * is queued in one write, so that a caller can act first and write its
 * records after. A full queue is flushed first; -1 if that failed (the
 * record is queued all the same, the oldest ones dropped). */
int
history_vqueue(struct history *h, const char *event, const char *fmt,
    va_list ap)
{
	char kv[256], line[HISTORY_MAX_LINE];
	struct timespec ts;
	size_t n;
	int r = 0;

	kv[0] = '\0';
	if (fmt != NULL)
		vsnprintf(kv, sizeof kv, fmt, ap);
	timefmt_now(&ts);
	if ((n = history_format(line, sizeof line, &ts, event, kv)) == 0)
		return 0;
	if (h->npend + n > sizeof h->pend && (r = history_flush(h)) == -1)
		h->npend = 0;
	memcpy(h->pend + h->npend, line, n);
	h->npend += n;
	return r;
}

/* Append what history_vqueue queued. The queue is emptied either way: a
 * failure is the caller's to report, once. */
int
history_flush(struct history *h)
{
	int r;

	if (h->npend == 0)
		return 0;
	r = history_append(h, h->pend, h->npend);
	h->npend = 0;
	return r;
}

/* The fields of a run's end: "pid=P code=C runtime=S.MMM", or signal=NAME
 * (its number if unnamed), or status=unknown when st is -1 (a run not our
 * child). The length, as snprintf's. */
int
history_end_kv(char *buf, size_t len, pid_t pid, int st, int64_t runtime)
{
	char how[32];
	const char *sn;

	if (st == -1)
		snprintf(how, sizeof how, "status=unknown");
	else if (WIFSIGNALED(st) && (sn = svconf_signal_name(WTERMSIG(st))) !=
	    NULL)
		snprintf(how, sizeof how, "signal=%s", sn);
	else if (WIFSIGNALED(st))
		snprintf(how, sizeof how, "signal=%d", WTERMSIG(st));
	else
		snprintf(how, sizeof how, "code=%d", WEXITSTATUS(st));
	return snprintf(buf, len, "pid=%d %s runtime=%lld.%03lld", (int)pid,
	    how, (long long)(runtime / 1000), (long long)(runtime % 1000));
}

/* Prepare to append to dir/history, rotated past bound bytes. */
int
history_open(struct history *h, const char *dir, off_t bound)
{
	struct stat sb;

	/* Room for ".1" after it, in history_append. */
	if (path_join(h->path, sizeof h->path - 2, dir, "history") == -1)
		return -1;
	h->bound = bound > 0 ? bound : HISTORY_BOUND;
	h->size = 0;
	h->npend = 0;
	if ((h->fd = fd_open_append(h->path, 0644)) == -1)
		return -1;
	if (fstat(h->fd, &sb) == 0)
		h->size = sb.st_size;
	return 0;
}

/* Append one formatted record, rotating first if it would pass the bound.
 * A failed rotation keeps appending: losing history is worse than a file
 * somewhat past its bound. */
int
history_append(struct history *h, const char *line, size_t len)
{
	char old[sizeof h->path + 2];
	int fd;

	if (h->fd == -1 && (h->fd = fd_open_append(h->path, 0644)) == -1)
		return -1;
	if (h->size > 0 && h->size + (off_t)len > h->bound) {
		snprintf(old, sizeof old, "%s.1", h->path);
		if (rename(h->path, old) == 0 &&
		    (fd = fd_open_append(h->path, 0644)) != -1) {
			close(h->fd);
			h->fd = fd;
			h->size = 0;
		}
	}
	if (fd_write_all(h->fd, line, len) == -1)
		return -1;
	h->size += (off_t)len;
	return 0;
}

void
history_close(struct history *h)
{
	if (h->fd != -1)
		close(h->fd);
	h->fd = -1;
}

/* Parse one record (with or without its newline). 0, or -1 (EINVAL). */
int
history_parse(const char *s, size_t len, struct history_rec *r)
{
	size_t i, j, k;
	int nf;

	memset(r, 0, sizeof *r);
	if (len > 0 && s[len - 1] == '\n')
		len--;
	/* A NUL is no part of a record (a crash can leave a block of them
	 * where a record was to go), nor is a newline inside one. */
	if (memchr(s, '\0', len) != NULL || memchr(s, '\n', len) != NULL)
		goto bad;
	/* Exactly the stamp history_format writes, and no time before 1970
	 * (no supervise ever wrote one). */
	if (len < ISO_LEN + 2 || s[ISO_LEN] != ' ' || s[10] != 'T' ||
	    s[19] != '.' || s[ISO_LEN - 1] != 'Z' ||
	    timefmt_iso_parse(s, ISO_LEN, &r->ts) == -1 || r->ts.tv_sec < 0)
		goto bad;
	for (i = ISO_LEN + 1, j = i; j < len && s[j] != ' '; j++)
		;
	if (j == i || j - i >= sizeof r->event)
		goto bad;
	memcpy(r->event, s + i, j - i);
	for (nf = 0; j < len && nf < HISTORY_MAX_FIELDS; nf++) {
		for (i = j + 1; i < len && s[i] == ' '; i++)
			;
		for (k = i; k < len && s[k] != '='; k++)
			if (s[k] == ' ')
				goto bad;
		if (k == len || k == i || k - i >= sizeof r->field[nf].key)
			goto bad;
		memcpy(r->field[nf].key, s + i, k - i);
		for (j = ++k; j < len && s[j] != ' '; j++)
			;
		if (j - k >= sizeof r->field[nf].val)
			goto bad;
		memcpy(r->field[nf].val, s + k, j - k);
		r->nfields = nf + 1;
	}
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* The value of key in r, or NULL. */
const char *
history_get(const struct history_rec *r, const char *key)
{
	int i;

	for (i = 0; i < r->nfields; i++)
		if (strcmp(r->field[i].key, key) == 0)
			return r->field[i].val;
	return NULL;
}

/* Feed each whole line of the file at path to fn; lines past
 * HISTORY_MAX_LINE are skipped. */
static int
read_file(const char *path, int (*fn)(void *, const char *, size_t),
    void *arg)
{
	char buf[4 * HISTORY_MAX_LINE];
	size_t have = 0, i, s;
	ssize_t r;
	int fd, skip = 0;

	if ((fd = fd_open_read(path)) == -1)
		return -1;
	for (;;) {
		if ((r = fd_read(fd, buf + have, sizeof buf - have)) == -1) {
			fd_close(fd);
			return -1;
		}
		if (r == 0)
			break;
		have += (size_t)r;
		for (s = i = 0; i < have; i++) {
			if (buf[i] != '\n')
				continue;
			if (!skip && fn(arg, buf + s, i - s) == -1) {
				fd_close(fd);
				return -1;
			}
			skip = 0;
			s = i + 1;
		}
		memmove(buf, buf + s, have - s);
		have -= s;
		if (have > HISTORY_MAX_LINE) {
			/* Longer than any record: drop it up to its end. */
			have = 0;
			skip = 1;
		}
	}
	fd_close(fd);
	return 0;
}

/* Feed every line of sdir/history.1, then of sdir/history, oldest first,
 * to fn (which returns 0, or -1 to stop). A missing file holds nothing. */
int
history_read(const char *sdir, int (*fn)(void *, const char *, size_t),
    void *arg)
{
	static const char *names[] = { "history.1", "history" };
	char path[4096];
	size_t i;

	for (i = 0; i < 2; i++) {
		if (path_join(path, sizeof path, sdir, names[i]) == -1)
			return -1;
		if (read_file(path, fn, arg) == -1 && errno != ENOENT)
			return -1;
	}
	return 0;
}

/* Count restarts at or after since: a start that follows an exit of the
 * service, with no up or once command in between (those start it anew). */
void
history_restarts_init(struct history_restarts *hr, const struct timespec
    *since)
{
	memset(hr, 0, sizeof *hr);
	hr->since = *since;
}

/* Take one record, in the order of the history. */
void
history_restarts_add(struct history_restarts *hr, const struct history_rec
    *r)
{
	if (strcmp(r->event, "exit") == 0)
		hr->exited = 1;
	else if (strcmp(r->event, "up") == 0 || strcmp(r->event, "once") == 0)
		hr->exited = 0;
	else if (strcmp(r->event, "start") == 0) {
		if (hr->exited && (r->ts.tv_sec > hr->since.tv_sec ||
		    (r->ts.tv_sec == hr->since.tv_sec &&
		    r->ts.tv_nsec >= hr->since.tv_nsec)))
			hr->n++;
		hr->exited = 0;
	}
}

/*
 * The runtime=S.mmm field of r in milliseconds: 0, 1 when r has none, -1
 * (EINVAL) when it is no runtime a supervise writes: not digits with an
 * optional fraction of 1 to 3 digits (so never negative, NaN or
 * infinite), or longer than the time from 1970 to the record.
 */
int
history_runtime(const struct history_rec *r, int64_t *ms)
{
	const char *v = history_get(r, "runtime"), *p;
	uint64_t s, frac = 0;
	size_t used, fd;

	if (v == NULL)
		return 1;
	if (r->ts.tv_sec < 0 ||
	    num_scan(v, strlen(v), (uint64_t)r->ts.tv_sec, &s, &used) == -1)
		goto bad;
	p = v + used;
	if (*p == '.') {
		p++;
		if (num_scan(p, 3, 999, &frac, &fd) == -1)
			goto bad;
		for (p += fd; fd < 3; fd++)
			frac *= 10;
	}
	if (*p != '\0')
		goto bad;
	*ms = (int64_t)(s * 1000 + frac);
	return 0;
bad:
	errno = EINVAL;
	return -1;
}
