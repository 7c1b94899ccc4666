/* check_svpage: the metrics text, the JSON array, the page's rows and
 * one service's page, from views made here (no file is read). */
#include <sys/wait.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "svpage.h"
#include "svstatus.h"
#include "svview.h"

static const struct timespec NOW = { 100000, 0 };

/* up and ready for 90 s, two starts, the last run killed by TERM. */
static void
mk_up(struct svpage_svc *s, const char *name)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->d.main.ok = 1;
	s->d.main.normallyup = 1;
	s->d.main.st.stamp.tv_sec = NOW.tv_sec - 90;
	s->d.main.st.pid = 4242;
	s->d.main.st.want = 'u';
	s->d.main.st.state = SV_RUN;
	s->d.main.st.version = SVSTATUS_VERSION;
	s->d.main.st.flags = SVF_READY | SVF_EXITED;
	s->d.main.st.wstatus = SIGTERM;
	s->d.main.st.starts = 2;
	s->restarts_hour = 1;
}

/* failed after exits with code 3. */
static void
mk_failed(struct svpage_svc *s, const char *name)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->d.main.ok = 1;
	s->d.main.normallyup = 1;
	s->d.main.st.stamp.tv_sec = NOW.tv_sec - 5;
	s->d.main.st.want = 'd';
	s->d.main.st.state = SV_DOWN;
	s->d.main.st.version = SVSTATUS_VERSION;
	s->d.main.st.flags = SVF_FAILED | SVF_EXITED;
	s->d.main.st.wstatus = 3 << 8;
	s->d.main.st.shortruns = 2;
	s->d.main.st.starts = 3;
	s->restarts_hour = 2;
}

