/* svweb: a status page, JSON and Prometheus metrics for a tree of
 * services, over a small strict HTTP/1.x server.
 *
 *   svweb [-l ADDR:PORT] [-c TOKENFILE] DIR
 *
 * One process, one poll() loop over the listening socket, the selfpipe
 * and at most MAXCLIENTS non-blocking connections; no thread, no fork.
 * Each request reads the service directories under DIR afresh (their
 * supervise/status, ok, history, check.out, and log/main/current): svweb
 * keeps no copy that could go stale. A request path is only ever compared with the
 * names read from DIR; the name that is opened comes from readdir. Writes
 * nothing but, with -c, control bytes to DIR/NAME/supervise/control.
 * Exit: 0 on TERM or INT, 100 usage, 111 system failure at startup. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
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
#include "path.h"
#include "fdutil.h"
#include "httpreq.h"
#include "sbuf.h"
#include "selfpipe.h"
#include "svcontrol.h"
#include "svpage.h"
#include "svtree.h"
#include "tcplisten.h"
#include "svview.h"
#include "timefmt.h"
#include "version.h"

#define USAGE		"svweb [-l ADDR:PORT] [-c TOKENFILE] DIR"
#define DEFADDR		"127.0.0.1:8080"
#define MAXCLIENTS	64		/* connections at once; more get 503 */
#define REQ_MS		10000		/* to send one request, or to read
					 * one response */
#define LINGER_MS	2000		/* after an error: drain, then close */
#define BODYMAX		1024		/* a POST body, read and ignored */
#define INMAX		(HTTPREQ_MAX + BODYMAX)
#define MAXSVC		4096		/* services shown; more are left out */
#define OUTMAX		(32u << 20)	/* one response */
#define LOGLINES	10		/* on the page, per service */
#define LOGBYTES	4096
#define SVC_LOGLINES	100		/* on a service's own page */
#define SVC_LOGBYTES	32768
#define HISTLINES	50		/* history records on a service's page */
#define HISTMAX		(256 * 1024)
#define CHECKOUTMAX	4096		/* supervise keeps no more of it */
#define TOKENMAX	256

#define HTML		"text/html; charset=utf-8"
#define TEXT		"text/plain; charset=utf-8"

enum cstate { C_FREE, C_READ, C_WRITE, C_LINGER };

/* What a request path names. */
enum route { R_NONE, R_INDEX, R_JSON, R_METRICS, R_SERVICE, R_LOG, R_CONTROL };

struct client {
	int		 fd;
	int		 state;		/* enum cstate */
	char		 in[INMAX];
	size_t		 inlen;
	struct sbuf	 out;
	size_t		 outoff;
	int64_t		 deadline;	/* monotonic ms */
	int		 close;		/* close once out is sent */
	int		 head;		/* the request was HEAD: no body */
	unsigned long	 served;	/* responses on this connection */
};

struct server {
	int		 lfd;
	int64_t		 lpause;	/* accept again from then (EMFILE) */
	const char	*dir;
	int		 hastoken;
	char		 token[TOKENMAX];
	size_t		 toklen;
	svtree_name	*names;		/* read afresh for each request */
	size_t		 nnames;
	struct sbuf	 body;		/* scratch: one response's body */
	struct client	 c[MAXCLIENTS];
};

/* Queue a response on c: the status line, headers and (unless head) s's
 * scratch body. */
