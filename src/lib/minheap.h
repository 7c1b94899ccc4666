/* minheap: a binary min-heap of small integers (indices into the caller's
 * array), ordered by the caller's less(a, b, ctx). Used by svtail to merge
 * several logs by time: the heap holds the sources with a line in hand. */
#ifndef MINHEAP_H
#define MINHEAP_H

#include <stddef.h>

struct minheap {
	int	*v;
	size_t	 n, cap;
	int	(*less)(int, int, void *);
	void	*ctx;
};

int	minheap_init(struct minheap *, size_t, int (*)(int, int, void *),
	    void *);
void	minheap_free(struct minheap *);
int	minheap_push(struct minheap *, int);
int	minheap_pop(struct minheap *);

#endif
