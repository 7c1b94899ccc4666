/* timefmt: TAI64N labels (djb's: 2^62 + 10 + unix seconds), ISO 8601 UTC
 * stamps with microseconds, durations, and the monotonic clock in ms. */
#ifndef TIMEFMT_H
#define TIMEFMT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TAI64N_LEN	12
#define ISO_LEN		27	/* 2026-11-22T03:14:15.123456Z */
#define TAI64_OFFSET	(((uint64_t)1 << 62) + 10)

void	timefmt_tai64n_pack(unsigned char *, const struct timespec *);
void	timefmt_tai64n_unpack(const unsigned char *, struct timespec *);
size_t	timefmt_iso(char *, const struct timespec *);
size_t	timefmt_iso_compact(char *, const struct timespec *);
int	timefmt_iso_parse(const char *, size_t, struct timespec *);
int	timefmt_duration_parse(const char *, int64_t *);
int64_t	timefmt_days_from_civil(int64_t, unsigned, unsigned);
void	timefmt_civil_from_days(int64_t, int64_t *, unsigned *, unsigned *);
int64_t	timefmt_now_ms(void);
void	timefmt_now(struct timespec *);

#endif
