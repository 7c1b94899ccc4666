/* atomicfile: write-fsync-rename, the only way tend changes a file that
 * others read. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "atomicfile.h"
#include "fdutil.h"

int
atomicfile_write(const char *path, const void *buf, size_t len, int flags)
{
	char tmp[4096];
	int fd, n;

	n = snprintf(tmp, sizeof tmp, "%s.new", path);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	do
		fd = openat(AT_FDCWD, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		    O_NOCTTY, 0644);
	while (fd == -1 && errno == EINTR);
	if (fd == -1)
		return -1;
	if (fd_write_all(fd, buf, len) == -1 ||
	    ((flags & ATOMICFILE_SYNC) && fsync(fd) == -1)) {
		fd_close(fd);
		goto fail;
	}
	if (close(fd) == -1 && errno != EINTR)
		goto fail;
	if (rename(tmp, path) == -1)
		goto fail;
	return 0;
fail:
	n = errno;
	(void)unlink(tmp);
	errno = n;
	return -1;
}
