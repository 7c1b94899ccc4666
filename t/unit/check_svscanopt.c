/* check_svscanopt: svscan's environment and options, their errors, and
 * the -h text. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svscanopt.h"

static char why[256];

/* Parse a NULL-terminated argv afresh (getopt restarted). */
static int
parse(struct svscanopt *o, char **argv)
{
	int argc;

	for (argc = 0; argv[argc] != NULL; argc++)
		;
	optind = 0;
	why[0] = '\0';
	return svscanopt_parse(o, argc, argv, why, sizeof why);
}

static void
clear_env(void)
{
	unsetenv("SVSCAN_WAIT_READY");
	unsetenv("SVSCAN_READY_REQUIRED");
	unsetenv("SVSCAN_KILL_TIMEOUT");
	unsetenv("SVSCAN_EXIT_OK");
	unsetenv("SVSCAN_SIGNAL_PID");
	unsetenv("SVSCAN_VERBOSE");
}

START_TEST(test_defaults)
{
	char *argv[] = { "svscan", NULL };
	struct svscanopt o;

	clear_env();
	ck_assert_int_eq(parse(&o, argv), 0);
	ck_assert(o.killms == SVSCANOPT_KILL_MS);
	ck_assert(o.readyms == 0);
	ck_assert_int_eq(o.readyreq, 0);
	ck_assert_uint_eq(o.nexitok, 0);
	ck_assert_int_eq(o.sigpid, 0);
	ck_assert_int_eq(o.verbose, 0);
	ck_assert_int_eq(o.help, 0);
	ck_assert_str_eq(o.dir, ".");
	ck_assert_ptr_null(o.cmd);
}
END_TEST

/* The variables, and the options over them. */
START_TEST(test_environment)
{
	char *argv[] = { "svscan", NULL };
	char *argv2[] = { "svscan", "-k", "5", "-e", "9", "-g", NULL };
	struct svscanopt o;

	clear_env();
	setenv("SVSCAN_WAIT_READY", "500", 1);
	setenv("SVSCAN_KILL_TIMEOUT", "1234", 1);
	setenv("SVSCAN_EXIT_OK", "1, 2\t3", 1);
	setenv("SVSCAN_READY_REQUIRED", "", 1);
	setenv("SVSCAN_SIGNAL_PID", "0", 1);
	setenv("SVSCAN_VERBOSE", "yes", 1);
	ck_assert_int_eq(parse(&o, argv), 0);
	ck_assert(o.readyms == 500);
	ck_assert(o.killms == 1234);
	ck_assert_uint_eq(o.nexitok, 3);
	ck_assert_int_eq(o.exitok[0], 1);
	ck_assert_int_eq(o.exitok[1], 2);
	ck_assert_int_eq(o.exitok[2], 3);
	ck_assert_int_eq(o.readyreq, 0);
	ck_assert_int_eq(o.sigpid, 0);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_int_eq(parse(&o, argv2), 0);
	ck_assert(o.killms == 5);
	ck_assert_uint_eq(o.nexitok, 4);
	ck_assert_int_eq(o.exitok[3], 9);
	ck_assert_int_eq(o.sigpid, 1);
}
END_TEST

/* -R alone waits the default time; -r sets it. */
START_TEST(test_ready)
{
	char *argv[] = { "svscan", "-R", NULL };
	char *argv2[] = { "svscan", "-R", "-r", "70", NULL };
	char *none[] = { "svscan", NULL };
	struct svscanopt o;

	clear_env();
	ck_assert_int_eq(parse(&o, argv), 0);
	ck_assert_int_eq(o.readyreq, 1);
	ck_assert(o.readyms == SVSCANOPT_READY_MS);
	ck_assert_int_eq(parse(&o, argv2), 0);
	ck_assert(o.readyms == 70);
	setenv("SVSCAN_READY_REQUIRED", "1", 1);
	ck_assert_int_eq(parse(&o, none), 0);
	ck_assert_int_eq(o.readyreq, 1);
	ck_assert(o.readyms == SVSCANOPT_READY_MS);
}
END_TEST

/* Everything after the first "--" is CMD, options included. */
START_TEST(test_command)
{
	char *argv[] = { "svscan", "-v", "sv", "--", "sh", "-c", "--", NULL };
	char *argv2[] = { "svscan", "sv", "--", NULL };
	struct svscanopt o;

	clear_env();
	ck_assert_int_eq(parse(&o, argv), 0);
	ck_assert_int_eq(o.verbose, 1);
	ck_assert_str_eq(o.dir, "sv");
	ck_assert_ptr_nonnull(o.cmd);
	ck_assert_str_eq(o.cmd[0], "sh");
	ck_assert_str_eq(o.cmd[1], "-c");
	ck_assert_str_eq(o.cmd[2], "--");
	ck_assert_ptr_null(o.cmd[3]);
	ck_assert_int_eq(parse(&o, argv2), SVSCANOPT_BADUSAGE);
	ck_assert_str_eq(why, "no command after --");
}
END_TEST

