/*
 * probe FILE: write what a supervised process inherited to FILE, then
 * one line "probe" to stdout, then wait for a signal:
 *   pid=N sid=N pgid=N
 *   fds=0 1 2            (every open descriptor but the one reading /proc)
 *   stdin=TARGET stdout=TARGET
 *   blocked=N ignored=N  (signals blocked, signals ignored; want 0 0)
 *   SigBlk:... SigIgn:... (the kernel's view, from /proc/self/status)
 * Exit 111 if FILE cannot be written.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char line[256], target[256];
	struct sigaction sa;
	struct dirent *de;
	sigset_t set;
	ssize_t n;
	FILE *f, *st;
	DIR *d;
	int sig, blocked = 0, ignored = 0, first = 1;

	if (argc != 2)
		return 100;
	/* Collect everything before opening FILE, which takes a descriptor. */
	sigprocmask(SIG_BLOCK, NULL, &set);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigismember(&set, sig) == 1)
			blocked++;
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			ignored++;
	}
	if ((f = fopen(argv[1], "w")) == NULL)
		return 111;
	fprintf(f, "pid=%ld sid=%ld pgid=%ld\n", (long)getpid(),
	    (long)getsid(0), (long)getpgid(0));
	fprintf(f, "fds=");
	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			int fd = atoi(de->d_name);

			if (de->d_name[0] == '.' || fd == dirfd(d) ||
			    fd == fileno(f))
				continue;
			fprintf(f, first ? "%d" : " %d", fd);
			first = 0;
		}
		closedir(d);
	}
	fprintf(f, "\n");
	n = readlink("/proc/self/fd/0", target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	fprintf(f, "stdin=%s", target);
	n = readlink("/proc/self/fd/1", target, sizeof target - 1);
	target[n > 0 ? n : 0] = '\0';
	fprintf(f, " stdout=%s\n", target);
	fprintf(f, "blocked=%d ignored=%d\n", blocked, ignored);
	if ((st = fopen("/proc/self/status", "r")) != NULL) {
		while (fgets(line, sizeof line, st) != NULL)
			if (strncmp(line, "SigBlk:", 7) == 0 ||
			    strncmp(line, "SigIgn:", 7) == 0)
				fputs(line, f);
		fclose(st);
	}
	if (fclose(f) != 0)
		return 111;
	printf("probe\n");
	fflush(stdout);
	for (;;)
		pause();
}
