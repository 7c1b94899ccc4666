/* check_shutdown: svscan's container rules, without processes or clocks. */
#include <sys/types.h>
#include <sys/wait.h>

#include <check.h>
#include <signal.h>
#include <stdlib.h>

#include "shutdown.h"

#define K	9000	/* the overall deadline in these tests */

/* No CMD: TERM stops the services at once and arms the deadline. */
START_TEST(test_term_without_cmd)
{
	struct shutdown sd;

	shutdown_init(&sd, K, 0);
	ck_assert_int_eq(shutdown_next(&sd), NOTIME);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGTERM, 100), SD_STOP_ALL);
	ck_assert_int_eq(sd.cause, SD_SIGNAL);
	ck_assert_int_eq(shutdown_next(&sd), 100 + K);
	/* A second TERM changes nothing, nor the deadline. */
	ck_assert_uint_eq(shutdown_signal(&sd, SIGTERM, 500), 0);
	ck_assert_int_eq(shutdown_next(&sd), 100 + K);
	ck_assert_uint_eq(shutdown_tick(&sd, 100 + K - 1), 0);
	ck_assert_uint_eq(shutdown_tick(&sd, 100 + K), SD_KILL);
	ck_assert_int_eq(shutdown_next(&sd), 100 + K + SHUTDOWN_HARD_MS);
	ck_assert_uint_eq(shutdown_tick(&sd, 100 + K + SHUTDOWN_HARD_MS),
	    SD_KILL_HARD);
	ck_assert_int_eq(shutdown_next(&sd), NOTIME);
	ck_assert_int_eq(shutdown_status(&sd), 0);
	sd.killed = 1;
	ck_assert_int_eq(shutdown_status(&sd), 1);
}
END_TEST

/* No CMD: the other signals. */
START_TEST(test_signals_without_cmd)
{
	struct shutdown sd;

	shutdown_init(&sd, K, 0);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGHUP, 0), SD_RESCAN);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGALRM, 0), SD_RESCAN);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGCHLD, 0), 0);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGUSR1, 0), 0);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGWINCH, 0), 0);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGCONT, 0), 0);
	ck_assert_int_eq(sd.cause, SD_NONE);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGQUIT, 0), SD_STOP_ALL);
	shutdown_init(&sd, K, 0);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGINT, 0), SD_STOP_ALL);
#ifdef SIGPWR
	shutdown_init(&sd, K, 0);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGPWR, 0), SD_STOP_ALL);
#endif
}
END_TEST

/* With CMD: signals go on to it; TERM starts the deadline but the
 * services stay until CMD exits. */
START_TEST(test_term_forwarded)
{
	struct shutdown sd;

	shutdown_init(&sd, K, 1);
	(void)shutdown_cmd_started(&sd);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGUSR1, 0), SD_FORWARD);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGHUP, 0), SD_FORWARD);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGWINCH, 0), SD_FORWARD);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGALRM, 0), SD_RESCAN);
	ck_assert_int_eq(shutdown_next(&sd), NOTIME);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGTERM, 1000), SD_FORWARD);
	ck_assert_int_eq(sd.stopping, 0);
	/* The services at half the deadline at the latest... */
	ck_assert_int_eq(shutdown_next(&sd), 1000 + K / 2);
	/* ...or as soon as CMD is gone. */
	ck_assert_uint_eq(shutdown_cmd_exited(&sd, 143, 2000), SD_STOP_ALL);
	ck_assert_int_eq(shutdown_next(&sd), 1000 + K);
	ck_assert_int_eq(shutdown_status(&sd), 143);
	ck_assert_int_eq(shutdown_exitok(&sd, 143), 0);
	ck_assert_int_eq(shutdown_status(&sd), 0);
}
END_TEST

/* With CMD ignoring TERM: services at K/2, then KILL at K. */
START_TEST(test_cmd_ignores_term)
{
	struct shutdown sd;

	shutdown_init(&sd, K, 1);
	(void)shutdown_cmd_started(&sd);
	(void)shutdown_signal(&sd, SIGTERM, 0);
	ck_assert_uint_eq(shutdown_tick(&sd, K / 2 - 1), 0);
	ck_assert_uint_eq(shutdown_tick(&sd, K / 2), SD_STOP_ALL);
	ck_assert_uint_eq(shutdown_tick(&sd, K / 2 + 1), 0);
	ck_assert_uint_eq(shutdown_tick(&sd, K), SD_KILL);
	ck_assert_uint_eq(shutdown_cmd_exited(&sd, 128 + SIGKILL, K + 1), 0);
	ck_assert_int_eq(shutdown_status(&sd), 137);
}
END_TEST

