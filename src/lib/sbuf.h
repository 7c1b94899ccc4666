/* sbuf: a bounded, growing output buffer. Text is appended with printf and
 * escaping helpers; past the bound (or on a failed allocation) the buffer
 * stops growing and remembers the failure, so a caller formats freely and
 * checks once at the end. A buffer may also wrap fixed storage (no
 * growth at all). */
#ifndef SBUF_H
#define SBUF_H

#include <stddef.h>

struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* never grow past this many bytes */
	int	 fixed;		/* p is the caller's: never realloc or free */
	int	 err;		/* 0, or the errno of the first failure */
};

void	sbuf_init(struct sbuf *, size_t);
void	sbuf_wrap(struct sbuf *, char *, size_t);
void	sbuf_free(struct sbuf *);
void	sbuf_reset(struct sbuf *);
int	sbuf_add(struct sbuf *, const char *, size_t);
int	sbuf_puts(struct sbuf *, const char *);
int	sbuf_putc(struct sbuf *, int);
int	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	sbuf_json_str(struct sbuf *, const char *, size_t);
int	sbuf_html(struct sbuf *, const char *, size_t);

#endif
