/* tcplisten: a listening TCP socket from "ADDR:PORT" ("[ADDR]:PORT" for
 * IPv6), numeric only (no name lookup), non-blocking and close-on-exec
 * from birth. */
#ifndef TCPLISTEN_H
#define TCPLISTEN_H

#include <sys/socket.h>

struct tcplisten_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;
};

int	tcplisten_parse(const char *, struct tcplisten_addr *);
int	tcplisten_loopback(const struct tcplisten_addr *);
int	tcplisten_open(const struct tcplisten_addr *, int);

#endif
