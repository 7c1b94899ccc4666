/* tcplisten: parse a numeric listen address, tell a loopback one, and
 * open the socket. Owns no file. */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "num.h"
#include "tcplisten.h"

/* "127.0.0.1:8080", "[::1]:8080" into a; 0, or -1 with EINVAL. The port
 * is 0 to 65535 in decimal (0: one the kernel picks). */
int
tcplisten_parse(const char *spec, struct tcplisten_addr *a)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;
	char host[64];
	const char *colon;
	size_t hl;
	uint64_t port;

	memset(a, 0, sizeof *a);
	if ((colon = strrchr(spec, ':')) == NULL || colon[1] == '\0')
		goto bad;
	if (num_parse_u64(colon + 1, 65535, &port) == -1)
		goto bad;
	hl = (size_t)(colon - spec);
	if (hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']') {
		spec++;
		hl -= 2;
		if (hl >= sizeof host)
			goto bad;
		memcpy(host, spec, hl);
		host[hl] = '\0';
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1)
			goto bad;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)port);
		a->len = sizeof *in6;
		return 0;
	}
	if (hl >= sizeof host)
		goto bad;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	if (inet_pton(AF_INET, host, &in4->sin_addr) != 1)
		goto bad;
	in4->sin_family = AF_INET;
	in4->sin_port = htons((unsigned short)port);
	a->len = sizeof *in4;
	return 0;
bad:
	errno = EINVAL;
	return -1;
}

/* Is a in 127.0.0.0/8 or ::1? */
int
tcplisten_loopback(const struct tcplisten_addr *a)
{
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a->ss;

	if (a->ss.ss_family == AF_INET)
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	return a->ss.ss_family == AF_INET6 &&
	    IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
}

/* A socket bound to a and listening, non-blocking, close-on-exec; or -1
 * with errno. */
int
tcplisten_open(const struct tcplisten_addr *a, int backlog)
{
	int fd, one = 1;

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC |
	    SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	/* A restart must not wait out the old connections' TIME_WAIT. */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) == -1 ||
	    listen(fd, backlog) == -1) {
		fd_close(fd);
		return -1;
	}
	return fd;
}
