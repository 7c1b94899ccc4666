/* pipein: input taken from a pipe without taking it away. Where tee(2)
 * works, what pipein_take hands out is a copy: it stays in the pipe until
 * pipein_consume removes it, once the caller has written it down, so a
 * reader killed with SIGKILL leaves what it had not written for the next
 * one (svlog: supervise holds the log pipe). Elsewhere (not a pipe, not
 * Linux) it is a plain read. Owns no file. */
#ifndef PIPEIN_H
#define PIPEIN_H

#include <sys/types.h>
#include <stddef.h>

struct pipein {
	int	fd;		/* the input */
	int	tee;		/* tee(2) works on fd */
	int	priv[2];	/* the pipe tee fills, read back at once */
	size_t	privsize;
	int	devnull;	/* where consumed input is spliced away */
	size_t	peeked;		/* bytes handed out, still in fd's pipe */
};

void	pipein_init(struct pipein *, int, size_t);
ssize_t	pipein_take(struct pipein *, char *, size_t);
void	pipein_consume(struct pipein *, char *, size_t);

#endif
