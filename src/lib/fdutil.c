/* fdutil: descriptor helpers; every descriptor opened here is close-on-exec. */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "num.h"
#include "path.h"

int
fd_open_read(const char *path)
{
	int fd;

	do
		fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd == -1 && errno == EINTR);
	return fd;
}

/* Open for appending, creating with mode if missing. */
int
fd_open_append(const char *path, int mode)
{
	int fd;

	do
		fd = openat(AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
		    O_NOCTTY, mode);
	while (fd == -1 && errno == EINTR);
	return fd;
}

ssize_t
fd_read(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r == -1 && errno == EINTR);
	return r;
}

/* Write all of buf, looping over short writes. 0 on success. */
int
fd_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* close() that keeps errno, so it can sit in error paths. */
int
fd_close(int fd)
{
	int e = errno, r;

	r = close(fd);
	errno = e;
	return r;
}

/* Mark every descriptor >= lowfd close-on-exec: run once at startup so that
 * descriptors leaked to us by whoever started us never reach a service.
 * One close_range(2) where the kernel has it (5.11), else a walk of
 * /proc/self/fd, else every number up to the limit. */
int
fd_cloexec_from(int lowfd)
{
	DIR *d;
	struct dirent *de;
	struct rlimit rl;
	int64_t fd, max;
	int dfd;

#if defined(SYS_close_range)
	if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, 4U) == 0)
		return 0;	/* 4: CLOSE_RANGE_CLOEXEC */
#endif
	if ((d = opendir("/proc/self/fd")) != NULL) {
		dfd = dirfd(d);
		while ((de = readdir(d)) != NULL) {
			if (num_parse(de->d_name, 0, INT_MAX, &fd) == -1 ||
			    fd < lowfd || fd == dfd)
				continue;
			(void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
		}
		closedir(d);
		return 0;
	}
	max = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = (int64_t)rl.rlim_cur;
	if (max > 65536)
		max = 65536;
	for (fd = lowfd; fd < max; fd++)
		(void)fcntl((int)fd, F_SETFD, FD_CLOEXEC);
	return 0;
}

/* Raise the soft limit on open descriptors to the hard one (svscan keeps
 * one per adopted supervise). */
int
fd_raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return -1;
	if (rl.rlim_cur >= rl.rlim_max)
		return 0;
	rl.rlim_cur = rl.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &rl);
}

int
fd_set_nonblock(int fd, int on)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
	return fcntl(fd, F_SETFL, fl);
}

/* Make "to" refer to what "from" refers to, without close-on-exec (for use
 * in a child just before exec). from == to only clears the flag. */
int
fd_move(int to, int from)
{
	if (to == from)
		return fcntl(to, F_SETFD, 0);
	return dup2(from, to) == -1 ? -1 : 0;
}

/* Read a small file whole into buf (at most len bytes). Returns the count. */
ssize_t
fd_read_file(const char *path, char *buf, size_t len)
{
	ssize_t r;
	size_t n = 0;
	int fd;

	if ((fd = fd_open_read(path)) == -1)
		return -1;
	while (n < len) {
		r = fd_read(fd, buf + n, len - n);
		if (r == -1) {
			fd_close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

/* mkdir -p: create path and any missing parent, each with mode. 0 if path
 * is a directory afterwards. */
int
fd_mkdirs(const char *path, int mode)
{
	char buf[4096];
	size_t len, i;

	if ((len = strlen(path)) == 0 || len >= sizeof buf) {
		errno = len == 0 ? ENOENT : ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, (mode_t)mode) == -1 && errno != EEXIST)
			return -1;
		buf[i] = i == len ? '\0' : '/';
	}
	return 0;
}

static int	mkdir_target(const char *, const char *, int);

/* mkdir path, or, when path is a dangling symlink, create its target (and
 * the target's parents: /run may be empty), as runit does. A relative
 * target is taken from base, the link's own directory (NULL or ".": the
 * current one). 0 if path leads to a directory afterwards. */
int
fd_mkdir_follow(const char *path, const char *base, int mode)
{
	if (mkdir(path, (mode_t)mode) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (access(path, F_OK) == 0)
		return 0;
	return mkdir_target(path, base, mode);
}

/* path is a dangling symlink: create its target (relative to base, as in
 * fd_mkdir_follow) and the target's parents. Apart, and not inlined, so
 * that its 8 KiB of buffers are on the stack only when a link is
 * followed: supervise calls fd_mkdir_follow at every start, and every
 * page of stack it touches stays dirty. */
static int __attribute__((noinline))
mkdir_target(const char *path, const char *base, int mode)
{
	char target[4096], full[4096];
	ssize_t n;

	if ((n = readlink(path, target, sizeof target)) <= 0)
		return -1;
	if ((size_t)n >= sizeof target) {
		errno = ENAMETOOLONG;
		return -1;
	}
	target[n] = '\0';
	if (target[0] == '/' || base == NULL || strcmp(base, ".") == 0)
		return fd_mkdirs(target, mode);
	if (path_join(full, sizeof full, base, target) == -1)
		return -1;
	return fd_mkdirs(full, mode);
}

/* Add fd (if not -1) to the poll set pfd of *n entries, for input: its
 * index, or -1. */
int
fd_pollin(struct pollfd *pfd, int *n, int fd)
{
	if (fd == -1)
		return -1;
	pfd[*n].fd = fd;
	pfd[*n].events = POLLIN;
	pfd[*n].revents = 0;
	return (*n)++;
}
