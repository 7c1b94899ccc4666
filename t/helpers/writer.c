/*
 * writer PREFIX RATE STATEFILE: a service for t/chaos.sh and t/soak.sh.
 * Writes the lines "PREFIX 1", "PREFIX 2" ... to stdout, RATE lines a
 * second (0: as fast as it can), one write(2) per line. Counts the SIGHUP
 * and SIGALRM it gets. On SIGTERM it finishes the line in hand, writes
 * "last=N hup=H alrm=A" to STATEFILE (replaced atomically) and exits 0.
 * SIGPIPE is left at its default, so a broken pipe kills it; any other
 * write error writes "error=ERRNO last=N" and exits 1. Bad usage: 100.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t nhup, nalrm, term;

static void
onsig(int sig)
{
	if (sig == SIGHUP)
		nhup++;
	else if (sig == SIGALRM)
		nalrm++;
	else
		term = 1;
}

/* Write the state line to path via path.new and rename. */
static void
state(const char *path, const char *line)
{
	char tmp[4096];
	FILE *f;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.new", path) >= sizeof tmp)
		return;
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	fputs(line, f);
	if (fclose(f) == 0)
		(void)rename(tmp, path);
}

int
main(int argc, char **argv)
{
	char buf[256], line[256];
	struct sigaction sa;
	struct timespec next, now;
	long rate, n = 0, i, batch;
	size_t len, off;
	ssize_t w;
	int k;

	if (argc != 4)
		return 100;
	rate = strtol(argv[2], NULL, 10);
	if (rate < 0)
		return 100;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onsig;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* Ticks of 10 ms, each a batch of lines (one line per tick below
	 * 100 lines a second: a tick of 1000/rate ms). */
	batch = rate >= 100 ? rate / 100 : 1;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!term) {
		for (i = 0; i < batch && !term; i++) {
			k = snprintf(buf, sizeof buf, "%s %ld\n", argv[1],
			    n + 1);
			if (k < 0 || (size_t)k >= sizeof buf)
				return 100;
			len = (size_t)k;
			for (off = 0; off < len; off += (size_t)w) {
				w = write(1, buf + off, len - off);
				if (w == -1 && errno == EINTR)
					w = 0;
				else if (w == -1) {
					snprintf(line, sizeof line,
					    "error=%d last=%ld\n", errno, n);
					state(argv[3], line);
					return 1;
				}
			}
			n++;
		}
		if (rate == 0)
			continue;
		next.tv_nsec += rate >= 100 ? 10000000L : 1000000000L / rate;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		while (!term && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
		    &next, NULL) == EINTR)
			;
		/* Blocked long on a full pipe: do not burst to catch up. */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec + 1)
			next = now;
	}
	snprintf(line, sizeof line, "last=%ld hup=%ld alrm=%ld\n", n,
	    (long)nhup, (long)nalrm);
	state(argv[3], line);
	return 0;
}