static void
respond(struct server *s, struct client *c, int code, const char *type,
    const char *extra, int head)
{
	struct sbuf *o = &c->out;

	if (s->body.err != 0) {
		/* The body did not fit: say so rather than send half. */
		sbuf_reset(&s->body);
		sbuf_puts(&s->body, "500 response too large\n");
		code = 500;
		type = TEXT;
		extra = NULL;
	}
	sbuf_reset(o);
	c->outoff = 0;
	sbuf_printf(o, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nCache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n", code, httpreq_reason(code),
	    type, s->body.len);
	if (strcmp(type, HTML) == 0)
		sbuf_puts(o, "Content-Security-Policy: default-src 'none'; "
		    "style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
		    "connect-src 'self'; base-uri 'none'; "
		    "frame-ancestors 'none'\r\n");
	if (extra != NULL)
		sbuf_puts(o, extra);
	sbuf_printf(o, "Connection: %s\r\n\r\n", c->close ? "close" :
	    "keep-alive");
	if (!head)
		sbuf_add(o, s->body.p != NULL ? s->body.p : "", s->body.len);
	if (o->err != 0) {
		/* Out of memory: rather no answer than half of one. */
		sbuf_reset(o);
		c->close = 1;
	}
	c->state = C_WRITE;
}

/* An error answer; the connection closes after it. */
static void
fail(struct server *s, struct client *c, int code, const char *extra)
{
	sbuf_reset(&s->body);
	sbuf_printf(&s->body, "%d %s\n", code, httpreq_reason(code));
	c->close = 1;
	respond(s, c, code, TEXT, extra, c->head);
}

/* The names in DIR now. */
static void
list_services(struct server *s)
{
	ssize_t n;

	if ((n = svtree_list(".", s->names, MAXSVC)) == -1) {
		warn_sys("unable to read directory %s", s->dir);
		n = 0;
	}
	s->nnames = (size_t)n;
}

/* Every service now, into a new array (freed by the caller), with the
 * restarts from history if hist; the count in *n. NULL only when memory
 * runs out. */
static struct svpage_svc *
read_all(struct server *s, size_t *n, int hist, const struct timespec *now)
{
	struct svpage_svc *v;
	size_t i;

	list_services(s);
	if ((v = calloc(s->nnames + 1, sizeof *v)) == NULL)
		return NULL;
	for (i = 0; i < s->nnames; i++) {
		svtree_read(&v[i], s->names[i]);
		if (hist)
			v[i].restarts_hour = svtree_restarts(s->names[i], now);
	}
	*n = s->nnames;
	return v;
}

/* The page, the array or the metrics (enum route) of every service. */
static int
serve_all(struct server *s, int what, const struct timespec *now)
{
	struct svpage_svc *v;
	char *logs = NULL;
	size_t n = 0, i;

	if ((v = read_all(s, &n, what == R_METRICS, now)) == NULL)
		return 500;
	if (what == R_INDEX) {
		if ((logs = malloc(n * LOGBYTES + 1)) == NULL) {
			free(v);
			return 500;
		}
		for (i = 0; i < n; i++) {
			v[i].log = logs + i * LOGBYTES;
			v[i].loglen = svtree_log(v[i].name, LOGLINES,
			    logs + i * LOGBYTES, LOGBYTES);
		}
		svpage_index(&s->body, s->dir, v, n, now);
	} else if (what == R_JSON)
		svpage_json(&s->body, v, n, now);
	else
		svpage_metrics(&s->body, v, n, now);
	free(logs);
	free(v);
	return 200;
}

/* /service/NAME/log: its last lines as text. */
static int
serve_log(struct server *s, const char *name)
{
	char *log;

	if ((log = malloc(LOGBYTES)) == NULL)
		return 500;
	sbuf_add(&s->body, log, svtree_log(name, LOGLINES, log, LOGBYTES));
	free(log);
	return 200;
}

