/* svcustom: runit's control customisation (DESIGN.md 3) for the service
 * (never its logger): for a control byte, an executable control/LETTER
 * in the service directory runs first, bounded by timeout-finish, and
 * its exit 0 means the byte's signal is not sent; d and x run control/t
 * (for their down signal), then control/d or control/x once the run is
 * stopping; control/u runs before every start (so o means u). Which
 * script goes with which byte is svfsm_prescript and svfsm_postscript.
 * While one runs, control bytes wait in order (runsv waits for its
 * scripts too), first those already read, then the FIFO. */
#ifndef SVCUSTOM_H
#define SVCUSTOM_H

#include <sys/types.h>
#include <stdint.h>

#include "svproc.h"

int	svcustom_start(struct svproc *, int, int, int64_t);
int	svcustom_ended(struct svproc *, pid_t, int, int64_t, int *);
int	svcustom_next(struct svproc *);
void	svcustom_push(struct svproc *, int);
int	svcustom_overdue(const struct svproc *, int64_t);

#endif
