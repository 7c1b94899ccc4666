/* atomicfile: replace a file's whole contents atomically: write PATH.new,
 * optionally fsync, rename over PATH; the temporary is removed on failure. */
#ifndef ATOMICFILE_H
#define ATOMICFILE_H

#include <stddef.h>

#define ATOMICFILE_SYNC	1

int	atomicfile_write(const char *, const void *, size_t, int);

#endif