/* /service/NAME: its page. */
static int
serve_one(struct server *s, const char *name, const struct timespec *now)
{
	char path[NAME_MAX + 32], chk[CHECKOUTMAX];
	struct svpage_svc v;
	struct sbuf hist;
	char *log;
	ssize_t n;
	size_t st;

	if ((log = malloc(SVC_LOGBYTES)) == NULL)
		return 500;
	svtree_read(&v, name);
	/* The last check's output, when the service has had one. */
	if (path_join(path, sizeof path, name, "supervise/check.out") == 0 &&
	    (n = fd_read_file(path, chk, sizeof chk)) >= 0) {
		v.checkout = chk;
		v.checklen = (size_t)n;
	}
	v.restarts_hour = svtree_restarts(name, now);
	v.log = log;
	v.loglen = svtree_log(name, SVC_LOGLINES, log, SVC_LOGBYTES);
	sbuf_init(&hist, HISTMAX);
	(void)svtree_history(name, HISTLINES, &hist, &st);
	svpage_service(&s->body, &v, hist.p != NULL ? hist.p + st : "",
	    hist.len - st, now);
	sbuf_free(&hist);
	free(log);
	return 200;
}

/* Constant-time comparison of the request's token with ours. */
static int
token_ok(const struct server *s, const struct httpreq *r)
{
	size_t i, n = strlen(r->auth);
	unsigned char d = n != s->toklen;

	for (i = 0; i < s->toklen; i++)
		d |= (unsigned char)(s->token[i] ^ (i < n ? r->auth[i] : 0));
	return d == 0;
}

/* What a path asks for; *name is the service it names, as listed in
 * DIR, and *letter the control byte. */
static int
route(struct server *s, const char *p, const char **name, int *letter)
{
	const char *rest;

	if (strcmp(p, "/") == 0)
		return R_INDEX;
	if (strcmp(p, "/status.json") == 0)
		return R_JSON;
	if (strcmp(p, "/metrics") == 0)
		return R_METRICS;
	if (strncmp(p, "/service/", 9) != 0)
		return R_NONE;
	p += 9;
	rest = strchr(p, '/');
	list_services(s);
	*name = svtree_find(s->names, s->nnames, p, rest != NULL ?
	    (size_t)(rest - p) : strlen(p));
	if (*name == NULL)
		return R_NONE;
	if (rest == NULL)
		return R_SERVICE;
	if (strcmp(rest, "/log") == 0)
		return R_LOG;
	/* /service/NAME/LETTER exists only with a token. */
	if (s->hastoken && strlen(rest) == 2 && svcontrol_valid(rest[1])) {
		*letter = rest[1];
		return R_CONTROL;
	}
	return R_NONE;
}

/* /service/NAME/LETTER, by POST with the token. */
static void
control(struct server *s, struct client *c, const struct httpreq *r,
    const char *name, int letter)
{
	char sdir[NAME_MAX + 16], byte = (char)letter;

	if (r->method != HTTPREQ_POST) {
		fail(s, c, 405, "Allow: POST\r\n");
		return;
	}
	if (!r->hasauth) {
		fail(s, c, 401, "WWW-Authenticate: Bearer\r\n");
		return;
	}
	if (!token_ok(s, r)) {
		fail(s, c, 403, NULL);
		return;
	}
	if (path_join(sdir, sizeof sdir, name, "supervise") == -1 ||
	    svcontrol_send(sdir, &byte, 1) == -1) {
		sbuf_printf(&s->body, "unable to control %s: %s\n", name,
		    errno == ENXIO || errno == ENOENT ?
		    "supervise not running" : diag_errstr(errno));
		c->close = 1;
		respond(s, c, 503, TEXT, NULL, 0);
		return;
	}
	sbuf_printf(&s->body, "sent %c to %s\n", letter, name);
	respond(s, c, 200, TEXT, NULL, 0);
}

