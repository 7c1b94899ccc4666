/* check_svfsm: supervise's decisions, without processes or clocks: every
 * control byte in every state and want, the restart policies, backoff and
 * its cap, max-restarts, once and exit; the health checks' transitions. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "svconf.h"
#include "svcontrol.h"
#include "svfsm.h"

static const enum svfsm_state states[] = {
	SVS_DOWN, SVS_WAIT, SVS_RUN, SVS_FINISH, SVS_CLEANUP
};
static const enum svwant wants[] = { SVW_UP, SVW_DOWN, SVW_ONCE, SVW_EXIT };
#define NSTATES	(sizeof states / sizeof states[0])
#define NWANTS	(sizeof wants / sizeof wants[0])

static struct svfacts
fx(enum svfsm_state s, enum svwant w)
{
	struct svfacts f;

	memset(&f, 0, sizeof f);
	f.state = s;
	f.want = w;
	f.restart = RESTART_ALWAYS;
	f.backoff_max = 60000;
	return f;
}

static int
idle(enum svfsm_state s)
{
	return s == SVS_DOWN || s == SVS_WAIT;
}

/* u and o: the want changes (not once exiting), a start only when idle. */
START_TEST(test_up_once)
{
	struct svfacts f;
	struct svcmd m;
	size_t i, j;

	for (i = 0; i < NSTATES; i++)
		for (j = 0; j < NWANTS; j++) {
			f = fx(states[i], wants[j]);
			m = svfsm_control(&f, 'u');
			if (wants[j] == SVW_EXIT) {
				ck_assert_uint_eq(m.act, 0);
				ck_assert_int_eq(m.want, SVW_EXIT);
				ck_assert_ptr_null(m.event);
				m = svfsm_control(&f, 'o');
				ck_assert_uint_eq(m.act, 0);
				ck_assert_int_eq(m.want, SVW_EXIT);
				continue;
			}
			ck_assert_int_eq(m.want, SVW_UP);
			ck_assert_str_eq(m.event, "up");
			ck_assert_uint_eq(m.act, SVA_UNFAIL |
			    (idle(states[i]) ? SVA_START : 0));
			m = svfsm_control(&f, 'o');
			ck_assert_int_eq(m.want, SVW_ONCE);
			ck_assert_str_eq(m.event, "once");
			ck_assert_uint_eq(m.act, SVA_UNFAIL |
			    (idle(states[i]) ? SVA_START : 0));
		}
}
END_TEST

/* d and x: stop a run, cancel a planned start, else only the want. */
START_TEST(test_down_exit)
{
	struct svfacts f;
	struct svcmd m;
	unsigned stop;
	size_t i, j;

	for (i = 0; i < NSTATES; i++)
		for (j = 0; j < NWANTS; j++) {
			f = fx(states[i], wants[j]);
			stop = states[i] == SVS_RUN ? SVA_STOP :
			    states[i] == SVS_WAIT ? SVA_CANCEL : 0;
			m = svfsm_control(&f, 'd');
			ck_assert_int_eq(m.want, wants[j] == SVW_EXIT ?
			    SVW_EXIT : SVW_DOWN);
			ck_assert_str_eq(m.event, "down");
			ck_assert_uint_eq(m.act, stop);
			m = svfsm_control(&f, 'x');
			ck_assert_int_eq(m.want, SVW_EXIT);
			ck_assert_str_eq(m.event, "shutdown");
			ck_assert_uint_eq(m.act, stop);
			/* The logger ignores x. */
			f.islog = 1;
			m = svfsm_control(&f, 'x');
			ck_assert_uint_eq(m.act, 0);
			ck_assert_int_eq(m.want, wants[j]);
			ck_assert_ptr_null(m.event);
		}
}
END_TEST

