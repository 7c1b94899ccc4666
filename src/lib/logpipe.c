/* logpipe: create and hold both ends of the log FIFO; tell it empty. */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fdutil.h"
#include "logpipe.h"

/* Create the FIFO path if need be and open it: *rfd the logger's end,
 * *wfd the service's, both in blocking mode (the children share them).
 * *held is 1 when, before we opened it, someone else had it open for
 * reading (a process left by an earlier supervise). -1 with errno
 * (EINVAL: path is not a FIFO). */
int
logpipe_open(const char *path, int *rfd, int *wfd, int *held)
{
	struct stat sb;
	int r, w, e;

	*held = 0;
	if (mkfifo(path, 0600) == -1 && errno != EEXIST)
		return -1;
	if (stat(path, &sb) == -1)
		return -1;
	if (!S_ISFIFO(sb.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	w = openat(AT_FDCWD, path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (w != -1) {
		*held = 1;
		close(w);
	}
	/* The service's end is opened for reading too: while the service
	 * lives, the pipe has a reader whatever else died (supervise, the
	 * logger, svscan), so a write of the service blocks on a full pipe
	 * and never raises SIGPIPE; and what it wrote stays in the pipe for
	 * the next logger. (Linux, like every Unix tend runs on, allows
	 * O_RDWR on a FIFO; POSIX leaves it open.) */
	if ((r = openat(AT_FDCWD, path, O_RDONLY | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return -1;
	if ((w = openat(AT_FDCWD, path, O_RDWR | O_NONBLOCK | O_CLOEXEC)) ==
	    -1 || fd_set_nonblock(r, 0) == -1 || fd_set_nonblock(w, 0) == -1) {
		e = errno;
		close(r);
		if (w != -1)
			close(w);
		errno = e;
		return -1;
	}
	*rfd = r;
	*wfd = w;
	return 0;
}

/* 1 if nothing waits to be read in the pipe of fd, else 0. */
int
logpipe_empty(int fd)
{
	int n = 0;

	return ioctl(fd, FIONREAD, &n) == 0 && n == 0;
}
