/* logread: a reader of log files forward, whole lines only, in large
 * blocks (svtail's). A file holding gzip data is read through gzip -dc.
 * logread_grep skips, without parsing them, the lines that do not hold a
 * string every match must hold, found with memmem over the whole block.
 * The buffer grows to hold the longest line met. Returns -1 with errno
 * set; never prints or exits. */
#ifndef LOGREAD_H
#define LOGREAD_H

#include <sys/types.h>
#include <stddef.h>
#include <time.h>

struct logread {
	int	 fd;
	pid_t	 pid;		/* gzip -dc feeding fd, or 0 */
	char	*buf;
	size_t	 cap, start, end;
	off_t	 pos;		/* offset of buf[start] in the file */
	off_t	 limit;		/* stop at this offset; -1 = none */
};

/* Does this line (NUL-terminated, its length) match? */
typedef int (*logread_test)(void *, const char *, size_t);

int	logread_init(struct logread *, size_t);
void	logread_free(struct logread *);
int	logread_is_gzip(int);
pid_t	logread_gunzip(int, int);
int	logread_open(struct logread *, int, off_t, off_t);
int	logread_line(struct logread *, char **, size_t *, int);
int	logread_grep(struct logread *, const char *, size_t, logread_test,
	    void *, char **, size_t *, int, struct timespec *);
void	logread_close(struct logread *, int);

#endif
