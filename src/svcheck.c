/*
 * svcheck DIR...: validate service directories without starting anything.
 * One line on stdout per problem, naming the file and the bad value:
 *
 *   svcheck: sv/web/timeout-kill: not a number: "abc"
 *
 * The checks are those of src/lib/svcheck.c, which supervise shares.
 * Exit: 0 every directory clean, 1 problems found, 100 usage, 111 some
 * directory could not be checked (named on stderr). Owns no file.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "svcheck.h"
#include "version.h"

#define USAGE	"svcheck DIR..."

/* svcheck_dir's callback: print one problem of the directory in arg. */
static void
report(void *arg, const char *file, const char *what)
{
	const char *dir = arg;

	if (file[0] == '\0')
		printf("svcheck: %s: %s\n", dir, what);
	else
		printf("svcheck: %s/%s: %s\n", dir, file, what);
}

int
main(int argc, char **argv)
{
	int c, i, n, problems = 0, failed = 0;
	char dir[4096];
	size_t len;

	diag_init("svcheck");
	opterr = 0;
	while ((c = getopt(argc, argv, ":hV")) != -1) {
		switch (c) {
		case 'h':
			diag_help(USAGE);
		case 'V':
			diag_version("svcheck");
		default:
			die_usage_why(USAGE, "unknown option", optopt);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		die_usage_why(USAGE, "no directory given", 0);
	for (i = 0; i < argc; i++) {
		/* "sv/web/" names its files "sv/web/run", not "sv/web//run". */
		len = strlen(argv[i]);
		while (len > 1 && argv[i][len - 1] == '/')
			len--;
		if (len >= sizeof dir) {
			errno = ENAMETOOLONG;
			warn_sys("unable to check %s", argv[i]);
			failed = 1;
			continue;
		}
		memcpy(dir, argv[i], len);
		dir[len] = '\0';
		if ((n = svcheck_dir(dir, report, dir)) == -1) {
			warn_sys("unable to check %s", dir);
			failed = 1;
			continue;
		}
		problems += n;
	}
	if (fflush(stdout) != 0)
		die_sys(EXIT_TEMP, "unable to write to stdout");
	if (failed)
		return EXIT_TEMP;
	return problems > 0 ? 1 : 0;
}
