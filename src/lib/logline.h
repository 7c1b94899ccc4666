/* logline: the stamp svlog puts in front of each line, and long lines cut
 * into marked pieces; svtail parses both back.
 *
 *   2026-11-22T03:14:15.123456Z text        a line (ISO 8601 UTC, default)
 *   2026-11-22T03:14:15.123456Z+more text   continues the piece above
 *   @4000000069215e6a07545d70 text          the same with a TAI64N label
 *   2026-11-22T03:14:15.123456Z web: text   with a name (svlog -P web)
 *
 * A piece holds at most "max" bytes of the line; every piece but the last
 * of a split line is followed by one whose separator is LOGLINE_CONT, so
 * a reader can join them back. Any byte but '\n' (NUL, invalid UTF-8) is
 * kept as it is. Formatting allocates nothing. */
#ifndef LOGLINE_H
#define LOGLINE_H

#include <stddef.h>
#include <time.h>

enum logline_mode {
	LOGLINE_ISO = 0,	/* 2026-11-22T03:14:15.123456Z */
	LOGLINE_TAI64N = 1,	/* @4000000069215e6a07545d70 */
	LOGLINE_NONE = 2	/* no stamp, no separator */
};

#define LOGLINE_SEP	' '	/* after the stamp: a line begins */
#define LOGLINE_CONT	'+'	/* after the stamp: continues the line above */
#define LOGLINE_STAMPMAX 32
#define LOGLINE_TAI64N_LEN 25	/* '@' and 24 hex digits */
#define LOGLINE_NAMEMAX	64	/* svlog -P */

struct logline {
	int	mode;		/* enum logline_mode */
	size_t	max;		/* most bytes of a line in one piece, >= 1 */
	int	cont;		/* the next piece continues a split line */
	size_t	prelen;		/* stamp and separator, 0 for LOGLINE_NONE */
	char	stamp[LOGLINE_STAMPMAX];
	const char *name;	/* "NAME: " after the stamp (svlog -P), or NULL */
	size_t	namelen;
};

int	logline_mode_parse(const char *);
size_t	logline_prefix_len(int);
void	logline_init(struct logline *, int, size_t);
void	logline_stamp(struct logline *, const struct timespec *);
int	logline_name(struct logline *, const char *);
size_t	logline_format(struct logline *, const char *, size_t, int, char *,
	    size_t, size_t *);
size_t	logline_parse(const char *, size_t, struct timespec *, int *);

#endif