START_TEST(test_errors)
{
	char *unknown[] = { "svscan", "-x", NULL };
	char *noarg[] = { "svscan", "-r", NULL };
	char *two[] = { "svscan", "a", "b", NULL };
	char *badk[] = { "svscan", "-k", "2147483648", NULL };
	char *bade[] = { "svscan", "-e", "256", NULL };
	char *version[] = { "svscan", "-V", "-x", "a", "b", NULL };
	char *late[] = { "svscan", "-x", "-V", NULL };
	struct svscanopt o;

	clear_env();
	ck_assert_int_eq(parse(&o, unknown), SVSCANOPT_BADUSAGE);
	ck_assert_str_eq(why, "unknown option -x");
	ck_assert_int_eq(parse(&o, noarg), SVSCANOPT_BADUSAGE);
	ck_assert_str_eq(why, "option needs an argument -r");
	ck_assert_int_eq(parse(&o, two), SVSCANOPT_BADUSAGE);
	ck_assert_str_eq(why, "more than one directory");
	ck_assert_int_eq(parse(&o, badk), SVSCANOPT_BAD);
	ck_assert_str_eq(why,
	    "invalid -k: \"2147483648\" (a number from 0 to 2147483647)");
	ck_assert_int_eq(parse(&o, bade), SVSCANOPT_BAD);
	ck_assert_str_eq(why, "invalid -e: \"256\" (a number from 0 to 255)");
	/* -V answers before anything after it is looked at. */
	ck_assert_int_eq(parse(&o, version), SVSCANOPT_VERSION);
	ck_assert_int_eq(parse(&o, late), SVSCANOPT_BADUSAGE);
}
END_TEST

START_TEST(test_env_errors)
{
	char *argv[] = { "svscan", "-h", NULL };
	char big[300];
	struct svscanopt o;

	clear_env();
	setenv("SVSCAN_KILL_TIMEOUT", "abc", 1);
	ck_assert_int_eq(parse(&o, argv), SVSCANOPT_BAD);
	ck_assert_str_eq(why, "invalid SVSCAN_KILL_TIMEOUT: \"abc\" "
	    "(a number from 0 to 2147483647)");
	/* Set but empty: as if unset. */
	setenv("SVSCAN_KILL_TIMEOUT", "", 1);
	ck_assert_int_eq(parse(&o, argv), 0);
	ck_assert(o.killms == SVSCANOPT_KILL_MS);
	memset(big, '1', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	setenv("SVSCAN_EXIT_OK", big, 1);
	ck_assert_int_eq(parse(&o, argv), SVSCANOPT_BAD);
	ck_assert_str_eq(why, "invalid SVSCAN_EXIT_OK: too long");
	setenv("SVSCAN_EXIT_OK",
	    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", 1);
	ck_assert_int_eq(parse(&o, argv), SVSCANOPT_BAD);
	ck_assert_str_eq(why, "more than 16 exit codes for -e");
}
END_TEST

/* -h is a flag: the text shows the values in effect. */
START_TEST(test_help)
{
	char *argv[] = { "svscan", "-h", "-e", "3", "-e", "7", NULL };
	char *plain[] = { "svscan", "-h", NULL };
	char buf[1024], small[64];
	struct svscanopt o;
	int n;

	clear_env();
	setenv("SVSCAN_KILL_TIMEOUT", "1234", 1);
	setenv("SVSCAN_SIGNAL_PID", "1", 1);
	ck_assert_int_eq(parse(&o, argv), 0);
	ck_assert_int_eq(o.help, 1);
	n = svscanopt_help(&o, buf, sizeof buf);
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	ck_assert(strncmp(buf, "usage: " SVSCANOPT_USAGE "\n",
	    strlen("usage: " SVSCANOPT_USAGE "\n")) == 0);
	ck_assert_ptr_nonnull(strstr(buf, "(SVSCAN_KILL_TIMEOUT): 1234\n"));
	ck_assert_ptr_nonnull(strstr(buf, "(SVSCAN_SIGNAL_PID): yes\n"));
	ck_assert_ptr_nonnull(strstr(buf, "(SVSCAN_EXIT_OK): 3 7\n"));
	ck_assert_ptr_nonnull(strstr(buf, "(SVSCAN_VERBOSE): no\n"));
	ck_assert_int_eq(parse(&o, plain), 0);
	ck_assert_int_gt(svscanopt_help(&o, buf, sizeof buf), 0);
	ck_assert_ptr_nonnull(strstr(buf, "(SVSCAN_EXIT_OK): none\n"));
	errno = 0;
	ck_assert_int_eq(svscanopt_help(&o, small, sizeof small), -1);
	ck_assert_int_eq(errno, ENOSPC);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("svscanopt");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_environment);
	tcase_add_test(tc, test_ready);
	tcase_add_test(tc, test_command);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_env_errors);
	tcase_add_test(tc, test_help);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
