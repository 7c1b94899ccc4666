/* path: the one way to join a directory and a name into a bounded buffer,
 * and to ask whether such a path exists; and where a program installed
 * beside our own is. Truncation is an error (ENAMETOOLONG), never a
 * shorter path. */
#ifndef PATH_H
#define PATH_H

#include <stddef.h>

int	path_join(char *, size_t, const char *, const char *);
int	path_exists(const char *, const char *);
int	path_isexec(const char *, const char *);
int	path_beside_self(char *, size_t, const char *, const char *);

#endif
