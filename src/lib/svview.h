/* svview: what a service directory's supervise says, read once and shown
 * two ways: daemontools' svstat line and the svstat -j JSON object. Both
 * svstat and svweb format through here, so they never disagree.
 *
 *   web: up (pid 4242) 17 seconds, ready; log: up (pid 4243) 17 seconds
 *   {"dir":"web","state":"up","pid":4242,"seconds":17,...,"log":{...}}
 */
#ifndef SVVIEW_H
#define SVVIEW_H

#include <stdint.h>
#include <time.h>

#include "sbuf.h"
#include "svconf.h"
#include "svstatus.h"

/* What one supervise directory said, or why it said nothing. */
struct svview {
	int		ok;		/* st is valid */
	char		err[256];	/* otherwise: why not */
	struct svstatus	st;
	int		normallyup;	/* no ./down file */
	int64_t		checkmax;	/* its check-failures (default 3) */
	int		essential;	/* an ./essential file */
	struct svconf	conf;		/* with SVF_CONFERR: the files invalid
					 * now (conf.bads) */
};

/* A service directory: the service, and its logger when log/supervise
 * exists. */
struct svview_dir {
	struct svview	main;
	int		haslog;
	struct svview	log;
};

int	svview_read(struct svview_dir *, const char *);
int64_t	svview_elapsed(const struct timespec *, const struct timespec *);
const char *svview_want(const struct svstatus *);
int	svview_lastexit(const struct svview *, int *, int *);
void	svview_line(struct sbuf *, const char *, const struct svview_dir *,
	    const struct timespec *);
void	svview_json(struct sbuf *, const char *, const struct svview_dir *,
	    const struct timespec *);

#endif
