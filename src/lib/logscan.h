/* logscan: reading svlog's files fast, from their end or in large blocks:
 * the stamp of the last stamped line of a block, and fixed-string
 * patterns (an extended regular expression with no special character,
 * matched against a line's text as regexec(3) would match it: after the
 * stamp, up to a NUL byte, which ends the string regexec sees).
 * Allocates nothing, touches no file. */
#ifndef LOGSCAN_H
#define LOGSCAN_H

#include <stddef.h>
#include <time.h>

int	logscan_fixed(const char *);
int	logscan_text_has(const char *, size_t, const char *, size_t);
int	logscan_last_stamp(const char *, size_t, struct timespec *);

#endif
