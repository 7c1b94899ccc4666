/* lock: the supervise/lock file, held with both flock() (daemontools, runit)
 * and an fcntl() write lock (s6), so that no supervisor of any family runs a
 * second copy of a service. */
#ifndef LOCK_H
#define LOCK_H

int	lock_acquire(const char *, int);
/* lock_acquire(PATH, 0), retried for up to MS ms while the lock is held:
 * for a program that takes over from one just killed (supervise, svlog),
 * with LOCK_GRACE_MS. */
int	lock_acquire_grace(const char *, int);

#define LOCK_GRACE_MS	1000	/* a killed holder's child lets go by then */
int	lock_is_held(const char *);

#endif
