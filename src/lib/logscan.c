/* logscan: fixed-string patterns and stamps found from the end of a block
 * (svtail's fast paths). */
#include <string.h>
#include <time.h>

#include "logline.h"
#include "logscan.h"

/* Does the extended regular expression pat match exactly the strings that
 * hold it as it is: not empty, no special character, no newline? */
int
logscan_fixed(const char *pat)
{
	if (pat[0] == '\0')
		return 0;
	return strpbrk(pat, ".[]()*+?{}|^$\\\n") == NULL;
}

/* Does the text of line[0..len) (after its stamp, before any NUL byte)
 * hold pat[0..patlen)? */
int
logscan_text_has(const char *line, size_t len, const char *pat,
    size_t patlen)
{
	struct timespec ts;
	const char *nul;
	size_t off;
	int cont;

	off = logline_parse(line, len, &ts, &cont);
	line += off;
	len -= off;
	if ((nul = memchr(line, '\0', len)) != NULL)
		len = (size_t)(nul - line);
	return memmem(line, len, pat, patlen) != NULL;
}

/* The time of the last line of buf[0..len) that carries a stamp (lines
 * end with '\n'; the last one may be unterminated). 1 with *ts set, 0 if
 * no line does. */
int
logscan_last_stamp(const char *buf, size_t len, struct timespec *ts)
{
	const char *p;
	size_t end = len, start;
	int cont;

	if (end > 0 && buf[end - 1] == '\n')
		end--;
	for (;;) {
		p = memrchr(buf, '\n', end);
		start = p != NULL ? (size_t)(p - buf) + 1 : 0;
		if (logline_parse(buf + start, end - start, ts, &cont) > 0)
			return 1;
		if (p == NULL)
			return 0;
		end = start - 1;
	}
}