/* p and c: signal only a run; paused only while running. */
START_TEST(test_pause_cont)
{
	struct svfacts f;
	struct svcmd m;
	size_t i, j;

	for (i = 0; i < NSTATES; i++)
		for (j = 0; j < NWANTS; j++) {
			f = fx(states[i], wants[j]);
			m = svfsm_control(&f, 'p');
			ck_assert_int_eq(m.want, wants[j]);
			ck_assert_ptr_null(m.event);
			ck_assert_int_eq(m.sig, SIGSTOP);
			ck_assert_uint_eq(m.act, states[i] == SVS_RUN ?
			    SVA_SIGNAL | SVA_PAUSE : SVA_UNPAUSE);
			m = svfsm_control(&f, 'c');
			ck_assert_int_eq(m.sig, SIGCONT);
			ck_assert_uint_eq(m.act, states[i] == SVS_RUN ?
			    SVA_SIGNAL | SVA_UNPAUSE : SVA_UNPAUSE);
		}
}
END_TEST

/* The signal letters reach only a run; TERM marks it; want unchanged. */
START_TEST(test_signals)
{
	static const char letters[] = "haiq12tk";
	static const int sigs[] = { SIGHUP, SIGALRM, SIGINT, SIGQUIT,
	    SIGUSR1, SIGUSR2, SIGTERM, SIGKILL };
	struct svfacts f;
	struct svcmd m;
	size_t i, j, k;

	for (i = 0; i < NSTATES; i++)
		for (j = 0; j < NWANTS; j++)
			for (k = 0; letters[k] != '\0'; k++) {
				f = fx(states[i], wants[j]);
				m = svfsm_control(&f, letters[k]);
				ck_assert_int_eq(m.want, wants[j]);
				if (states[i] != SVS_RUN) {
					ck_assert_uint_eq(m.act, 0);
					ck_assert_ptr_null(m.event);
					continue;
				}
				ck_assert_int_eq(m.sig, sigs[k]);
				ck_assert_str_eq(m.event, "signal");
				ck_assert_uint_eq(m.act, SVA_SIGNAL |
				    (sigs[k] == SIGTERM ? SVA_GOTTERM : 0));
			}
}
END_TEST

/* Every byte svc can send has a meaning; any other does nothing. */
START_TEST(test_unknown)
{
	struct svfacts f;
	struct svcmd m;
	size_t i, j;
	int c;

	for (c = 0; c < 256; c++) {
		if (c != 0 && strchr(SVCONTROL_BYTES, c) != NULL) {
			f = fx(SVS_RUN, SVW_UP);
			m = svfsm_control(&f, c);
			ck_assert_uint_ne(m.act, 0);
			continue;
		}
		for (i = 0; i < NSTATES; i++)
			for (j = 0; j < NWANTS; j++) {
				f = fx(states[i], wants[j]);
				m = svfsm_control(&f, c);
				ck_assert_uint_eq(m.act, 0);
				ck_assert_int_eq(m.want, wants[j]);
				ck_assert_ptr_null(m.event);
			}
	}
}
END_TEST

/* Not wanted up: stay down; once becomes down, exit stays exit. */
START_TEST(test_settle_not_up)
{
	struct svfacts f;
	struct svnext n;

	f = fx(SVS_CLEANUP, SVW_DOWN);
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_DOWN);
	ck_assert_int_eq(n.want, SVW_DOWN);
	f = fx(SVS_RUN, SVW_ONCE);
	f.shortruns = 3;
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_DOWN);
	ck_assert_int_eq(n.want, SVW_DOWN);
	f = fx(SVS_FINISH, SVW_EXIT);
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_DOWN);
	ck_assert_int_eq(n.want, SVW_EXIT);
}
END_TEST

