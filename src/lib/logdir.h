/* logdir: the rotated files of a log directory and how many are kept.
 *
 *   @20261122T031415.123456Z.s   closed cleanly (rotated by size or ALRM)
 *   @20261122T031415.123456Z.u   salvaged: a current left by a crash
 *
 * The stamp is the time of the rotation, in UTC, so names sort in time
 * order; logdir_next_stamp() keeps them unique and increasing even when
 * the clock stands still or steps back. Names of the lineage's loggers
 * (@ and a 24-digit TAI64N label, multilog and svlogd) are read too. */
#ifndef LOGDIR_H
#define LOGDIR_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define LOGDIR_NAMELEN	26	/* "@20261122T031415.123456Z.s" */
#define LOGDIR_NAMEMAX	64	/* room for any name logdir_name_parse takes */

struct logdir_scan {
	size_t		count;			/* rotated files */
	char		oldest[LOGDIR_NAMEMAX];	/* "" when count is 0 */
	struct timespec	oldest_ts;
	char		newest[LOGDIR_NAMEMAX];
	struct timespec	newest_ts;
};

size_t	logdir_name(char *, const struct timespec *, char);
int	logdir_name_parse(const char *, struct timespec *, char *);
int	logdir_name_cmp(const char *, const char *);
void	logdir_next_stamp(struct timespec *, const struct timespec *);
int	logdir_scan(const char *, struct logdir_scan *);
int	logdir_expired(const struct logdir_scan *, size_t, int64_t,
	    const struct timespec *);
int	logdir_trim(const char *, size_t, int64_t, const struct timespec *,
	    struct logdir_scan *);

ssize_t	logdir_tail(const char *, size_t, char *, size_t);

#endif
