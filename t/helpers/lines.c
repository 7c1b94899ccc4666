/*
 * lines FIRST LAST [PREFIX [PAUSE_US]]: write the lines "PREFIX<FIRST>" ..
 * "PREFIX<LAST>" to stdout with write(2), one line per call, sleeping
 * PAUSE_US microseconds every 100 lines. SIGPIPE is left at its default, so a broken pipe kills
 * it (the tests look for that). Exit 0 when every byte was written, 1 on a
 * write error, 100 on bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char buf[256];
	const char *prefix = "";
	struct timespec ts;
	long i, first, last, pause_us = 0;
	size_t len, off;
	ssize_t w;
	int k;

	if (argc < 3 || argc > 5)
		return 100;
	first = strtol(argv[1], NULL, 10);
	last = strtol(argv[2], NULL, 10);
	if (argc > 3)
		prefix = argv[3];
	if (argc > 4)
		pause_us = strtol(argv[4], NULL, 10);
	for (i = first; i <= last; i++) {
		k = snprintf(buf, sizeof buf, "%s%ld\n", prefix, i);
		if (k < 0 || (size_t)k >= sizeof buf)
			return 100;
		len = (size_t)k;
		for (off = 0; off < len; off += (size_t)w) {
			w = write(1, buf + off, len - off);
			if (w == -1 && errno == EINTR)
				w = 0;
			else if (w == -1)
				return 1;
		}
		if (pause_us > 0 && i % 100 == 0) {
			ts.tv_sec = pause_us / 1000000;
			ts.tv_nsec = (pause_us % 1000000) * 1000;
			nanosleep(&ts, NULL);
		}
	}
	return 0;
}
