/* sbuf: a bounded output buffer that grows by doubling up to its bound,
 * with JSON-string and HTML escaping. Owns no file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

/* An empty buffer that will hold at most max bytes. */
void
sbuf_init(struct sbuf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

/* A buffer over the caller's storage of len bytes: it never grows. */
void
sbuf_wrap(struct sbuf *b, char *p, size_t len)
{
	memset(b, 0, sizeof *b);
	b->p = p;
	b->cap = b->max = len;
	b->fixed = 1;
}

void
sbuf_free(struct sbuf *b)
{
	if (!b->fixed)
		free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

/* Empty again, keeping the storage. */
void
sbuf_reset(struct sbuf *b)
{
	b->len = 0;
	b->err = 0;
}

/* Room for n more bytes (and a NUL after them), or -1 and b->err set. */
static int
room(struct sbuf *b, size_t n)
{
	size_t want, cap;
	char *p;

	if (b->err != 0)
		return -1;
	if (n > b->max || b->len + 1 > b->max - n) {
		b->err = ENOBUFS;
		return -1;
	}
	want = b->len + n + 1;
	if (want <= b->cap)
		return 0;
	if (b->fixed) {
		b->err = ENOBUFS;
		return -1;
	}
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap = cap > b->max / 2 ? b->max : cap * 2;
	if ((p = realloc(b->p, cap)) == NULL) {
		b->err = ENOMEM;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Append n bytes of s. 0, or -1 once the buffer has failed. */
int
sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (room(b, n) == -1)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int
sbuf_puts(struct sbuf *b, const char *s)
{
	return sbuf_add(b, s, strlen(s));
}

int
sbuf_putc(struct sbuf *b, int c)
{
	char ch = (char)c;

	return sbuf_add(b, &ch, 1);
}

/* Append printf-style; a result that does not fit fails the buffer. */
int
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0) {
		if (b->err == 0)
			b->err = EINVAL;
		return -1;
	}
	if (room(b, (size_t)k) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)k + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)k;
	return 0;
}

/* s[0..n) as a JSON string in quotes: quote, backslash and control bytes
 * escaped, every other byte (UTF-8 or not) as it is. */
int
sbuf_json_str(struct sbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	sbuf_putc(b, '"');
	for (i = 0; i < n; i++) {
		if (p[i] == '"' || p[i] == '\\')
			sbuf_printf(b, "\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			sbuf_printf(b, "\\u%04x", p[i]);
		else
			sbuf_putc(b, p[i]);
	}
	return sbuf_putc(b, '"');
}

/* s[0..n) as HTML text or attribute value: & < > " ' as entities, control
 * bytes other than tab and newline as '?'. */
int
sbuf_html(struct sbuf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (p[i]) {
		case '&':
			sbuf_puts(b, "&amp;");
			break;
		case '<':
			sbuf_puts(b, "&lt;");
			break;
		case '>':
			sbuf_puts(b, "&gt;");
			break;
		case '"':
			sbuf_puts(b, "&quot;");
			break;
		case '\'':
			sbuf_puts(b, "&#39;");
			break;
		default:
			if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n') ||
			    p[i] == 0x7f)
				sbuf_putc(b, '?');
			else
				sbuf_putc(b, p[i]);
		}
	}
	return b->err != 0 ? -1 : 0;
}
