/* svtab: svscan's table of services. One entry per service directory of
 * the scan directory, keyed by (device, inode) so that a renamed
 * directory keeps its entry (and its supervise); a scan marks what is
 * still there and adds what is new. The entry's status record is judged
 * here too: is it fresh for the supervise we started, ready, down for
 * good. Reads NAME/supervise/status and NAME/down; owns no file. */
#ifndef SVTAB_H
#define SVTAB_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "svstatus.h"

/* A status file written this long before our start still counts as ours
 * (the kernel's file times are coarse). */
#define SVTAB_FRESH_MS	20

struct svtab_entry {
	dev_t		 dev;
	ino_t		 ino;
	char		*name;		/* relative to the scan directory */
	pid_t		 pid;		/* our child supervise, or 0 */
	int		 ctlfd;		/* adopted: its control FIFO, or -1 */
	int		 seen;		/* there at the last scan */
	int		 removed;	/* directory gone: told to exit */
	int		 essential;	/* NAME/essential exists */
	int		 wd;		/* inotify watch of NAME/supervise,
					 * or -1 */
	int64_t		 started;	/* monotonic ms of our last start */
	struct timespec	 startwall;	/* the same, on the real clock */
	int64_t		 retry;		/* start it again then, or NOTIME */
};

struct svtab {
	struct svtab_entry *e;
	size_t		 n, cap;
};

int	svtab_scan(struct svtab *, const char *, size_t *, size_t *);
void	svtab_free(struct svtab *, size_t, int);
void	svtab_clear(struct svtab *, int);
int	svtab_status(const struct svtab_entry *, struct svstatus *);
int	svtab_ready(const struct svtab_entry *);
int	svtab_down_for_good(const struct svtab_entry *, int *);
int	svtab_kill(const char *, const char *);

#endif
