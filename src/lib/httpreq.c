/* httpreq: parse an HTTP/1.x request head out of a buffer, strictly
 * (RFC 9112 without its leniencies but one: bare LF line ends), without
 * I/O or allocation. Every call starts afresh on the bytes given, so a
 * caller calls again as more arrive; errors show as soon as the bytes
 * that make them are in. Owns no file. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "httpreq.h"
#include "num.h"

/* A token byte (RFC 9110 tchar). */
static int
tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The next line of buf[*pos..lim): its start and length without CR LF,
 * and *pos moved past it. 1 if whole, 0 if its end is not in yet, or an
 * HTTP status: a CR not followed by LF, or a control byte (tab aside). */
static int
nextline(const char *buf, size_t *pos, size_t lim, size_t *ls, size_t *ll)
{
	const unsigned char *p = (const unsigned char *)buf;
	size_t i;

	for (i = *pos; i < lim; i++) {
		if (p[i] == '\n')
			break;
		if (p[i] == '\r') {
			if (i + 1 < lim && p[i + 1] != '\n')
				return 400;
			continue;
		}
		if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f)
			return 400;
	}
	if (i == lim)
		return 0;
	*ls = *pos;
	*ll = i - *pos;
	if (*ll > 0 && p[i - 1] == '\r')
		(*ll)--;
	*pos = i + 1;
	return 1;
}

/* The request target's path, percent-decoded into r->path. */
static int
parse_path(const char *s, size_t n, struct httpreq *r)
{
	size_t i, o = 0, seg;
	int hi, lo;
	unsigned char c;

	if (n == 0 || s[0] != '/')
		return 400;	/* only origin-form: no "*", no "http://" */
	for (i = 0; i < n && s[i] != '?'; i++) {
		c = (unsigned char)s[i];
		if (c == '#' || c <= 0x20 || c >= 0x7f)
			return 400;
		if (c == '%') {
			if (i + 2 >= n || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return 400;
			c = (unsigned char)(hi * 16 + lo);
			/* An encoded slash or control byte names nothing. */
			if (c == '/' || c < 0x20 || c == 0x7f)
				return 400;
			i += 2;
		}
		if (o + 1 >= sizeof r->path)
			return 414;
		r->path[o++] = (char)c;
	}
	r->path[o] = '\0';
	/* No "." or ".." segment, however it was spelt. */
	for (seg = 1, i = 1; i <= o; i++) {
		if (i < o && r->path[i] != '/')
			continue;
		if ((i - seg == 1 && r->path[seg] == '.') ||
		    (i - seg == 2 && r->path[seg] == '.' &&
		    r->path[seg + 1] == '.'))
			return 400;
		seg = i + 1;
	}
	return 0;
}

/* The request line: METHOD SP target SP HTTP/1.x */
static int
parse_reqline(const char *s, size_t n, struct httpreq *r)
{
	static const struct {
		const char	*name;
		int		 method;
	} methods[] = {
		{ "GET", HTTPREQ_GET }, { "HEAD", HTTPREQ_HEAD },
		{ "POST", HTTPREQ_POST }
	};
	size_t i, m, t, te;
	const char *v;

	for (m = 0; m < n && tchar((unsigned char)s[m]); m++)
		;
	if (m == 0 || m == n || s[m] != ' ')
		return 400;
	r->method = HTTPREQ_OTHER;
	for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
		if (strlen(methods[i].name) == m &&
		    memcmp(s, methods[i].name, m) == 0)
			r->method = methods[i].method;
	for (t = te = m + 1; te < n && s[te] != ' '; te++)
		;
	if (te == n || te - t == 0)
		return 400;	/* HTTP/0.9 (no version) included */
	if (n - te - 1 != 8)
		return 400;
	v = s + te + 1;
	if (memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' ||
	    v[6] != '.' || v[7] < '0' || v[7] > '9')
		return 400;
	if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
		return 505;
	r->minor = v[7] - '0';
	return parse_path(s + t, te - t, r);
}

/* Does the comma-separated list v[0..n) hold the token tok? */
static int
has_token(const char *v, size_t n, const char *tok)
{
	size_t i = 0, j, k, tl = strlen(tok);

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		for (j = i; j < n && v[j] != ','; j++)
			;
		for (k = j; k > i && (v[k - 1] == ' ' || v[k - 1] == '\t');
		    k--)
			;
		if (k - i == tl && strncasecmp(v + i, tok, tl) == 0)
			return 1;
		i = j;
	}
	return 0;
}

