/* spawn: fork and exec with a clean slate: default signal dispositions, an
 * empty signal mask, optionally a new session or process group (and the
 * terminal's foreground), the given descriptors on 0, 1, 2 (and one extra),
 * and nothing else open; the blocking wait for one such child, and a run
 * in the foreground with a time limit (svscan's init and finish). */
#ifndef SPAWN_H
#define SPAWN_H

#include <sys/types.h>
#include <stdint.h>

struct spawn {
	const char	*path;		/* program, run with execv (or execvp) */
	char *const	*argv;
	const char	*cwd;		/* NULL: stay */
	int		 fd[3];		/* for 0, 1, 2; -1 keeps ours */
	int		 extrafd;	/* -1, or moved to extrato */
	int		 extrato;
	int		 setsid;	/* start a new session */
	int		 pgroup;	/* a process group of its own */
	int		 ttyfg;		/* with pgroup: the terminal on fd 0
					 * gives it the foreground */
	int		 usepath;	/* search PATH */
};

void	spawn_init(struct spawn *, const char *, char *const *);
pid_t	spawn_run(const struct spawn *);
pid_t	spawn_wait(pid_t, int *);
int	spawn_foreground(const struct spawn *, int, int64_t, int (*)(int),
	    int *, int *);
void	spawn_tty_back(void);

#endif
