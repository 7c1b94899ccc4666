/* svpage: svweb's renderings of a tree of services, into an sbuf: the
 * status page (HTML with its CSS and script inline), one service's page,
 * the svstat -j array, and Prometheus text exposition format 0.0.4. */
#ifndef SVPAGE_H
#define SVPAGE_H

#include <stddef.h>
#include <time.h>

#include "sbuf.h"
#include "svview.h"

/* One service as a page shows it. */
struct svpage_svc {
	const char	*name;		/* its directory's name in DIR */
	struct svview_dir d;
	long		 restarts_hour;	/* from history; -1 unknown */
	const char	*log;		/* its last log lines, or NULL */
	size_t		 loglen;
	const char	*checkout;	/* supervise/check.out, or NULL */
	size_t		 checklen;
};

void	svpage_json(struct sbuf *, const struct svpage_svc *, size_t,
	    const struct timespec *);
void	svpage_metrics(struct sbuf *, const struct svpage_svc *, size_t,
	    const struct timespec *);
void	svpage_index(struct sbuf *, const char *, const struct svpage_svc *,
	    size_t, const struct timespec *);
void	svpage_service(struct sbuf *, const struct svpage_svc *,
	    const char *, size_t, const struct timespec *);
const char *svpage_health(const struct svview_dir *);
long	svpage_conferrs(const struct svview *);
void	svpage_duration(struct sbuf *, long long);

#endif
