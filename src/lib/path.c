/* path: join "dir/name" with a check for truncation. */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "path.h"

/* buf = "dir/name". 0, or -1 with ENAMETOOLONG when it does not fit (buf
 * then holds ""). */
int
path_join(char *buf, size_t size, const char *dir, const char *name)
{
	int k;

	k = snprintf(buf, size, "%s/%s", dir, name);
	if (k < 0 || (size_t)k >= size) {
		if (size > 0)
			buf[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* 1 if dir/name exists (following symlinks), else 0. */
int
path_exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat sb;

	return path_join(path, sizeof path, dir, name) == 0 &&
	    stat(path, &sb) == 0;
}
