/* svhealth: ./check for one supervised process (DESIGN.md 2.1): when it
 * runs (at once after a start, then on svfsm_checkdelay's schedule until
 * it passes; every check-interval once ready), what its end means
 * (svfsm_checked: ready, unhealthy), its output kept in check.out, its
 * history records. supervise (src/supervise.c) reaps it, stops an
 * unhealthy run and reports a failed spawn. */
#ifndef SVHEALTH_H
#define SVHEALTH_H

#include <stdint.h>

#include "svproc.h"

#define SVHEALTH_OUT_MAX	4096	/* bytes of its output kept */

int	svhealth_exists(const struct svproc *);
int	svhealth_started(struct svproc *, int, int64_t);
int	svhealth_adopted(struct svproc *, int64_t);
pid_t	svhealth_run(struct svproc *, int, int64_t);
int	svhealth_ended(struct svproc *, int, int64_t);
int	svhealth_due(struct svproc *, int64_t);
void	svhealth_cancel(struct svproc *);

#endif
