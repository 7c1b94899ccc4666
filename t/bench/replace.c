/*
 * replace DIR [N]: what it costs to replace a small file that others read,
 * in DIR (issue 13). N times (default 2000) a 64-byte file is written as
 * status.new and put in the place of status, first by rename(2) over it,
 * then by an exchange of the two names (renameat2 RENAME_EXCHANGE) and an
 * unlink of the old file, as src/lib/atomicfile.c does. Prints the median
 * and p90 of each step in microseconds. Not part of make check or make
 * bench: the measurement behind doc/performance.md's note on it.
 */
#include <sys/syscall.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp(const void *a, const void *b)
{
	double d = *(const double *)a - *(const double *)b;

	return d < 0 ? -1 : d > 0;
}

int
main(int argc, char **argv)
{
	static const char *how[] = { "rename over", "exchange + unlink" };
	char buf[64];
	double *w, *r, t0, t1, t2;
	int fd, i, m, n;

	if (argc < 2 || chdir(argv[1]) == -1) {
		fprintf(stderr, "usage: replace DIR [N]\n");
		return 100;
	}
	n = argc > 2 ? atoi(argv[2]) : 2000;
	if (n < 10 || (w = calloc((size_t)n, sizeof *w)) == NULL ||
	    (r = calloc((size_t)n, sizeof *r)) == NULL)
		return 111;
	memset(buf, 'x', sizeof buf);
	for (m = 0; m < 2; m++) {
		if ((fd = open("status", O_WRONLY | O_CREAT | O_TRUNC, 0644)) ==
		    -1 || write(fd, buf, sizeof buf) != sizeof buf)
			return 111;
		close(fd);
		for (i = 0; i < n; i++) {
			t0 = now_us();
			fd = open("status.new", O_WRONLY | O_CREAT | O_TRUNC |
			    O_CLOEXEC, 0644);
			if (fd == -1 || write(fd, buf, sizeof buf) != sizeof buf)
				return 111;
			close(fd);
			t1 = now_us();
			if (m == 0)
				(void)rename("status.new", "status");
			else if (syscall(SYS_renameat2, AT_FDCWD, "status.new",
			    AT_FDCWD, "status", 1 << 1) == 0)
				(void)unlink("status.new");
			else {
				perror("replace: renameat2");
				return 111;
			}
			t2 = now_us();
			w[i] = t1 - t0;
			r[i] = t2 - t1;
		}
		qsort(w, (size_t)n, sizeof *w, cmp);
		qsort(r, (size_t)n, sizeof *r, cmp);
		printf("%-18s write %.1f us (p90 %.1f), replace %.1f us "
		    "(p90 %.1f)\n", how[m], w[n / 2], w[n * 9 / 10], r[n / 2],
		    r[n * 9 / 10]);
	}
	unlink("status");
	return 0;
}