/* The restart policies. */
START_TEST(test_settle_policy)
{
	struct svfacts f;
	struct svnext n;

	f = fx(SVS_RUN, SVW_UP);
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_START);
	ck_assert_int_eq(n.want, SVW_UP);
	f.cleanexit = 1;
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_START);
	f.restart = RESTART_ON_FAILURE;
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_DONE);
	ck_assert_int_eq(n.want, SVW_DOWN);
	f.cleanexit = 0;
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_START);
	f.restart = RESTART_NEVER;
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_DONE);
	ck_assert_int_eq(n.want, SVW_DOWN);
	f.cleanexit = 1;
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_DONE);
}
END_TEST

/* Short runs: a delay that doubles up to backoff-max; max-restarts gives
 * up, and only when the count reaches it. */
START_TEST(test_settle_backoff)
{
	struct svfacts f;
	struct svnext n;

	f = fx(SVS_RUN, SVW_UP);
	f.backoff_max = 5000;
	f.shortruns = 1;
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_DELAY);
	ck_assert_int_eq(n.want, SVW_UP);
	ck_assert_int_eq(n.delay, 1000);
	f.shortruns = 2;
	ck_assert_int_eq(svfsm_settle(&f).delay, 2000);
	f.shortruns = 3;
	ck_assert_int_eq(svfsm_settle(&f).delay, 4000);
	f.shortruns = 4;
	ck_assert_int_eq(svfsm_settle(&f).delay, 5000);
	f.shortruns = 4000000000u;
	ck_assert_int_eq(svfsm_settle(&f).delay, 5000);
	f.max_restarts = 3;
	f.shortruns = 2;
	ck_assert_int_eq(svfsm_settle(&f).what, SVE_DELAY);
	f.shortruns = 3;
	n = svfsm_settle(&f);
	ck_assert_int_eq(n.what, SVE_FAILED);
	ck_assert_int_eq(n.want, SVW_DOWN);
	/* The policy is asked first. */
	f.restart = RESTART_NEVER;
	ck_assert_int_eq(svfsm_settle(&f).what, SVE_DONE);
	ck_assert_int_eq(svfsm_backoff(0, 60000), 1000);
	ck_assert_int_eq(svfsm_backoff(7, 60000), 60000);
	ck_assert_int_eq(svfsm_backoff(6, 60000), 32000);
	ck_assert_int_eq(svfsm_backoff(1, 300), 300);
	ck_assert_int_eq(svfsm_backoff(40, (int64_t)1 << 40),
	    (int64_t)1 << 40);
}
END_TEST

/* Short runs in a row; the status record's view of the want. */
START_TEST(test_small)
{
	ck_assert_uint_eq(svfsm_shortruns(0, 999, 1000), 1);
	ck_assert_uint_eq(svfsm_shortruns(5, 999, 1000), 6);
	ck_assert_uint_eq(svfsm_shortruns(5, 1000, 1000), 0);
	ck_assert_uint_eq(svfsm_shortruns(5, 0, 0), 0);
	ck_assert_int_eq(svfsm_wantbyte(SVW_UP), 'u');
	ck_assert_int_eq(svfsm_wantbyte(SVW_DOWN), 'd');
	ck_assert_int_eq(svfsm_wantbyte(SVW_ONCE), 'd');
	ck_assert_int_eq(svfsm_wantbyte(SVW_EXIT), 'd');
	ck_assert_int_eq(svfsm_want_from('u', 0), SVW_UP);
	ck_assert_int_eq(svfsm_want_from('d', 0), SVW_DOWN);
	ck_assert_int_eq(svfsm_want_from('d', 1), SVW_ONCE);
	ck_assert_int_eq(svfsm_want_from(0, 0), SVW_DOWN);
}
END_TEST

