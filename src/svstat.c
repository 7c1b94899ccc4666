/* svstat: print the status of each service directory, one line per
 * directory, in daemontools' format (-j: one JSON object per line).
 *
 *   svstat [-j] DIR...
 *
 * Reads DIR/supervise/ok (is a supervise running?), DIR/supervise/status
 * (18 bytes from daemontools, 20 from runit, 64 from tend), DIR/down, and
 * the same under DIR/log/ when DIR/log/supervise exists (src/lib/svview.c
 * reads and formats; svweb shares it). Writes nothing.
 * Exit: 0, or the number of directories not reported as supervised (at
 * most 99). */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "diag.h"
#include "sbuf.h"
#include "svview.h"
#include "timefmt.h"
#include "version.h"

#define USAGE	"svstat [-j] DIR..."
#define MAXFAIL	99
#define LINEMAX	(8 * PATH_MAX)	/* one line: dir escaped, two views */

/* One line for dir on stdout. 0 if its supervise runs and was read, -1 if
 * not. */
static int
report(const char *dir, int json, const struct timespec *now)
{
	struct svview_dir d;
	struct sbuf b;
	int r;

	r = svview_read(&d, dir);
	sbuf_init(&b, LINEMAX);
	if (json) {
		svview_json(&b, dir, &d, now);
		sbuf_putc(&b, '\n');
	} else
		svview_line(&b, dir, &d, now);
	if (b.err != 0)
		die_x(EXIT_TEMP, "unable to format the status of %s: %s", dir,
		    diag_errstr(b.err));
	fwrite(b.p, 1, b.len, stdout);
	sbuf_free(&b);
	return r;
}

int
main(int argc, char **argv)
{
	struct timespec now;
	int c, i, json = 0, failed = 0;

	diag_init("svstat");
	opterr = 0;
	while ((c = getopt(argc, argv, ":jhV")) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			diag_help(USAGE);
		case 'V':
			diag_version("svstat");
		default:
			die_usage_why(USAGE, "unknown option", optopt);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		die_usage_why(USAGE, "no directory given", 0);
	timefmt_now(&now);
	for (i = 0; i < argc; i++)
		if (report(argv[i], json, &now) == -1)
			failed++;
	if (fflush(stdout) == EOF || ferror(stdout))
		die_sys(EXIT_TEMP, "unable to write to stdout");
	return failed > MAXFAIL ? MAXFAIL : failed;
}
