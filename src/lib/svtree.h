/* svtree: the services of a scan directory as svweb reads them, afresh on
 * each call: their names (what svscan would supervise), one service's
 * status with its restarts in the last hour, its last log lines, and the
 * tail of its history. Names are relative to the working directory. */
#ifndef SVTREE_H
#define SVTREE_H

#include <sys/types.h>
#include <limits.h>
#include <stddef.h>
#include <time.h>

#include "sbuf.h"
#include "svpage.h"

typedef char svtree_name[NAME_MAX + 1];

ssize_t	svtree_list(const char *, svtree_name *, size_t);
const char *svtree_find(svtree_name *, size_t, const char *, size_t);
void	svtree_read(struct svpage_svc *, const char *);
long	svtree_restarts(const char *, const struct timespec *);
size_t	svtree_log(const char *, size_t, char *, size_t);
int	svtree_history(const char *, size_t, struct sbuf *, size_t *);

#endif