/* A run not yet ready answers every control byte as a ready one. */
START_TEST(test_starting_controls)
{
	struct svfacts a, b;
	struct svcmd ma, mb;
	size_t j;
	int c;

	ck_assert(svfsm_running(SVS_STARTING));
	ck_assert(svfsm_running(SVS_RUN));
	ck_assert(!svfsm_running(SVS_FINISH));
	ck_assert(!svfsm_running(SVS_DOWN));
	for (j = 0; j < NWANTS; j++)
		for (c = 0; c < 256; c++) {
			a = fx(SVS_RUN, wants[j]);
			b = fx(SVS_STARTING, wants[j]);
			ma = svfsm_control(&a, c);
			mb = svfsm_control(&b, c);
			ck_assert_uint_eq(ma.act, mb.act);
			ck_assert_int_eq(ma.want, mb.want);
			ck_assert_int_eq(ma.sig, mb.sig);
		}
	ck_assert_int_eq(svfsm_startstate(0, 0), SVS_RUN);
	ck_assert_int_eq(svfsm_startstate(1, 0), SVS_STARTING);
	ck_assert_int_eq(svfsm_startstate(0, 1), SVS_STARTING);
	ck_assert_int_eq(svfsm_startstate(1, 1), SVS_STARTING);
}
END_TEST

/* Readiness checks: retried after 10, 20, 40 ... ms up to 1 s; the first
 * pass makes the run ready. */
START_TEST(test_check_ready)
{
	struct svfacts f = fx(SVS_STARTING, SVW_UP);
	struct svcheck r;
	int64_t d = 0, seen[10];
	int i;

	for (i = 0; i < 10; i++) {
		f.checkdelay = d;
		r = svfsm_checked(&f, 0);
		ck_assert_int_eq(r.state, SVS_STARTING);
		ck_assert_ptr_null(r.event);
		ck_assert(!r.stop);
		seen[i] = d = r.again;
	}
	ck_assert_int_eq(seen[0], 10);
	ck_assert_int_eq(seen[1], 20);
	ck_assert_int_eq(seen[5], 320);
	ck_assert_int_eq(seen[6], 640);
	ck_assert_int_eq(seen[7], 1000);
	ck_assert_int_eq(seen[9], 1000);
	r = svfsm_checked(&f, 1);
	ck_assert_int_eq(r.state, SVS_RUN);
	ck_assert_str_eq(r.event, "ready");
	ck_assert_int_eq(r.again, -1);	/* no check-interval: no more */
	f.check_interval = 250;
	r = svfsm_checked(&f, 1);
	ck_assert_int_eq(r.again, 250);
	ck_assert_int_eq(svfsm_checkdelay(500), 1000);
	ck_assert_int_eq(svfsm_checkdelay(1000), 1000);
}
END_TEST

/* Liveness: check-failures failures in a row, only with check-interval. */
START_TEST(test_check_live)
{
	struct svfacts f = fx(SVS_RUN, SVW_UP);
	struct svcheck r;

	r = svfsm_checked(&f, 0);	/* no interval: no liveness */
	ck_assert_int_eq(r.state, SVS_RUN);
	ck_assert_int_eq(r.again, -1);
	ck_assert(!r.stop);
	f.check_interval = 100;
	f.check_failures = 3;
	r = svfsm_checked(&f, 0);
	ck_assert_uint_eq(r.failures, 1);
	ck_assert_int_eq(r.again, 100);
	ck_assert(!r.stop);
	f.failures = 2;
	r = svfsm_checked(&f, 1);	/* a pass resets the count */
	ck_assert_uint_eq(r.failures, 0);
	ck_assert_int_eq(r.again, 100);
	r = svfsm_checked(&f, 0);
	ck_assert_uint_eq(r.failures, 3);
	ck_assert(r.stop);
	ck_assert_str_eq(r.event, "unhealthy");
	ck_assert_int_eq(r.again, -1);
	f.check_failures = 0;		/* never unhealthy */
	f.failures = 50;
	r = svfsm_checked(&f, 0);
	ck_assert(!r.stop);
	ck_assert_int_eq(r.again, 100);
	f = fx(SVS_FINISH, SVW_UP);
	f.check_interval = 100;
	r = svfsm_checked(&f, 0);	/* the run is gone: nothing */
	ck_assert_int_eq(r.again, -1);
	ck_assert(!r.stop);
}
END_TEST

