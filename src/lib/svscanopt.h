/* svscanopt: svscan's command line and environment. The environment is
 * read first (SVSCAN_WAIT_READY, SVSCAN_READY_REQUIRED,
 * SVSCAN_KILL_TIMEOUT, SVSCAN_EXIT_OK, SVSCAN_SIGNAL_PID, SVSCAN_VERBOSE),
 * then the options over it; everything after the first "--" is the main
 * command. Nothing is printed here: an error comes back as one line for
 * svscan to say, and -h as a flag with the text to show (the values in
 * effect). Owns no file. */
#ifndef SVSCANOPT_H
#define SVSCANOPT_H

#include <stddef.h>
#include <stdint.h>

#include "shutdown.h"

#define SVSCANOPT_USAGE	"svscan [-r ms] [-R] [-k ms] [-e N] [-g] [-v] " \
			"[DIR] [-- CMD ARG...]"
#define SVSCANOPT_EXITOK_MAX	SHUTDOWN_EXITOK_MAX
#define SVSCANOPT_KILL_MS	9000	/* -k: docker stop's 10 s, 1 to spare */
#define SVSCANOPT_READY_MS	10000	/* -R without -r */

/* What svscanopt_parse returns besides 0. */
#define SVSCANOPT_VERSION	1	/* -V */
#define SVSCANOPT_BAD		(-1)	/* why says what is wrong */
#define SVSCANOPT_BADUSAGE	(-2)	/* the same, and the usage follows */

struct svscanopt {
	int64_t	 readyms;	/* -r: wait this long for readiness; 0 = not */
	int	 readyreq;	/* -R: not ready in time is fatal */
	int64_t	 killms;	/* -k: the overall shutdown deadline */
	int	 exitok[SVSCANOPT_EXITOK_MAX];	/* -e: CMD codes that mean 0 */
	size_t	 nexitok;
	int	 sigpid;	/* -g: signals to CMD's pid, not its group */
	int	 verbose;	/* -v */
	int	 help;		/* -h: show svscanopt_help, exit 0 */
	const char *dir;
	char	**cmd;		/* the main command, or NULL */
};

int	svscanopt_parse(struct svscanopt *, int, char **, char *, size_t);
int	svscanopt_help(const struct svscanopt *, char *, size_t);

#endif