/* Answer one whole request. */
static void
handle(struct server *s, struct client *c, const struct httpreq *r)
{
	static const char *types[] = {
		[R_INDEX] = HTML, [R_JSON] = "application/json",
		[R_METRICS] = "text/plain; version=0.0.4; charset=utf-8",
		[R_SERVICE] = HTML, [R_LOG] = TEXT
	};
	struct timespec now;
	const char *name = NULL;
	int what, letter = 0, code;

	c->close = !r->keepalive;
	c->head = r->method == HTTPREQ_HEAD;
	sbuf_reset(&s->body);
	timefmt_now(&now);
	if (r->method != HTTPREQ_GET && r->method != HTTPREQ_HEAD &&
	    !(r->method == HTTPREQ_POST && s->hastoken)) {
		fail(s, c, 405, "Allow: GET, HEAD\r\n");
		return;
	}
	what = route(s, r->path, &name, &letter);
	if (what == R_NONE) {
		fail(s, c, 404, NULL);
		return;
	}
	if (what == R_CONTROL) {
		control(s, c, r, name, letter);
		return;
	}
	if (r->method == HTTPREQ_POST) {
		fail(s, c, 405, "Allow: GET, HEAD\r\n");
		return;
	}
	switch (what) {
	case R_SERVICE:
		code = serve_one(s, name, &now);
		break;
	case R_LOG:
		code = serve_log(s, name);
		break;
	default:
		code = serve_all(s, what, &now);
		break;
	}
	if (code != 200)
		fail(s, c, code, NULL);
	else
		respond(s, c, 200, types[what], NULL, c->head);
}

static void
drop(struct client *c)
{
	if (c->fd != -1)
		fd_close(c->fd);
	c->fd = -1;
	c->state = C_FREE;
	c->inlen = 0;
	c->outoff = 0;
	sbuf_free(&c->out);
}

/* Parse what c has sent; answer a whole request. */
static void
advance(struct server *s, struct client *c)
{
	struct httpreq r;
	int k;

	if (c->state != C_READ || c->inlen == 0)
		return;
	c->head = 0;
	k = httpreq_parse(c->in, c->inlen, &r);
	if (k == HTTPREQ_MORE)
		return;
	if (k != HTTPREQ_OK) {
		fail(s, c, k, NULL);
		return;
	}
	if (r.clen > BODYMAX) {
		fail(s, c, 413, NULL);
		return;
	}
	if (c->inlen < r.headlen + r.clen)
		return;		/* the body is still coming */
	handle(s, c, &r);
	/* Pipelined bytes stay for the next round. */
	c->inlen -= r.headlen + r.clen;
	memmove(c->in, c->in + r.headlen + r.clen, c->inlen);
}

/* Send what c has queued; then linger, or answer the next request
 * already in (pipelined), or wait for one. */
static void
flush(struct server *s, struct client *c, int64_t now)
{
	ssize_t w;

	while (c->state == C_WRITE) {
		while (c->outoff < c->out.len) {
			w = send(c->fd, c->out.p + c->outoff,
			    c->out.len - c->outoff, MSG_NOSIGNAL);
			if (w == -1 && errno == EINTR)
				continue;
			if (w == -1 && (errno == EAGAIN ||
			    errno == EWOULDBLOCK))
				return;
			if (w == -1) {
				drop(c);
				return;
			}
			c->outoff += (size_t)w;
		}
		c->served++;
		sbuf_free(&c->out);
		c->outoff = 0;
		if (c->close) {
			/* Half-close and read what is left, so that the
			 * client sees the answer instead of a reset. */
			shutdown(c->fd, SHUT_WR);
			c->state = C_LINGER;
			c->deadline = now + LINGER_MS;
			return;
		}
		c->state = C_READ;
		c->deadline = now + REQ_MS;
		advance(s, c);
	}
}