/* Every state, STARTING included, for the control/ script tables. */
static const enum svfsm_state allstates[] = {
	SVS_DOWN, SVS_WAIT, SVS_RUN, SVS_FINISH, SVS_CLEANUP, SVS_STARTING
};
#define NALLSTATES	(sizeof allstates / sizeof allstates[0])

/* The bytes that signal a run (p and c included). */
static int
sigbyte(int c)
{
	return c != 0 && strchr("pchaiq12tk", c) != NULL;
}

/* The script before a byte's action: t for d and x stopping a run, the
 * letter for a signal to a run, else none; never for the logger. */
START_TEST(test_prescript)
{
	struct svfacts f;
	struct svcmd m;
	size_t i, j;
	int c, log, want, run;

	for (log = 0; log < 2; log++)
		for (i = 0; i < NALLSTATES; i++)
			for (j = 0; j < NWANTS; j++)
				for (c = 0; c < 256; c++) {
					f = fx(allstates[i], wants[j]);
					f.islog = log;
					m = svfsm_control(&f, c);
					run = svfsm_running(allstates[i]);
					want = 0;
					if (!log && run && (c == 'd' || c == 'x'))
						want = 't';
					else if (!log && run && sigbyte(c))
						want = c;
					ck_assert_int_eq(svfsm_prescript(&f, c,
					    &m), want);
				}
	/* Not u: control/u goes with every start, not with a byte. */
	f = fx(SVS_DOWN, SVW_DOWN);
	m = svfsm_control(&f, 'u');
	ck_assert(m.act & SVA_START);
	ck_assert_int_eq(svfsm_prescript(&f, 'u', &m), 0);
	f = fx(SVS_WAIT, SVW_UP);
	m = svfsm_control(&f, 'd');
	ck_assert_uint_eq(m.act, SVA_CANCEL);
	ck_assert_int_eq(svfsm_prescript(&f, 'd', &m), 0);
}
END_TEST

/* The script after: runsv's stopservice, for d, x and t on a run: d when
 * down (or once) is wanted after, x for exit, none for up. */
START_TEST(test_postscript)
{
	struct svfacts f;
	struct svcmd m;
	enum svwant after;
	size_t i, j;
	int c, log, want;

	for (log = 0; log < 2; log++)
		for (i = 0; i < NALLSTATES; i++)
			for (j = 0; j < NWANTS; j++)
				for (c = 0; c < 256; c++) {
					f = fx(allstates[i], wants[j]);
					f.islog = log;
					m = svfsm_control(&f, c);
					after = c == 'x' ? SVW_EXIT : c == 'd' ?
					    (wants[j] == SVW_EXIT ? SVW_EXIT :
					    SVW_DOWN) : wants[j];
					want = 0;
					if (!log && svfsm_running(allstates[i]) &&
					    (c == 'd' || c == 'x' || c == 't'))
						want = after == SVW_EXIT ? 'x' :
						    after == SVW_UP ? 0 : 'd';
					ck_assert_int_eq(svfsm_postscript(&f,
					    &m), want);
				}
	/* Spelled out. */
	f = fx(SVS_RUN, SVW_UP);
	m = svfsm_control(&f, 'd');
	ck_assert_int_eq(svfsm_postscript(&f, &m), 'd');
	m = svfsm_control(&f, 'x');
	ck_assert_int_eq(svfsm_postscript(&f, &m), 'x');
	m = svfsm_control(&f, 't');
	ck_assert_int_eq(svfsm_postscript(&f, &m), 0);
	m = svfsm_control(&f, 'k');		/* KILL is no TERM */
	ck_assert_int_eq(svfsm_postscript(&f, &m), 0);
	f = fx(SVS_STARTING, SVW_ONCE);
	m = svfsm_control(&f, 't');
	ck_assert_int_eq(svfsm_postscript(&f, &m), 'd');
	f = fx(SVS_RUN, SVW_EXIT);
	m = svfsm_control(&f, 't');
	ck_assert_int_eq(svfsm_postscript(&f, &m), 'x');
	m = svfsm_control(&f, 'd');
	ck_assert_int_eq(svfsm_postscript(&f, &m), 'x');
	f = fx(SVS_FINISH, SVW_UP);
	m = svfsm_control(&f, 'd');
	ck_assert_int_eq(svfsm_postscript(&f, &m), 0);
	/* Quieted or not, the same script follows. */
	f = fx(SVS_RUN, SVW_DOWN);
	m = svfsm_quiet(svfsm_control(&f, 't'));
	ck_assert_uint_eq(m.act, 0);
	ck_assert_int_eq(svfsm_postscript(&f, &m), 0);
}
END_TEST

