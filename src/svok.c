/* svok: tell whether a supervise runs on a service directory.
 *
 *   svok DIR
 *
 * Opens DIR/supervise/ok for writing without blocking: that succeeds only
 * while a supervise holds it open for reading. Writes nothing.
 * Exit: 0 running, 100 not running (or usage), 111 any other error. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "diag.h"
#include "svcontrol.h"
#include "version.h"

#define USAGE	"svok DIR"

int
main(int argc, char **argv)
{
	char sdir[PATH_MAX];
	int c, k;

	diag_init("svok");
	opterr = 0;
	while ((c = getopt(argc, argv, ":hV")) != -1) {
		switch (c) {
		case 'h':
			diag_help(USAGE);
		case 'V':
			diag_version("svok");
		default:
			die_usage_why(USAGE, "unknown option", optopt);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		die_usage_why(USAGE, "no directory given", 0);
	if (argc > 1)
		die_usage_why(USAGE, "only one directory allowed", 0);
	k = snprintf(sdir, sizeof sdir, "%s/supervise", argv[0]);
	if (k < 0 || (size_t)k >= sizeof sdir) {
		errno = ENAMETOOLONG;
		die_sys(EXIT_TEMP, "unable to open %s/supervise/ok", argv[0]);
	}
	if (svcontrol_ok(sdir) == 0)
		return 0;
	/* ENOENT: no supervise ever ran here (or no DIR at all); ENXIO: none
	 * holds the FIFO now. Both mean "not running", silently. */
	if (errno == ENXIO || errno == ENOENT)
		return EXIT_USAGE;
	die_sys(EXIT_TEMP, "unable to open %s/supervise/ok", argv[0]);
}