/* Read what c sent. */
static void
receive(struct server *s, struct client *c, int64_t now)
{
	char junk[4096];
	ssize_t r;

	if (c->state == C_LINGER) {
		do
			r = recv(c->fd, junk, sizeof junk, 0);
		while (r == -1 && errno == EINTR);
		if (r == 0 || (r == -1 && errno != EAGAIN))
			drop(c);
		return;
	}
	if (c->inlen == sizeof c->in) {
		/* Cannot happen (the head and body bounds fit in): still, a
		 * full buffer must not read as the end of the stream. */
		fail(s, c, 431, NULL);
		flush(s, c, now);
		return;
	}
	do
		r = recv(c->fd, c->in + c->inlen, sizeof c->in - c->inlen, 0);
	while (r == -1 && errno == EINTR);
	if (r == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (r <= 0) {
		drop(c);	/* gone, whatever it had sent */
		return;
	}
	c->inlen += (size_t)r;
	advance(s, c);
	if (c->state == C_WRITE)
		flush(s, c, now);
}

/* Take every waiting connection: a free slot each, or a 503. */
static void
take(struct server *s, int64_t now)
{
	static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 24\r\n"
	    "Retry-After: 1\r\nConnection: close\r\n\r\n"
	    "503 too many connections";
	size_t i;
	int fd, n;

	for (n = 0; n < 2 * MAXCLIENTS; n++) {
		fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd == -1) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				warn_sys("unable to accept a connection");
				s->lpause = now + 100;
			}
			return;
		}
		for (i = 0; i < MAXCLIENTS && s->c[i].state != C_FREE; i++)
			;
		if (i == MAXCLIENTS) {
			(void)!send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL);
			shutdown(fd, SHUT_WR);
			fd_close(fd);
			continue;
		}
		memset(&s->c[i], 0, sizeof s->c[i]);
		s->c[i].fd = fd;
		s->c[i].state = C_READ;
		s->c[i].deadline = now + REQ_MS;
		sbuf_init(&s->c[i].out, OUTMAX);
	}
}

/* A connection past its deadline: 408 if a request was under way. */
static void
expire(struct server *s, struct client *c, int64_t now)
{
	if (c->state == C_READ && (c->inlen > 0 || c->served == 0)) {
		fail(s, c, 408, NULL);
		c->deadline = now + LINGER_MS;
		flush(s, c, now);
		if (c->state == C_WRITE)
			drop(c);	/* not even 408 bytes go out: give up */
	} else
		drop(c);
}

static void
loop(struct server *s, int sigfd)
{
	struct pollfd pfd[MAXCLIENTS + 2];
	int at[MAXCLIENTS + 2];
	int64_t now, next;
	size_t i, nfd;
	int sig, timeout;

	for (;;) {
		now = timefmt_now_ms();
		next = NOTIME;
		nfd = 0;
		pfd[nfd].fd = sigfd;
		pfd[nfd++].events = POLLIN;
		pfd[nfd].fd = s->lpause > now ? -1 : s->lfd;
		pfd[nfd++].events = POLLIN;
		if (s->lpause > now)
			next = s->lpause;
		for (i = 0; i < MAXCLIENTS; i++) {
			if (s->c[i].state == C_FREE)
				continue;
			if (s->c[i].deadline < next)
				next = s->c[i].deadline;
			at[nfd] = (int)i;
			pfd[nfd].fd = s->c[i].fd;
			pfd[nfd].revents = 0;
			pfd[nfd++].events = s->c[i].state == C_WRITE ? POLLOUT :
			    POLLIN;
		}
		timeout = deadline_timeout(next, now);
		if (poll(pfd, (nfds_t)nfd, timeout) == -1) {
			if (errno != EINTR)
				die_sys(EXIT_TEMP, "unable to poll");
			continue;
		}
		now = timefmt_now_ms();
		while ((sig = selfpipe_read()) > 0)
			if (sig == SIGTERM || sig == SIGINT)
				return;
		for (i = 2; i < nfd; i++) {
			struct client *c = &s->c[at[i]];

			if (c->state == C_FREE || pfd[i].revents == 0)
				continue;
			if (c->state == C_WRITE)
				flush(s, c, now);
			else
				receive(s, c, now);
		}
		for (i = 0; i < MAXCLIENTS; i++)
			if (s->c[i].state != C_FREE && s->c[i].deadline <= now)
				expire(s, &s->c[i], now);
		if (pfd[1].fd != -1 && (pfd[1].revents & POLLIN))
			take(s, now);
	}
}

