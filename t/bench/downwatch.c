/*
 * downwatch DIR: the status reader of t/bench/bench-tree.sh's "svc -d ->
 * a status reader sees down" row, the same for every suite. It watches
 * the supervise directory DIR with inotify (IN_CLOSE_WRITE and
 * IN_MOVED_TO: every way a file there is completed, in place or by a
 * rename), prints "ready" once the watch is set, and at each wake-up reads
 * DIR/status and decodes it as the suite's svstat would: 18 bytes
 * (daemontools) pid 0; 20 or 64 (runit, tend) state byte 19 is 0; 35
 * (s6) 64-bit pid 0. When it says down it prints "NS WAKEUPS READS" (the
 * CLOCK_MONOTONIC ns when it read it, the wake-ups and status reads it
 * took) and exits 0; 111 on failure, 100 on usage. Static musl.
 */
#include <sys/inotify.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 1 if the status record in b (n bytes) says down, 0 if not, -1 if it is
 * no record we know. */
static int
isdown(const unsigned char *b, ssize_t n)
{
	int i;

	if (n == 18)
		return (b[12] | b[13] | b[14] | b[15]) == 0;
	if (n == 35) {
		for (i = 24; i < 32; i++)
			if (b[i] != 0)
				return 0;
		return 1;
	}
	if (n >= 20)
		return b[19] == 0;
	return -1;
}

int
main(int argc, char **argv)
{
	char path[4096], ev[4096];
	unsigned char b[128];
	struct timespec ts;
	unsigned wakeups = 0, reads = 0;
	ssize_t n;
	int fd, in;

	if (argc != 2)
		return 100;
	if (snprintf(path, sizeof path, "%s/status", argv[1]) >=
	    (int)sizeof path)
		return 100;
	if ((in = inotify_init1(IN_CLOEXEC)) == -1 ||
	    inotify_add_watch(in, argv[1], IN_CLOSE_WRITE | IN_MOVED_TO) == -1)
		return 111;
	(void)!write(1, "ready\n", 6);
	for (;;) {
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
			n = read(fd, b, sizeof b);
			close(fd);
			reads++;
			if (isdown(b, n) == 1)
				break;
		}
		if (read(in, ev, sizeof ev) <= 0)
			return 111;
		wakeups++;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("%lld %u %u\n", (long long)ts.tv_sec * 1000000000LL +
	    ts.tv_nsec, wakeups, reads);
	return 0;
}
