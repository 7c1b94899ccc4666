/* logpipe: the named FIFO from a service's stdout to its logger's stdin,
 * both ends held by supervise for its whole life, so that neither side's
 * restart loses a line or raises SIGPIPE. */
#ifndef LOGPIPE_H
#define LOGPIPE_H

int	logpipe_open(const char *, int *, int *, int *);
int	logpipe_empty(int);

#endif
