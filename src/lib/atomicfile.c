/* atomicfile: write a temporary, fsync it where asked, put it in place:
 * the only way tend changes a file that others read. */
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "atomicfile.h"
#include "fdutil.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE	(1 << 1)
#endif

/* Put tmp in the place of path, atomically for every reader. On ext4,
 * rename(2) over an existing file first starts the writeback of the new
 * file's data (auto_da_alloc: the guard for writers that skip fsync),
 * 0.34 ms on a virtio disk, and one disk write for each status change.
 * Exchanging the two names, then removing tmp (now the old file), is as
 * atomic for a reader, leaves the data to the ordinary writeback, and
 * takes 18 us. An absent path fails the exchange (ENOENT) and costs
 * rename nothing; a directory there is put back and left to make rename
 * fail as before. Without RENAME_EXCHANGE (an old kernel, a filesystem
 * without it), and after an fsync (no writeback left to start): rename. */
int
atomicfile_replace(const char *tmp, const char *path, int sync)
{
#ifdef SYS_renameat2
	if (!sync && syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, path,
	    RENAME_EXCHANGE) == 0) {
		if (unlink(tmp) == 0 || errno != EISDIR)
			return 0;
		(void)syscall(SYS_renameat2, AT_FDCWD, tmp, AT_FDCWD, path,
		    RENAME_EXCHANGE);
	}
#else
	(void)sync;
#endif
	return rename(tmp, path);
}

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
	if (atomicfile_replace(tmp, path, flags & ATOMICFILE_SYNC) == -1)
		goto fail;
	return 0;
fail:
	n = errno;
	(void)unlink(tmp);
	errno = n;
	return -1;
}
