/* num: the one decimal number parser of every program and module. Digits
 * only: no leading blanks, no sign unless the range asks for one (a
 * negative min), no trailing garbage, and every value checked against its
 * bounds before it can overflow. Each function returns 0, or -1 with errno
 * EINVAL (not a number of that form) or ERANGE (a number out of bounds),
 * and leaves *v alone on failure. */
#ifndef NUM_H
#define NUM_H

#include <stddef.h>
#include <stdint.h>

int	num_scan(const char *, size_t, uint64_t, uint64_t *, size_t *);
int	num_parse_u64(const char *, uint64_t, uint64_t *);
int	num_parse(const char *, int64_t, int64_t, int64_t *);
int	num_parse_size(const char *, uint64_t, uint64_t *);

#endif