START_TEST(test_metrics)
{
	struct svpage_svc s[3];
	struct sbuf b;

	mk_up(&s[0], "web");
	mk_failed(&s[1], "wo\"rk\\er");
	memset(&s[2], 0, sizeof s[2]);
	s[2].name = "gone";
	s[2].restarts_hour = -1;
	sbuf_init(&b, 1 << 20);
	svpage_metrics(&b, s, 3, &NOW);
	ck_assert_int_eq(b.err, 0);
	ck_assert_ptr_nonnull(strstr(b.p,
	    "# HELP tend_service_up 1 if the service runs, 0 if it is down or "
	    "finishing.\n# TYPE tend_service_up gauge\n"
	    "tend_service_up{service=\"web\"} 1\n"
	    "tend_service_up{service=\"wo\\\"rk\\\\er\"} 0\n"
	    "tend_service_up{service=\"gone\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "# TYPE tend_service_starts_total counter\n"
	    "tend_service_starts_total{service=\"web\"} 2\n"
	    "tend_service_starts_total{service=\"wo\\\"rk\\\\er\"} 3\n#"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "tend_service_uptime_seconds{service=\"web\"} 90\n"
	    "tend_service_uptime_seconds{service=\"wo\\\"rk\\\\er\"} 0\n#"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "tend_service_last_exit_code{service=\"web\"} 143\n"
	    "tend_service_last_exit_code{service=\"wo\\\"rk\\\\er\"} 3\n#"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "tend_service_failed{service=\"wo\\\"rk\\\\er\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "tend_service_restarts_last_hour{service=\"web\"} 1\n"
	    "tend_service_restarts_last_hour{service=\"wo\\\"rk\\\\er\"} 2\n"));
	/* The unsupervised one has up, ready and failed only. */
	ck_assert_ptr_null(strstr(b.p, "uptime_seconds{service=\"gone\"}"));
	ck_assert_ptr_null(strstr(b.p, "restarts_last_hour{service=\"gone\"}"));
	ck_assert_ptr_null(strstr(b.p, "essential{service=\"gone\"}"));
	ck_assert_ptr_null(strstr(b.p, "check_failures{service=\"gone\"}"));
	sbuf_free(&b);
}
END_TEST

/* The health families: essential, the check streak and its limit, the
 * config files invalid (one if they were fixed since the start). */
START_TEST(test_metrics_health)
{
	struct svpage_svc s[2];
	struct sbuf b;

	mk_up(&s[0], "web");
	s[0].d.main.essential = 1;
	s[0].d.main.checkmax = 5;
	s[0].d.main.st.checkfailures = 2;
	s[0].d.main.st.flags |= SVF_CONFERR;
	s[0].d.main.conf.nbad = 2;
	mk_failed(&s[1], "job");
	s[1].d.main.checkmax = 3;
	s[1].d.main.st.flags |= SVF_CONFERR;	/* fixed since */
	sbuf_init(&b, 1 << 20);
	svpage_metrics(&b, s, 2, &NOW);
	ck_assert_int_eq(b.err, 0);
	ck_assert_ptr_nonnull(strstr(b.p,
	    "# TYPE tend_service_essential gauge\n"
	    "tend_service_essential{service=\"web\"} 1\n"
	    "tend_service_essential{service=\"job\"} 0\n#"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "# TYPE tend_service_check_failures gauge\n"
	    "tend_service_check_failures{service=\"web\"} 2\n"
	    "tend_service_check_failures{service=\"job\"} 0\n#"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "# TYPE tend_service_check_failures_limit gauge\n"
	    "tend_service_check_failures_limit{service=\"web\"} 5\n"
	    "tend_service_check_failures_limit{service=\"job\"} 3\n#"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "# TYPE tend_service_config_errors gauge\n"
	    "tend_service_config_errors{service=\"web\"} 2\n"
	    "tend_service_config_errors{service=\"job\"} 1\n"));
	/* A foreign record (runit's) has no streak and no config errors. */
	s[1].d.main.st.version = 0;
	sbuf_reset(&b);
	svpage_metrics(&b, s, 2, &NOW);
	ck_assert_ptr_null(strstr(b.p, "check_failures{service=\"job\"}"));
	ck_assert_ptr_null(strstr(b.p, "config_errors{service=\"job\"}"));
	ck_assert_ptr_nonnull(strstr(b.p, "essential{service=\"job\"} 0\n"));
	sbuf_free(&b);
}
END_TEST

START_TEST(test_json)
{
	struct svpage_svc s[2];
	struct sbuf b;

	sbuf_init(&b, 1 << 20);
	svpage_json(&b, s, 0, &NOW);
	ck_assert_str_eq(b.p, "[\n]\n");
	mk_up(&s[0], "a");
	mk_failed(&s[1], "b");
	sbuf_reset(&b);
	svpage_json(&b, s, 2, &NOW);
	ck_assert_ptr_eq(strstr(b.p, "[\n{\"dir\":\"a\",\"state\":\"up\","), b.p);
	ck_assert_ptr_nonnull(strstr(b.p, "},\n{\"dir\":\"b\",\"state\":\"down\""));
	ck_assert_ptr_nonnull(strstr(b.p, "\"lastexit\":{\"code\":3},"
	    "\"log\":null}\n]\n"));
	sbuf_free(&b);
}
END_TEST

START_TEST(test_index)
{
	struct svpage_svc s[2];
	struct sbuf b;

	mk_up(&s[0], "w<b>");
	s[0].log = "line <1>\nline 2\n";
	s[0].loglen = strlen(s[0].log);
	mk_failed(&s[1], "a b");
	sbuf_init(&b, 1 << 20);
	svpage_index(&b, "/etc/sv", s, 2, &NOW);
	ck_assert_int_eq(b.err, 0);
	ck_assert(strncmp(b.p, "<!doctype html>", 15) == 0);
	ck_assert_ptr_nonnull(strstr(b.p, "2 services: 1 up, 0 down, 1 failed"));
	ck_assert_ptr_nonnull(strstr(b.p, "<tr class=\"svc\" data-name=\"w&lt;b&gt;\">"
	    "<td class=\"name\"><a href=\"/service/w%3Cb%3E\">w&lt;b&gt;</a>"));
	ck_assert_ptr_nonnull(strstr(b.p, "<span class=\"b ready\">ready</span>"));
	ck_assert_ptr_nonnull(strstr(b.p, "<span class=\"b failed\">failed</span>"));
	ck_assert_ptr_nonnull(strstr(b.p, "data-k=\"uptime\">1m 30s</td>"));
	ck_assert_ptr_nonnull(strstr(b.p, "data-k=\"uptime\">down 5s</td>"));
	ck_assert_ptr_nonnull(strstr(b.p, "data-k=\"last\">signal TERM</td>"));
	ck_assert_ptr_nonnull(strstr(b.p, "data-k=\"last\">code 3</td>"));
	ck_assert_ptr_nonnull(strstr(b.p, "<pre>line &lt;1&gt;\nline 2\n</pre>"));
	ck_assert_ptr_nonnull(strstr(b.p, "href=\"/service/a%20b\""));
	ck_assert_ptr_nonnull(strstr(b.p, "<pre>(no log lines)</pre>"));
	/* Nothing to note: the notes and the essential tag are empty. */
	ck_assert_ptr_nonnull(strstr(b.p, "ready</span><span class=\"note chk\" "
	    "data-k=\"chk\"></span><span class=\"note cfg\" data-k=\"cfg\">"
	    "</span></td>"));
	ck_assert_ptr_nonnull(strstr(b.p, "</a><span class=\"tag\" "
	    "data-k=\"ess\"></span></td>"));
	/* No external asset. */
	ck_assert_ptr_null(strstr(b.p, "src="));
	ck_assert_ptr_null(strstr(b.p, "http://"));
	ck_assert_ptr_null(strstr(b.p, "https://"));
	sbuf_free(&b);
}
END_TEST

/* A row's health: essential, starting, failing N/M, bad config. */
START_TEST(test_index_health)
{
	struct svpage_svc s[3];
	struct sbuf b;

	mk_up(&s[0], "web");
	s[0].d.main.essential = 1;
	s[0].d.main.checkmax = 5;
	s[0].d.main.st.checkfailures = 2;
	mk_up(&s[1], "api");
	s[1].d.main.st.flags = 0;
	mk_up(&s[2], "db");
	s[2].d.main.st.flags |= SVF_CONFERR;
	s[2].d.main.conf.nbad = 2;
	snprintf(s[2].d.main.conf.bads[0].file, 24, "timeout-kill");
	snprintf(s[2].d.main.conf.bads[1].file, 24, "re<start");
	sbuf_init(&b, 1 << 20);
	svpage_index(&b, "sv", s, 3, &NOW);
	ck_assert_int_eq(b.err, 0);
	ck_assert_ptr_nonnull(strstr(b.p,
	    "3 services: 3 up (1 starting, 1 failing), 0 down</span>"));
	ck_assert_ptr_nonnull(strstr(b.p, ">web</a><span class=\"tag\" "
	    "data-k=\"ess\">essential</span>"));
	ck_assert_ptr_nonnull(strstr(b.p, "<span class=\"b failing\">failing"
	    "</span><span class=\"note chk\" data-k=\"chk\">check failing 2/5"
	    "</span>"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "<span class=\"b starting\">starting</span>"));
	ck_assert_ptr_nonnull(strstr(b.p, "data-k=\"cfg\">bad config: "
	    "timeout-kill, re&lt;start</span>"));
	/* Fixed since the start: still said, without names. */
	s[2].d.main.conf.nbad = 0;
	sbuf_reset(&b);
	svpage_index(&b, "sv", s, 3, &NOW);
	ck_assert_ptr_nonnull(strstr(b.p, "data-k=\"cfg\">bad config at the "
	    "start (fixed since)</span>"));
	sbuf_free(&b);
}
END_TEST

START_TEST(test_service)
{
	static const char hist[] =
	    "2026-11-22T03:14:15.000000Z start pid=1\n"
	    "2026-11-22T03:14:16.000000Z exit pid=1 code=3\n";
	struct svpage_svc s;
	struct sbuf b;

	mk_failed(&s, "job");
	sbuf_init(&b, 1 << 20);
	svpage_service(&b, &s, hist, sizeof hist - 1, &NOW);
	ck_assert_ptr_nonnull(strstr(b.p,
	    "<pre class=\"box\">job: down 5 seconds, normally up, failed\n</pre>"));
	ck_assert_ptr_nonnull(strstr(b.p, "Restarts in the last hour: 2"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "<pre class=\"box\">2026-11-22T03:14:16.000000Z exit pid=1 code=3\n"
	    "2026-11-22T03:14:15.000000Z start pid=1\n</pre>"));
	/* No check has run: no streak, no check output. */
	ck_assert_ptr_nonnull(strstr(b.p, "<h2>Health</h2><pre class=\"box\">"
	    "readiness:      not running\nessential:      no</pre>"));
	ck_assert_ptr_null(strstr(b.p, "Last check output"));
	sbuf_free(&b);
}
END_TEST

/* A service page's health: ready for how long, the streak, essential, the
 * bad config values, the last check's output. */
START_TEST(test_service_health)
{
	struct svpage_svc s;
	struct sbuf b;

	mk_up(&s, "db");
	s.d.main.st.readystamp.tv_sec = NOW.tv_sec - 61;
	s.d.main.st.checkfailures = 2;
	s.d.main.checkmax = 5;
	s.d.main.essential = 1;
	s.d.main.st.flags |= SVF_CONFERR;
	s.d.main.conf.nbad = 1;
	snprintf(s.d.main.conf.bads[0].file, 24, "restart");
	snprintf(s.d.main.conf.bads[0].value, 44, "some<times");
	s.checkout = "refused <5432>\n";
	s.checklen = strlen(s.checkout);
	sbuf_init(&b, 1 << 20);
	svpage_service(&b, &s, "", 0, &NOW);
	ck_assert_ptr_nonnull(strstr(b.p, "<span class=\"b failing\">failing"));
	ck_assert_ptr_nonnull(strstr(b.p, "<h2>Health</h2><pre class=\"box\">"
	    "readiness:      ready for 1m 1s\n"
	    "check failures: 2 in a row (restart at 5)\n"
	    "essential:      yes\n"
	    "bad config:     restart \"some&lt;times\" (defaults in use)</pre>"));
	ck_assert_ptr_nonnull(strstr(b.p, "<h2>Last check output</h2>"
	    "<pre class=\"box\">refused &lt;5432&gt;\n</pre>"));
	/* Not ready yet; a check that printed nothing. */
	s.d.main.st.flags = 0;
	s.d.main.st.checkfailures = 0;
	s.checklen = 0;
	sbuf_reset(&b);
	svpage_service(&b, &s, "", 0, &NOW);
	ck_assert_ptr_nonnull(strstr(b.p, "readiness:      starting (not ready "
	    "yet)\ncheck failures: 0 in a row (restart at 5)\n"));
	ck_assert_ptr_nonnull(strstr(b.p, "<h2>Last check output</h2>"
	    "<pre class=\"box\">(none)</pre>"));
	sbuf_free(&b);
}
END_TEST

START_TEST(test_words)
{
	struct svpage_svc s;
	struct sbuf b;

	mk_up(&s, "x");
	ck_assert_str_eq(svpage_health(&s.d), "ready");
	s.d.main.st.checkfailures = 1;
	ck_assert_str_eq(svpage_health(&s.d), "failing");
	s.d.main.st.flags = 0;
	ck_assert_str_eq(svpage_health(&s.d), "starting");
	s.d.main.st.state = SV_FINISH;
	ck_assert_str_eq(svpage_health(&s.d), "finishing");
	s.d.main.st.state = SV_DOWN;
	ck_assert_str_eq(svpage_health(&s.d), "down");
	s.d.main.st.flags = SVF_FAILED;
	ck_assert_str_eq(svpage_health(&s.d), "failed");
	s.d.main.ok = 0;
	ck_assert_str_eq(svpage_health(&s.d), "unsupervised");
	sbuf_init(&b, 100);
	svpage_duration(&b, 59);
	svpage_duration(&b, 61);
	svpage_duration(&b, 3661);
	svpage_duration(&b, 90061);
	ck_assert_str_eq(b.p, "59s1m 1s1h 1m1d 1h");
	sbuf_free(&b);
}
END_TEST

START_TEST(test_too_big)
{
	struct svpage_svc s;
	struct sbuf b;

	mk_up(&s, "web");
	sbuf_init(&b, 100);
	svpage_index(&b, "sv", &s, 1, &NOW);
	ck_assert_int_ne(b.err, 0);
	sbuf_free(&b);
}
END_TEST

static Suite *
svpage_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("svpage");
	tc = tcase_create("core");
	tcase_add_test(tc, test_metrics);
	tcase_add_test(tc, test_metrics_health);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_index);
	tcase_add_test(tc, test_index_health);
	tcase_add_test(tc, test_service);
	tcase_add_test(tc, test_service_health);
	tcase_add_test(tc, test_words);
	tcase_add_test(tc, test_too_big);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svpage_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
