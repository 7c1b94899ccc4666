/*
 * floor: what the machine allows, measured by t/bench/bench-tree.sh the
 * same way as the supervisors.
 *   floor sup DIR        the least supervisor: fork, exec ./run, waitpid,
 *                        again (no status, no throttle, no signals)
 *   floor spawn DIR...   fork+exec ./run once in each DIR, then sleep
 *   floor kill PID       kill(PID, SIGTERM): the least "svc -t"
 *   floor nop            return at once: the least control command
 * Static musl.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *runargv[] = { "./run", NULL };

int
main(int argc, char **argv)
{
	pid_t pid;
	int i, st;

	if (argc == 2 && strcmp(argv[1], "nop") == 0)
		return 0;
	if (argc == 3 && strcmp(argv[1], "kill") == 0)
		return kill((pid_t)atoi(argv[2]), SIGTERM) == 0 ? 0 : 111;
	if (argc == 3 && strcmp(argv[1], "sup") == 0) {
		if (chdir(argv[2]) == -1)
			return 111;
		for (;;) {
			if ((pid = fork()) == 0) {
				execv("./run", runargv);
				_exit(127);
			}
			if (pid == -1)
				return 111;
			while (waitpid(pid, &st, 0) != pid)
				;
		}
	}
	if (argc >= 3 && strcmp(argv[1], "spawn") == 0) {
		for (i = 2; i < argc; i++)
			if (fork() == 0) {
				if (chdir(argv[i]) == -1)
					_exit(111);
				execv("./run", runargv);
				_exit(127);
			}
		for (;;)
			pause();
	}
	return 100;
}
