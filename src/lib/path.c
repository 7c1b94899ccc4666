/* path: join "dir/name" with a check for truncation; programs beside
 * our own. */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* 1 if dir/name is executable for us, else 0. For supervise's short
 * relative paths (./check, control/t): a longer one than 255 bytes reads
 * as not executable. The buffer is small on purpose: this runs at every
 * restart, and each page of stack touched stays dirty. */
int
path_isexec(const char *dir, const char *name)
{
	char path[256];

	return path_join(path, sizeof path, dir, name) == 0 &&
	    access(path, X_OK) == 0;
}

/* buf = name in the directory of our own executable (/proc/self/exe, or
 * argv0 when that has a '/'), if it is executable there: svscan finds the
 * supervise it came with. 0, or -1 with errno (ENOENT: no such
 * directory known; ENAMETOOLONG; access()'s error). */
int
path_beside_self(char *buf, size_t size, const char *argv0,
    const char *name)
{
	char self[PATH_MAX], *slash;
	ssize_t n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0)
		self[n] = '\0';
	else if (strchr(argv0, '/') != NULL && strlen(argv0) < sizeof self)
		strcpy(self, argv0);
	else
		self[0] = '\0';
	if ((slash = strrchr(self, '/')) == NULL) {
		errno = ENOENT;
		return -1;
	}
	*slash = '\0';
	if (path_join(buf, size, self, name) == -1)
		return -1;
	return access(buf, X_OK);
}
