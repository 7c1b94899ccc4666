/* logscan: reading svlog's files fast, from their end or by bisection:
 *   logscan_back    the lines of a descriptor, last first, read backwards
 *                   in blocks that grow from LOGSCAN_BLK to LOGSCAN_BLKMAX
 *   logscan_bisect  the first stamped line at or after a time, by
 *                   bisection on the stamps (a file's lines are in time
 *                   order), reading a few KiB per step
 *   logscan_last_stamp  the time of the last stamped line of a block
 *   logscan_must    a string every match of a regular expression holds
 *                   (a prefilter: memmem, then regexec on the lines found)
 *   logscan_fixed, logscan_text_has  fixed-string patterns: an extended
 *                   regular expression with no special character, matched
 *                   against a line's text as regexec(3) would match it:
 *                   after the stamp, up to a NUL byte (which ends the
 *                   string regexec sees)
 * Reads only the descriptors it is given; returns -1 with errno set. */
#ifndef LOGSCAN_H
#define LOGSCAN_H

#include <sys/types.h>
#include <stddef.h>
#include <time.h>

#define LOGSCAN_BLK	65536		/* the first backward read */
#define LOGSCAN_BLKMAX	(1 << 20)	/* the largest */
#define LOGSCAN_BISECT	65536		/* bisect down to this, then read on */

/* A backward reader's buffer: grows to hold the longest line met. */
struct logscan_back {
	char	*buf;
	size_t	 cap;
};

/* Called on each line (NUL put after it, the offset where it begins);
 * nonzero stops the walk. */
typedef int (*logscan_fn)(void *, char *, size_t, off_t);

int	logscan_back(struct logscan_back *, int, off_t, off_t, int,
	    logscan_fn, void *);
void	logscan_back_free(struct logscan_back *);
int	logscan_bisect(int, off_t, const struct timespec *, int, off_t *);
int	logscan_last_stamp(const char *, size_t, struct timespec *);
size_t	logscan_must(const char *, char *);
int	logscan_fixed(const char *);
int	logscan_text_has(const char *, size_t, const char *, size_t);

#endif
