/*
 * svtime [-f] RUNS CMD...: run CMD RUNS times, its output to the file
 * svtime.out here (not /dev/null: GNU grep stops at the first match when
 * its output is /dev/null), and print "MEDIAN_MS MIN_MS MB_READ": wall times from fork to reaping,
 * and the bytes CMD read (rchar of /proc/self/io, to which a reaped
 * child's counts are added; the median run's), in MB. With -f, CMD's
 * output goes into a pipe and the time is to its first whole line; CMD
 * is then killed (svtail -f: the time it takes to start following).
 * For t/bench/bench-svtail.sh. Exit 0, 100 on usage, 111 on failure.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long long
rchar(void)
{
	char buf[512], *p;
	ssize_t n;
	int fd;

	if ((fd = open("/proc/self/io", O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((p = strstr(buf, "rchar: ")) == NULL)
		return -1;
	return atoll(p + 7);
}

int
main(int argc, char **argv)
{
	double t0, ms[101];
	long long r0, rd[101];
	int i, j, runs, follow = 0, p[2], st, null;
	char c;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "-f") == 0) {
		follow = 1;
		argv++;
		argc--;
	}
	if (argc < 3 || (runs = atoi(argv[1])) < 1 || runs > 101) {
		fprintf(stderr, "usage: svtime [-f] RUNS CMD...\n");
		return 100;
	}
	if ((null = open("svtime.out", O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644)) == -1)
		return 111;
	for (i = 0; i < runs; i++) {
		if (follow && pipe(p) == -1)
			return 111;
		r0 = rchar();
		t0 = now_ms();
		if ((pid = fork()) == -1)
			return 111;
		if (pid == 0) {
			if (follow) {
				dup2(p[1], 1);
				close(p[0]);
				close(p[1]);
			} else {
				dup2(null, 1);
				if (ftruncate(1, 0) == -1)
					_exit(127);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (follow) {
			close(p[1]);
			while (read(p[0], &c, 1) == 1 && c != '\n')
				;
			ms[i] = now_ms() - t0;
			kill(pid, SIGTERM);
			close(p[0]);
		}
		while (waitpid(pid, &st, 0) == -1)
			;
		if (!follow)
			ms[i] = now_ms() - t0;
		rd[i] = rchar() - r0;
	}
	/* the median run's bytes: sort the pairs by time */
	for (i = 1; i < runs; i++)
		for (j = i; j > 0 && ms[j] < ms[j - 1]; j--) {
			double t = ms[j];
			long long r = rd[j];

			ms[j] = ms[j - 1];
			rd[j] = rd[j - 1];
			ms[j - 1] = t;
			rd[j - 1] = r;
		}
	printf("%.1f %.1f %.1f\n", ms[runs / 2], ms[0], rd[runs / 2] / 1e6);
	return 0;
}
