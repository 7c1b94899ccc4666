/* minheap: push and pop on an array of cap ints allocated once. */
#include <errno.h>
#include <stdlib.h>

#include "minheap.h"

/* Room for cap entries. 0, or -1 with errno. */
int
minheap_init(struct minheap *h, size_t cap, int (*less)(int, int, void *),
    void *ctx)
{
	h->n = 0;
	h->cap = cap;
	h->less = less;
	h->ctx = ctx;
	if ((h->v = calloc(cap > 0 ? cap : 1, sizeof *h->v)) == NULL)
		return -1;
	return 0;
}

void
minheap_free(struct minheap *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

/* Add x. 0, or -1 with ENOSPC when the heap is full. */
int
minheap_push(struct minheap *h, int x)
{
	size_t i, up;

	if (h->n == h->cap) {
		errno = ENOSPC;
		return -1;
	}
	for (i = h->n++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (!h->less(x, h->v[up], h->ctx))
			break;
		h->v[i] = h->v[up];
	}
	h->v[i] = x;
	return 0;
}

/* Take the least entry out: it, or -1 when the heap is empty. */
int
minheap_pop(struct minheap *h)
{
	size_t i, c;
	int top, x;

	if (h->n == 0)
		return -1;
	top = h->v[0];
	x = h->v[--h->n];
	for (i = 0; (c = 2 * i + 1) < h->n; i = c) {
		if (c + 1 < h->n && h->less(h->v[c + 1], h->v[c], h->ctx))
			c++;
		if (!h->less(h->v[c], x, h->ctx))
			break;
		h->v[i] = h->v[c];
	}
	h->v[i] = x;
	return top;
}