/* Bind and listen on spec, ADDR:PORT or [ADDR]:PORT. */
static int
listen_on(const char *spec, int hastoken)
{
	struct tcplisten_addr a;
	int fd;

	if (tcplisten_parse(spec, &a) == -1)
		die_x(EXIT_USAGE, "bad listen address: %s", spec);
	if (!tcplisten_loopback(&a))
		warn_x("listening on %s, not a loopback address: whoever "
		    "reaches it sees every service%s", spec, hastoken ?
		    ", and the token travels in clear text" : "");
	if ((fd = tcplisten_open(&a, 128)) == -1)
		die_sys(EXIT_TEMP, "unable to listen on %s", spec);
	return fd;
}

/* The token: the first line of path, without trailing blanks. */
static void
read_token(struct server *s, const char *path)
{
	ssize_t n;

	if ((n = fd_read_file(path, s->token, sizeof s->token)) == -1)
		die_sys(EXIT_TEMP, "unable to read %s", path);
	s->toklen = memchr(s->token, '\n', (size_t)n) != NULL ?
	    (size_t)((char *)memchr(s->token, '\n', (size_t)n) - s->token) :
	    (size_t)n;
	if (s->toklen == sizeof s->token)
		die_x(EXIT_USAGE, "token in %s longer than %d bytes", path,
		    TOKENMAX - 1);
	while (s->toklen > 0 && (s->token[s->toklen - 1] == ' ' ||
	    s->token[s->toklen - 1] == '\t' || s->token[s->toklen - 1] == '\r'))
		s->toklen--;
	s->token[s->toklen] = '\0';
	if (s->toklen == 0 || memchr(s->token, '\0', s->toklen) != NULL)
		die_x(EXIT_USAGE, "no usable token in %s", path);
	s->hastoken = 1;
}

int
main(int argc, char **argv)
{
	struct server *s;
	const char *addr = DEFADDR, *tokfile = NULL;
	size_t i;
	int c, sigfd;

	diag_init("svweb");
	opterr = 0;
	while ((c = getopt(argc, argv, ":l:c:hV")) != -1) {
		switch (c) {
		case 'l':
			addr = optarg;
			break;
		case 'c':
			tokfile = optarg;
			break;
		case 'h':
			diag_help(USAGE);
		case 'V':
			diag_version("svweb");
		case ':':
			die_usage_why(USAGE, "missing argument for", optopt);
		default:
			die_usage_why(USAGE, "unknown option", optopt);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		die_usage_why(USAGE, argc == 0 ? "no directory given" :
		    "one directory only", 0);
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->names = calloc(MAXSVC, sizeof s->names[0])) == NULL)
		die_sys(EXIT_TEMP, "unable to allocate memory");
	s->dir = argv[0];
	for (i = 0; i < MAXCLIENTS; i++)
		s->c[i].fd = -1;
	sbuf_init(&s->body, OUTMAX);
	if (tokfile != NULL)
		read_token(s, tokfile);
	if (chdir(s->dir) == -1)
		die_sys(EXIT_TEMP, "unable to chdir to %s", s->dir);
	if ((sigfd = selfpipe_init()) == -1 || selfpipe_trap(SIGTERM) == -1 ||
	    selfpipe_trap(SIGINT) == -1 || selfpipe_ignore(SIGPIPE) == -1 ||
	    selfpipe_ignore(SIGHUP) == -1)
		die_sys(EXIT_TEMP, "unable to set up signals");
	s->lfd = listen_on(addr, s->hastoken);
	loop(s, sigfd);
	for (i = 0; i < MAXCLIENTS; i++)
		drop(&s->c[i]);
	fd_close(s->lfd);
	sbuf_free(&s->body);
	free(s->names);
	free(s);
	return 0;
}
