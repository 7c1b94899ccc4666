/* svcheck: validate a service directory without starting anything, as
 * DESIGN.md section 8 lists: run present and executable, with its #!
 * interpreter present (finish, check, control/ scripts, log/run, log/finish
 * and log/check alike); control/ holding only names supervise runs; every
 * one-value config file parses (read with svconf's own parsers); health
 * settings that would be ignored (no check, ready-timeout that cannot
 * apply, log/essential); log/run present when log/ is; down-signal a known
 * signal; the supervise directories creatable and writable. Checks are made with the rights of the caller: run it as
 * the user supervise runs as.
 *
 * Problems go to a callback, one call each, never printed here:
 *   file     relative to the service directory ("run", "log/timeout-kill")
 *   problem  a phrase ("not a number: \"abc\"") */
#ifndef SVCHECK_H
#define SVCHECK_H

#include <stddef.h>

enum svcheck_progerr {
	SVCHECK_OK,		/* present, executable, interpreter present */
	SVCHECK_MISSING,	/* no such file */
	SVCHECK_NOTFILE,	/* not a regular file */
	SVCHECK_NOTEXEC,	/* not executable by us */
	SVCHECK_NOINTERP,	/* its #! interpreter does not exist */
	SVCHECK_INTERPNOTEXEC	/* its #! interpreter is not executable */
};

#define SVCHECK_INTERP_MAX	256	/* the kernel reads no more of #! */

struct svcheck_prog {
	int	problem;		/* enum svcheck_progerr */
	char	interp[SVCHECK_INTERP_MAX];	/* #!'s, control bytes as \xHH */
};

typedef void	(*svcheck_fn)(void *, const char *, const char *);

int	svcheck_prog(const char *, const char *, struct svcheck_prog *);
const char *svcheck_prog_word(int);
void	svcheck_prog_text(const struct svcheck_prog *, char *, size_t);
void	svcheck_prog_kv(const struct svcheck_prog *, const char *, char *,
	    size_t);
int	svcheck_dir(const char *, svcheck_fn, void *);

#endif