/* CMD exits on its own: the services stop, its code is the status. */
START_TEST(test_cmd_exits)
{
	struct shutdown sd;

	shutdown_init(&sd, K, 1);
	(void)shutdown_cmd_started(&sd);
	ck_assert_uint_eq(shutdown_cmd_exited(&sd, 7, 50), SD_STOP_ALL);
	ck_assert_int_eq(sd.cause, SD_CMD);
	ck_assert_int_eq(shutdown_status(&sd), 7);
	/* Once CMD is gone, TERM is ours again: nothing more to do. */
	ck_assert_uint_eq(shutdown_signal(&sd, SIGTERM, 60), 0);
	/* A CMD that could not run. */
	shutdown_init(&sd, K, 1);
	ck_assert_uint_eq(shutdown_cmd_exited(&sd, 127, 0), SD_STOP_ALL);
	ck_assert_int_eq(shutdown_status(&sd), 127);
}
END_TEST

/* A reason other than a signal while CMD runs (essential, 't'): TERM to
 * CMD once, the services when it is gone; an essential service's code
 * wins over CMD's. */
START_TEST(test_essential)
{
	struct shutdown sd;

	shutdown_init(&sd, K, 1);
	(void)shutdown_cmd_started(&sd);
	ck_assert_uint_eq(shutdown_request(&sd, SD_ESSENTIAL, 5, 10),
	    SD_TERM_CMD);
	ck_assert_uint_eq(shutdown_request(&sd, SD_SIGNAL, 0, 20), 0);
	ck_assert_int_eq(sd.cause, SD_ESSENTIAL);
	ck_assert_uint_eq(shutdown_cmd_exited(&sd, 143, 30), SD_STOP_ALL);
	ck_assert_int_eq(shutdown_status(&sd), 5);
	ck_assert_int_eq(shutdown_next(&sd), 10 + K);
}
END_TEST

/* -R: not ready in time is 111, whatever else. */
START_TEST(test_unready)
{
	struct shutdown sd;

	shutdown_init(&sd, K, 1);
	ck_assert_uint_eq(shutdown_request(&sd, SD_UNREADY, 0, 0),
	    SD_STOP_ALL);
	ck_assert_int_eq(shutdown_status(&sd), 111);
}
END_TEST

/* A deadline passing before any stop request was made cannot happen; a
 * zero deadline kills at once. */
START_TEST(test_zero_deadline)
{
	struct shutdown sd;

	shutdown_init(&sd, 0, 0);
	ck_assert_uint_eq(shutdown_signal(&sd, SIGTERM, 5), SD_STOP_ALL);
	ck_assert_uint_eq(shutdown_tick(&sd, 5), SD_KILL);
}
END_TEST

START_TEST(test_exitok_full)
{
	struct shutdown sd;
	int i;

	shutdown_init(&sd, K, 1);
	for (i = 0; i < SHUTDOWN_EXITOK_MAX; i++)
		ck_assert_int_eq(shutdown_exitok(&sd, i), 0);
	ck_assert_int_eq(shutdown_exitok(&sd, 99), -1);
}
END_TEST

/* The stop signals of .svscan/init and finish are those that stop a
 * tree without CMD. */
START_TEST(test_stops)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGALRM,
	    SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGCHLD };
	struct shutdown sd;
	size_t i;

	ck_assert_int_eq(shutdown_stops(SIGTERM), 1);
	ck_assert_int_eq(shutdown_stops(SIGINT), 1);
	ck_assert_int_eq(shutdown_stops(SIGQUIT), 1);
#ifdef SIGPWR
	ck_assert_int_eq(shutdown_stops(SIGPWR), 1);
#endif
	ck_assert_int_eq(shutdown_stops(SIGHUP), 0);
	ck_assert_int_eq(shutdown_stops(SIGCHLD), 0);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		shutdown_init(&sd, 1000, 0);
		ck_assert_int_eq(shutdown_stops(sigs[i]),
		    (shutdown_signal(&sd, sigs[i], 0) & SD_STOP_ALL) != 0);
	}
}
END_TEST

START_TEST(test_exitcode)
{
	ck_assert_int_eq(shutdown_exitcode(0), 0);
	ck_assert_int_eq(shutdown_exitcode(7 << 8), 7);
	ck_assert_int_eq(shutdown_exitcode(SIGKILL), 137);
	ck_assert_int_eq(shutdown_exitcode(SIGTERM), 143);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("shutdown");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_term_without_cmd);
	tcase_add_test(tc, test_signals_without_cmd);
	tcase_add_test(tc, test_term_forwarded);
	tcase_add_test(tc, test_cmd_ignores_term);
	tcase_add_test(tc, test_cmd_exits);
	tcase_add_test(tc, test_essential);
	tcase_add_test(tc, test_unready);
	tcase_add_test(tc, test_zero_deadline);
	tcase_add_test(tc, test_exitok_full);
	tcase_add_test(tc, test_exitcode);
	tcase_add_test(tc, test_stops);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
