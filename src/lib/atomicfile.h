/* atomicfile: replace a file's whole contents atomically: write PATH.new,
 * optionally fsync (ATOMICFILE_SYNC), then put it in PATH's place: by an
 * exchange of the two names and the removal of the old file when PATH
 * exists and there was no fsync, else by rename. A reader sees the
 * old file whole or the new one whole, never a mix or no file; the
 * temporary is removed on failure. */
#ifndef ATOMICFILE_H
#define ATOMICFILE_H

#include <stddef.h>

#define ATOMICFILE_SYNC	1

int	atomicfile_write(const char *, const void *, size_t, int);
/* Put the complete file TMP in PATH's place, the same way (sync: TMP's
 * data was fsynced, so rename); 0, or -1 with errno and TMP left. */
int	atomicfile_replace(const char *, const char *, int);

#endif
