/* deadline: the one time arithmetic of every loop. Deadlines are monotonic
 * milliseconds (timefmt_now_ms); NOTIME means "no deadline" and
 * sorts after every other. A poll(2) timeout is taken from a deadline here,
 * never computed by hand; wall-clock stamps (struct timespec) are compared
 * and moved here too. */
#ifndef DEADLINE_H
#define DEADLINE_H

#include <stdint.h>
#include <time.h>

#define NOTIME		INT64_MAX

int64_t	deadline_earliest(int64_t, int64_t);
int	deadline_timeout(int64_t, int64_t);
int	deadline_ts_cmp(const struct timespec *, const struct timespec *);
void	deadline_ts_add_ms(struct timespec *, int64_t);

#endif
