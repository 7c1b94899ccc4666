/* svcontrol: the supervise/control and supervise/ok FIFOs, from both sides.
 * A client opens them O_WRONLY|O_NONBLOCK: ENXIO means no supervise reads
 * them (daemontools' and runit's liveness test). */
#ifndef SVCONTROL_H
#define SVCONTROL_H

#include <stddef.h>

/* The control bytes, runit's set (a superset of daemontools'). */
#define SVCONTROL_BYTES	"udopchaiq12tkx"

struct svfifos {
	int	ctl;	/* control, read end, non-blocking */
	int	ctlw;	/* control, our own write end: no EOF when clients go */
	int	ok;	/* ok, read end, held open and never read */
};

int	svcontrol_valid(int);
int	svcontrol_signal(int);
int	svcontrol_send(const char *, const char *, size_t);
int	svcontrol_ok(const char *);
int	svcontrol_open(const char *, struct svfifos *);
void	svcontrol_close(struct svfifos *);

#endif
