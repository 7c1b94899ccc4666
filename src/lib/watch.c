/* watch: inotify events taken one at a time from a non-blocking
 * descriptor, through a buffer the caller owns. */
#include <sys/types.h>
#include <sys/inotify.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "watch.h"

/* An empty buffer: the first watch_next() reads. */
void
watch_buf_init(struct watch_buf *b)
{
	b->n = b->off = 0;
}

/*
 * The next event of ifd (opened IN_NONBLOCK) in *ev, and its name in
 * *name ("" when the event has none; the kernel pads names with NULs).
 * Returns 1 for an event, 0 when none is left to read (EAGAIN), -1 with
 * errno when the read failed (the caller stops watching).
 */
int
watch_next(int ifd, struct watch_buf *b, struct inotify_event *ev,
    const char **name)
{
	ssize_t r;

	if (b->off + (ssize_t)sizeof *ev > b->n) {
		while ((r = read(ifd, b->buf, sizeof b->buf)) == -1 &&
		    errno == EINTR)
			;
		b->n = b->off = 0;
		if (r == -1 && errno == EAGAIN)
			return 0;
		if (r == -1)
			return -1;
		if (r < (ssize_t)sizeof *ev)
			return 0;
		b->n = r;
	}
	/* The records are packed: copy the header out rather than cast. */
	memcpy(ev, b->buf + b->off, sizeof *ev);
	if (ev->len > (size_t)(b->n - b->off) - sizeof *ev) {
		b->n = b->off = 0;	/* never from the kernel: a cut event */
		errno = EIO;
		return -1;
	}
	*name = ev->len > 0 ? b->buf + b->off + sizeof *ev : "";
	b->off += (ssize_t)sizeof *ev + (ssize_t)ev->len;
	return 1;
}
