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
	/* No external asset. */
	ck_assert_ptr_null(strstr(b.p, "src="));
	ck_assert_ptr_null(strstr(b.p, "http://"));
	ck_assert_ptr_null(strstr(b.p, "https://"));
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
	sbuf_free(&b);
}
END_TEST

START_TEST(test_words)
{
	struct svpage_svc s;
	struct sbuf b;

	mk_up(&s, "x");
	ck_assert_str_eq(svpage_health(&s.d), "ready");
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
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_index);
	tcase_add_test(tc, test_service);
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
