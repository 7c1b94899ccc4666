/* num: bounded decimal numbers, whole strings or leading digits, and sizes
 * with a k/M/G suffix. Pure functions: no allocation, no state, safe in a
 * child between fork and exec. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "num.h"

/*
 * The decimal digits at the start of s, looking at no more than len bytes:
 * their value (0..max) in *v and how many digits there were in *used. At
 * least one digit; it stops at the first byte that is not one, which the
 * caller judges. -1 with EINVAL (no digit) or ERANGE (more than max).
 */
int
num_scan(const char *s, size_t len, uint64_t max, uint64_t *v, size_t *used)
{
	uint64_t n = 0, d;
	size_t i;

	for (i = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		d = (uint64_t)(s[i] - '0');
		/* n * 10 + d must not pass max (nor wrap). */
		if (max < d || n > (max - d) / 10) {
			errno = ERANGE;
			return -1;
		}
		n = n * 10 + d;
	}
	if (i == 0) {
		errno = EINVAL;
		return -1;
	}
	*v = n;
	*used = i;
	return 0;
}

/* All of s as a decimal number from 0 to max. */
int
num_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	size_t len = strlen(s), used;
	uint64_t n;

	if (num_scan(s, len, max, &n, &used) == -1)
		return -1;
	if (used != len) {
		errno = EINVAL;
		return -1;
	}
	*v = n;
	return 0;
}

/* All of s as a decimal number from min to max; a leading '-' or '+' only
 * when min is negative (the range asks for a sign). */
int
num_parse(const char *s, int64_t min, int64_t max, int64_t *v)
{
	uint64_t n, lim;
	int64_t r;
	int neg = 0;

	if (min > max) {
		errno = ERANGE;
		return -1;
	}
	if (min < 0 && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	/* The magnitude allowed, computed without overflowing INT64_MIN. */
	if (neg)
		lim = (uint64_t)(-(min + 1)) + 1;
	else
		lim = max < 0 ? 0 : (uint64_t)max;
	if (num_parse_u64(s, lim, &n) == -1)
		return -1;
	if (neg)
		r = n == 0 ? 0 : -(int64_t)(n - 1) - 1;
	else
		r = (int64_t)n;
	if (r < min || r > max) {
		errno = ERANGE;
		return -1;
	}
	*v = r;
	return 0;
}

/* A size from 0 to max: digits and an optional binary suffix, k or K
 * (1024), m or M (1024^2), g or G (1024^3). */
int
num_parse_size(const char *s, uint64_t max, uint64_t *v)
{
	size_t len = strlen(s), used;
	uint64_t n;
	int shift = 0;

	if (num_scan(s, len, UINT64_MAX, &n, &used) == -1)
		return -1;
	switch (s[used]) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if (shift != 0 && s[used + 1] != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (n > (max >> shift)) {
		errno = ERANGE;
		return -1;
	}
	*v = n << shift;
	return 0;
}
