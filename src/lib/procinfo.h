/* procinfo: facts about other processes, read from /proc (Linux): used to
 * tell that a pid still names the process a status record speaks of. */
#ifndef PROCINFO_H
#define PROCINFO_H

#include <sys/types.h>

long long	procinfo_starttime(pid_t);
int		procinfo_find_fd(int, dev_t, ino_t, pid_t *);
int		procinfo_is_run(pid_t, long long);
int		procinfo_pidfd(pid_t);

#endif
