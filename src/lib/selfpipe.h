/* selfpipe: signals turned into bytes on a pipe, so that one poll() loop
 * sees signals, FIFOs and pipes alike. The pipe's descriptors are the only
 * process-wide state, set up once by selfpipe_init(). */
#ifndef SELFPIPE_H
#define SELFPIPE_H

int	selfpipe_init(void);
int	selfpipe_trap(int);
int	selfpipe_ignore(int);
int	selfpipe_read(void);

#endif
