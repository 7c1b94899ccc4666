/* lock: flock + fcntl exclusive locks on one file. */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fdutil.h"
#include "lock.h"

static int
setlk(int wait, int ofd)
{
#ifdef F_OFD_SETLK
	if (ofd)
		return wait ? F_OFD_SETLKW : F_OFD_SETLK;
#else
	(void)ofd;
#endif
	return wait ? F_SETLKW : F_SETLK;
}

/* Open (creating, mode 0600) and lock path. With wait set, block until the
 * lock is free. Returns the descriptor, which must stay open; -1 with errno
 * EWOULDBLOCK when another process holds it and wait is 0. */
int
lock_acquire(const char *path, int wait)
{
	struct flock fl;
	int fd, ofd = 1;

	do
		fd = openat(AT_FDCWD, path, O_RDWR | O_CREAT | O_CLOEXEC |
		    O_NOCTTY, 0600);
	while (fd == -1 && errno == EINTR);
	if (fd == -1)
		return -1;
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			errno = EWOULDBLOCK;
		fd_close(fd);
		return -1;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	/* An open file description lock where the kernel has them: a
	 * classic fcntl lock is dropped as soon as this process closes any
	 * descriptor of the file, even one opened only to test the lock.
	 * F_GETLK (what s6 uses to test) sees both kinds. */
	while (fcntl(fd, setlk(wait, ofd), &fl) == -1) {
		if (errno == EINTR)
			continue;
		if (errno == EINVAL && ofd) {
			ofd = 0;	/* a kernel before 3.15 */
			continue;
		}
		if (errno == EACCES || errno == EAGAIN)
			errno = EWOULDBLOCK;
		fd_close(fd);
		return -1;
	}
	return fd;
}

/* lock_acquire(path, 0), tried again every 10 ms for up to ms while
 * another holds the lock. A process killed while a child it had just
 * vforked was still on its way to exec leaves the lock held a moment
 * longer: the child has its own copy of the descriptor until the exec
 * closes it (close-on-exec), and flock and open file description locks
 * last as long as any copy. Seen when a supervise is SIGKILLed during
 * the frequent ./check runs of a service still starting, on a loaded
 * machine: 3 new supervise of 15 found the lock held. A supervise really
 * running keeps it, so the caller still fails, ms later. */
int
lock_acquire_grace(const char *path, int ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int fd, waited;

	for (waited = 0; (fd = lock_acquire(path, 0)) == -1 &&
	    errno == EWOULDBLOCK && waited < ms; waited += 10)
		(void)nanosleep(&ts, NULL);
	return fd;
}

/* 1 if some process holds path's flock, 0 if not, -1 on error. */
int
lock_is_held(const char *path)
{
	int fd, r;

	if ((fd = fd_open_read(path)) == -1)
		return -1;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0)
		r = 0;
	else
		r = (errno == EWOULDBLOCK || errno == EAGAIN) ? 1 : -1;
	fd_close(fd);
	return r;
}
