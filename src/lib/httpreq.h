/* httpreq: a strict HTTP/1.0 and HTTP/1.1 request head parser, a pure
 * function over a buffer (no I/O, no allocation), so that it can be fed
 * any bytes: by a server as they arrive, by a unit test, by a fuzzer.
 *
 *   GET /service/web HTTP/1.1\r\n
 *   Host: localhost\r\n
 *   \r\n
 *
 * The head (request line and headers) is at most HTTPREQ_MAX bytes. The
 * path is percent-decoded; a decoded NUL, control byte or '/', and any
 * "." or ".." segment, are refused: what comes out can only be compared
 * with known names. */
#ifndef HTTPREQ_H
#define HTTPREQ_H

#include <stddef.h>

#define HTTPREQ_MAX	8192	/* request line and headers, bytes */
#define HTTPREQ_HEADERS	64	/* header lines */
#define HTTPREQ_PATHMAX	512	/* decoded path, with its NUL */
#define HTTPREQ_AUTHMAX	256	/* bearer token, with its NUL */

/* httpreq_parse's results besides HTTP status codes (>= 400). */
#define HTTPREQ_OK	0	/* a whole head: r is filled */
#define HTTPREQ_MORE	1	/* no error yet, but the head is not whole */

enum httpreq_method {
	HTTPREQ_GET = 1,
	HTTPREQ_HEAD,
	HTTPREQ_POST,
	HTTPREQ_OTHER		/* a well-formed method we do not serve */
};

struct httpreq {
	int		method;		/* enum httpreq_method */
	int		minor;		/* HTTP/1.minor: 0 or 1 */
	char		path[HTTPREQ_PATHMAX];	/* decoded, without query */
	int		keepalive;	/* the client keeps the connection */
	int		hasauth;	/* Authorization: Bearer seen */
	char		auth[HTTPREQ_AUTHMAX];
	unsigned long	clen;		/* Content-Length, 0 if none */
	size_t		headlen;	/* bytes of the head, blank line too */
};

int	httpreq_parse(const char *, size_t, struct httpreq *);
const char *httpreq_reason(int);

#endif