/* Header state across the lines of one head. */
struct seen {
	int	host;
	int	clen;
	int	close;
	int	keepalive;
};

/* One header line "Name: value". */
static int
parse_header(const char *s, size_t n, struct httpreq *r, struct seen *sn)
{
	size_t k, v, e, i;
	uint64_t cl;

	for (k = 0; k < n && tchar((unsigned char)s[k]); k++)
		;
	if (k == 0 || k == n || s[k] != ':')
		return 400;	/* also obs-fold and "Name :" */
	for (v = k + 1; v < n && (s[v] == ' ' || s[v] == '\t'); v++)
		;
	for (e = n; e > v && (s[e - 1] == ' ' || s[e - 1] == '\t'); e--)
		;
	for (i = v; i < e; i++)
		if (s[i] == '\r')
			return 400;
#define IS(name) (k == sizeof(name) - 1 && strncasecmp(s, name, k) == 0)
	if (IS("Host")) {
		if (sn->host++ > 0)
			return 400;
	} else if (IS("Content-Length")) {
		/* Past 9 digits' worth is too large, not malformed. */
		if (num_scan(s + v, e - v, 999999999, &cl, &i) == -1)
			return errno == ERANGE ? 413 : 400;
		if (i != e - v)
			return 400;
		if (sn->clen++ > 0 && cl != r->clen)
			return 400;
		r->clen = (unsigned long)cl;
	} else if (IS("Transfer-Encoding")) {
		return 501;
	} else if (IS("Connection")) {
		if (has_token(s + v, e - v, "close"))
			sn->close = 1;
		if (has_token(s + v, e - v, "keep-alive"))
			sn->keepalive = 1;
	} else if (IS("Authorization")) {
		if (r->hasauth)
			return 400;
		r->hasauth = 1;
		if (e - v > 7 && strncasecmp(s + v, "Bearer ", 7) == 0 &&
		    e - v - 7 < sizeof r->auth) {
			memcpy(r->auth, s + v + 7, e - v - 7);
			r->auth[e - v - 7] = '\0';
		}
	}
#undef IS
	return 0;
}

/* Parse the head at the start of buf[0..len). HTTPREQ_OK with r filled
 * (r->headlen bytes consumed), HTTPREQ_MORE if the head is not whole yet,
 * or the HTTP status to answer with: 400 malformed, 413 a Content-Length
 * past 99999999, 414 a request line or path too long, 431 a head past
 * HTTPREQ_MAX or HTTPREQ_HEADERS lines, 501 Transfer-Encoding, 505 a
 * version other than 1.0 and 1.1. */
int
httpreq_parse(const char *buf, size_t len, struct httpreq *r)
{
	struct seen sn;
	size_t pos = 0, start, lim, ls, ll;
	int k, nh = 0;

	memset(r, 0, sizeof *r);
	memset(&sn, 0, sizeof sn);
	/* Blank lines before a request are ignored (RFC 9112 2.2), within
	 * the same bound. */
	while (pos < len && pos < HTTPREQ_MAX &&
	    (buf[pos] == '\r' || buf[pos] == '\n'))
		pos++;
	start = pos;
	lim = len - start > HTTPREQ_MAX ? start + HTTPREQ_MAX : len;
	if ((k = nextline(buf, &pos, lim, &ls, &ll)) != 1)
		return k == 0 ? (lim - start >= HTTPREQ_MAX ? 414 :
		    HTTPREQ_MORE) : k;
	if ((k = parse_reqline(buf + ls, ll, r)) != 0)
		return k;
	for (;;) {
		if ((k = nextline(buf, &pos, lim, &ls, &ll)) != 1)
			return k == 0 ? (lim - start >= HTTPREQ_MAX ? 431 :
			    HTTPREQ_MORE) : k;
		if (ll == 0)
			break;
		if (++nh > HTTPREQ_HEADERS)
			return 431;
		if ((k = parse_header(buf + ls, ll, r, &sn)) != 0)
			return k;
	}
	if (r->minor == 1 && sn.host == 0)
		return 400;
	r->keepalive = r->minor == 1 ? !sn.close : sn.keepalive && !sn.close;
	r->headlen = pos;
	return HTTPREQ_OK;
}

/* The reason phrase of an HTTP status this project sends. */
const char *
httpreq_reason(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Unknown";
	}
}
