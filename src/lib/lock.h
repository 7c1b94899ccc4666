/* lock: the supervise/lock file, held with both flock() (daemontools, runit)
 * and an fcntl() write lock (s6), so that no supervisor of any family runs a
 * second copy of a service. */
#ifndef LOCK_H
#define LOCK_H

int	lock_acquire(const char *, int);
int	lock_is_held(const char *);

#endif
