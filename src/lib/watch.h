/* watch: the one loop that reads inotify events. A caller keeps a struct
 * watch_buf and takes events one at a time with watch_next() until it
 * says there are no more, so that no caller walks the kernel's packed
 * records (each a header and a name of ev.len bytes) by hand. Owns no
 * file. */
#ifndef WATCH_H
#define WATCH_H

#include <sys/types.h>
#include <sys/inotify.h>

/* Events read but not yet handed out: [off, n) of buf. Headers are
 * copied out, never cast in place, so buf needs no alignment. */
struct watch_buf {
	char	buf[4096];
	ssize_t	n, off;
};

void	watch_buf_init(struct watch_buf *);
int	watch_next(int, struct watch_buf *, struct inotify_event *,
	    const char **);

#endif
