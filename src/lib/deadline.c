/* deadline: poll timeouts from deadlines, and timespec arithmetic. */
#include <limits.h>
#include <stdint.h>
#include <time.h>

#include "deadline.h"

/* The earlier of two deadlines. */
int64_t
deadline_earliest(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

/* poll()'s timeout for deadline at time now (both ms): -1 for none, 0 once
 * it has passed, else the ms left, capped at INT_MAX. */
int
deadline_timeout(int64_t deadline, int64_t now)
{
	if (deadline == NOTIME)
		return -1;
	if (deadline <= now)
		return 0;
	return deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
}

/* -1, 0 or 1 as a is before, at or after b. */
int
deadline_ts_cmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	if (a->tv_nsec != b->tv_nsec)
		return a->tv_nsec < b->tv_nsec ? -1 : 1;
	return 0;
}

/* Move ts by ms milliseconds (negative: back), keeping 0 <= tv_nsec < 1e9. */
void
deadline_ts_add_ms(struct timespec *ts, int64_t ms)
{
	int64_t ns = (int64_t)ts->tv_nsec + (ms % 1000) * 1000000;

	ts->tv_sec += (time_t)(ms / 1000);
	if (ns < 0) {
		ns += 1000000000;
		ts->tv_sec--;
	} else if (ns >= 1000000000) {
		ns -= 1000000000;
		ts->tv_sec++;
	}
	ts->tv_nsec = (long)ns;
}
