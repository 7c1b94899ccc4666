/* selfpipe: signals turned into bytes on a pipe, so that one poll() loop
 * sees signals, FIFOs and pipes alike. The process-wide state is the
 * pipe's descriptors, set up once by selfpipe_init(), and the set of
 * signals not at their default, learnt at the first selfpipe_nondefault():
 * after that a program changes dispositions only through selfpipe_trap()
 * and selfpipe_ignore(), so that spawn resets just those in a child. */
#ifndef SELFPIPE_H
#define SELFPIPE_H

#include <stdint.h>

int	selfpipe_init(void);
int	selfpipe_trap(int);
int	selfpipe_ignore(int);
int	selfpipe_read(void);
uint64_t selfpipe_nondefault(void);

#endif
