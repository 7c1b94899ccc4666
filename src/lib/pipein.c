/* pipein: peek at a pipe with tee(2), read the copy back through a pipe
 * of our own, remove the original later with splice(2) to /dev/null (or
 * a read into scratch space). */
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "pipein.h"

/* Set p up for fd: ask its pipe (if it is one) for want bytes of room,
 * and a private pipe as large for tee(2). Without them p reads plainly. */
void
pipein_init(struct pipein *p, int fd, size_t want)
{
	int sz;

	memset(p, 0, sizeof *p);
	p->fd = fd;
	p->priv[0] = p->priv[1] = p->devnull = -1;
#ifdef __linux__
	(void)fcntl(fd, F_SETPIPE_SZ, (int)want);
	if ((sz = fcntl(fd, F_GETPIPE_SZ)) == -1)
		return;		/* not a pipe */
	if (pipe2(p->priv, O_CLOEXEC) == -1)
		return;
	(void)fcntl(p->priv[1], F_SETPIPE_SZ, sz);
	if ((sz = fcntl(p->priv[1], F_GETPIPE_SZ)) == -1)
		return;
	p->privsize = (size_t)sz;
	p->devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	p->tee = 1;
#else
	(void)sz;
	(void)want;
#endif
}

/*
 * Take up to len bytes of input into buf. Returns the count, 0 at end of
 * input, -1 on error (EAGAIN: nothing there after all; EPROTO: the copy
 * could not be read back, a bug). With tee, only whole lines are taken
 * when there is a newline: a line cut by len stays in the pipe (taken
 * again next time) rather than held here, where a SIGKILL would lose it.
 */
ssize_t
pipein_take(struct pipein *p, char *buf, size_t len)
{
	ssize_t r = -1, got, n, nl;

#ifdef __linux__
	if (p->tee) {
		if (len > p->privsize)
			len = p->privsize;
		r = tee(p->fd, p->priv[1], len, SPLICE_F_NONBLOCK);
		if (r > 0) {
			for (got = 0; got < r; got += n)
				if ((n = fd_read(p->priv[0], buf + got,
				    (size_t)(r - got))) <= 0) {
					errno = EPROTO;
					return -1;
				}
			/* Without a newline (a writer's half line, or one
			 * longer than len), take it all, or poll() would
			 * spin. */
			for (nl = r; nl > 0 && buf[nl - 1] != '\n'; nl--)
				;
			if (nl > 0)
				r = nl;
			p->peeked += (size_t)r;
			return r;
		}
		if (r == 0 || errno == EAGAIN || errno == EINTR)
			return r;
		p->tee = 0;	/* not a pipe: read instead */
	}
#endif
	return fd_read(p->fd, buf, len);
}

/* Remove from the pipe what was taken (it is written now); scratch
 * (len bytes) is read into where splice(2) cannot be used. */
void
pipein_consume(struct pipein *p, char *scratch, size_t len)
{
	ssize_t r;

	while (p->peeked > 0) {
#ifdef __linux__
		if (p->devnull != -1) {
			r = splice(p->fd, NULL, p->devnull, NULL, p->peeked, 0);
			if (r > 0) {
				p->peeked -= (size_t)r;
				continue;
			}
			if (r == -1 && errno == EINTR)
				continue;
			fd_close(p->devnull);
			p->devnull = -1;
		}
#endif
		r = fd_read(p->fd, scratch, p->peeked < len ? p->peeked : len);
		if (r <= 0)
			break;	/* nothing more to remove */
		p->peeked -= (size_t)r;
	}
	p->peeked = 0;
}
