/* history: format, append with bounded rotation, and parse event records. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "history.h"
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

/* Prepare to append to dir/history, rotated past bound bytes. */
int
history_open(struct history *h, const char *dir, off_t bound)
{
	struct stat sb;
	int k;

	k = snprintf(h->path, sizeof h->path, "%s/history", dir);
	if (k < 0 || (size_t)k >= sizeof h->path - 2) {
		errno = ENAMETOOLONG;
		return -1;
	}
	h->bound = bound > 0 ? bound : HISTORY_BOUND;
	h->size = 0;
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
	int64_t s = 0, frac = 0;
	int fd = 0;

	if (v == NULL)
		return 1;
	for (p = v; *p >= '0' && *p <= '9'; p++) {
		if (s > (int64_t)r->ts.tv_sec)
			goto bad;
		s = s * 10 + (*p - '0');
	}
	if (p == v)
		goto bad;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9' && fd < 3; p++, fd++)
			frac = frac * 10 + (*p - '0');
		if (fd == 0)
			goto bad;
		for (; fd < 3; fd++)
			frac *= 10;
	}
	if (*p != '\0' || s > (int64_t)r->ts.tv_sec)
		goto bad;
	*ms = s * 1000 + frac;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}
