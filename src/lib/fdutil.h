/* fdutil: close-on-exec opens, and reads and writes that retry on EINTR and
 * short counts. Every function returns -1 and sets errno on failure.
 * Opens go through openat(AT_FDCWD, ...): musl follows every open() with
 * O_CLOEXEC by a spare fcntl(), openat() does not. */
#ifndef FDUTIL_H
#define FDUTIL_H

#include <sys/types.h>
#include <poll.h>
#include <stddef.h>

int	fd_open_read(const char *);
int	fd_open_append(const char *, int);
ssize_t	fd_read(int, void *, size_t);
int	fd_write_all(int, const void *, size_t);
int	fd_close(int);
int	fd_cloexec_from(int);
int	fd_raise_nofile(void);
int	fd_set_nonblock(int, int);
int	fd_move(int, int);
ssize_t	fd_read_file(const char *, char *, size_t);
int	fd_mkdirs(const char *, int);
int	fd_pollin(struct pollfd *, int *, int);
int	fd_mkdir_follow(const char *, const char *, int);

#endif
