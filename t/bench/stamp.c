/*
 * stamp: the service of t/bench/bench-tree.sh. It reads CLOCK_MONOTONIC
 * first thing in main(), then sends "NS PID CWD" in one datagram to the
 * unix socket named by $STAMP_SOCK, signals readiness if the service
 * directory has a notification-fd file (s6's protocol), writes one line to
 * stdout (for the logger) and sleeps until killed. Built static with musl.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(void)
{
	struct sockaddr_un sa;
	struct timespec ts;
	char cwd[512], msg[640], nb[16];
	const char *sock;
	ssize_t r;
	int fd, n, nfd;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if ((sock = getenv("STAMP_SOCK")) != NULL &&
	    strlen(sock) < sizeof sa.sun_path &&
	    getcwd(cwd, sizeof cwd) != NULL &&
	    (fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) != -1) {
		memset(&sa, 0, sizeof sa);
		sa.sun_family = AF_UNIX;
		strcpy(sa.sun_path, sock);
		n = snprintf(msg, sizeof msg, "%lld %d %s",
		    (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec,
		    (int)getpid(), cwd);
		(void)sendto(fd, msg, (size_t)n, 0, (struct sockaddr *)&sa,
		    sizeof sa);
		close(fd);
	}
	if ((fd = open("notification-fd", O_RDONLY | O_CLOEXEC)) != -1) {
		r = read(fd, nb, sizeof nb - 1);
		close(fd);
		if (r > 0) {
			nb[r] = '\0';
			nfd = atoi(nb);
			if (nfd > 2) {
				(void)!write(nfd, "\n", 1);
				close(nfd);
			}
		}
	}
	(void)!write(1, "stamp: up\n", 10);
	for (;;)
		pause();
}