/* A script passed: no signal, no signal event, no TERM claimed; a stop
 * stays a stop, marked QUIET; the rest unchanged. */
START_TEST(test_quiet)
{
	struct svfacts f;
	struct svcmd m, q;
	unsigned act;
	size_t i, j;
	int c;

	for (i = 0; i < NALLSTATES; i++)
		for (j = 0; j < NWANTS; j++)
			for (c = 0; c < 256; c++) {
				f = fx(allstates[i], wants[j]);
				m = svfsm_control(&f, c);
				q = svfsm_quiet(m);
				act = m.act & ~(unsigned)(SVA_SIGNAL |
				    SVA_GOTTERM);
				if (m.act & SVA_STOP)
					act |= SVA_QUIET;
				ck_assert_uint_eq(q.act, act);
				ck_assert_int_eq(q.want, m.want);
				ck_assert_int_eq(q.sig, m.sig);
				if (m.act & SVA_SIGNAL)
					ck_assert_ptr_null(q.event);
				else
					ck_assert_ptr_eq(q.event, m.event);
			}
	f = fx(SVS_RUN, SVW_UP);
	q = svfsm_quiet(svfsm_control(&f, 'd'));
	ck_assert_uint_eq(q.act, SVA_STOP | SVA_QUIET);
	ck_assert_str_eq(q.event, "down");
	ck_assert_int_eq(q.want, SVW_DOWN);
	q = svfsm_quiet(svfsm_control(&f, 't'));
	ck_assert_uint_eq(q.act, 0);
	ck_assert_ptr_null(q.event);
	q = svfsm_quiet(svfsm_control(&f, 'p'));
	ck_assert_uint_eq(q.act, SVA_PAUSE);
	q = svfsm_quiet(svfsm_control(&f, 'c'));
	ck_assert_uint_eq(q.act, SVA_UNPAUSE);
	m.act = ~0u;
	m.event = "x";
	q = svfsm_quiet(m);
	ck_assert_uint_eq(q.act, ~(unsigned)(SVA_SIGNAL | SVA_GOTTERM));
	ck_assert_ptr_null(q.event);
	/* Twice is once. */
	f = fx(SVS_STARTING, SVW_UP);
	m = svfsm_quiet(svfsm_control(&f, 'x'));
	q = svfsm_quiet(m);
	ck_assert_uint_eq(q.act, m.act);
	ck_assert_ptr_eq(q.event, m.event);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("svfsm");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_up_once);
	tcase_add_test(tc, test_down_exit);
	tcase_add_test(tc, test_pause_cont);
	tcase_add_test(tc, test_signals);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_settle_not_up);
	tcase_add_test(tc, test_settle_policy);
	tcase_add_test(tc, test_settle_backoff);
	tcase_add_test(tc, test_small);
	tcase_add_test(tc, test_starting_controls);
	tcase_add_test(tc, test_check_ready);
	tcase_add_test(tc, test_check_live);
	tcase_add_test(tc, test_prescript);
	tcase_add_test(tc, test_postscript);
	tcase_add_test(tc, test_quiet);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
