/* check_svview: a service directory read through its ok FIFO and status
 * record, then shown as svstat's line and as its -j object. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sbuf.h"
#include "svstatus.h"
#include "svview.h"

static char tmpdir[] = "/tmp/check_svview.XXXXXX";
static char svdir[64], sdir[128];

static void
setup(void)
{
	char p[400];

	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(svdir, sizeof svdir, "%s/web", tmpdir);
	snprintf(sdir, sizeof sdir, "%s/supervise", svdir);
	ck_assert_int_eq(mkdir(svdir, 0700), 0);
	ck_assert_int_eq(mkdir(sdir, 0700), 0);
	snprintf(p, sizeof p, "%s/ok", sdir);
	ck_assert_int_eq(mkfifo(p, 0600), 0);
}

static void
teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Hold ok open as a running supervise does (leaked on purpose: the test
 * process ends soon). */
static void
hold_ok(void)
{
	char p[400];

	snprintf(p, sizeof p, "%s/ok", sdir);
	ck_assert_int_ne(open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC), -1);
}

static void
put(unsigned flags, int state, uint32_t pid, uint32_t wstatus)
{
	struct svstatus st;

	memset(&st, 0, sizeof st);
	st.stamp.tv_sec = 1000;
	st.pid = pid;
	st.want = 'u';
	st.state = state;
	st.version = SVSTATUS_VERSION;
	st.flags = flags;
	st.wstatus = wstatus;
	st.shortruns = 2;
	st.starts = 7;
	ck_assert_int_eq(svstatus_write(sdir, &st), 0);
}

START_TEST(test_not_running)
{
	struct svview_dir d;
	struct timespec now = { 1017, 0 };
	struct sbuf b;

	ck_assert_int_eq(svview_read(&d, svdir), -1);
	ck_assert_str_eq(d.main.err, "supervise not running");
	sbuf_init(&b, 4096);
	svview_line(&b, "web", &d, &now);
	ck_assert_str_eq(b.p, "web: supervise not running\n");
	sbuf_reset(&b);
	svview_json(&b, "web", &d, &now);
	ck_assert_str_eq(b.p, "{\"dir\":\"web\",\"error\":"
	    "\"supervise not running\"}");
	sbuf_free(&b);
}
END_TEST

START_TEST(test_up_ready)
{
	struct svview_dir d;
	struct timespec now = { 1017, 0 };
	struct sbuf b;
	int code = -1, sig = -1;

	hold_ok();
	put(SVF_READY | SVF_EXITED, SV_RUN, 4242, 3 << 8);
	ck_assert_int_eq(svview_read(&d, svdir), 0);
	ck_assert_int_eq(d.haslog, 0);
	ck_assert_int_eq(svview_lastexit(&d.main, &code, &sig), 1);
	ck_assert_int_eq(code, 3);
	ck_assert_int_eq(svview_elapsed(&d.main.st.stamp, &now), 17);
	sbuf_init(&b, 4096);
	svview_line(&b, "web", &d, &now);
	ck_assert_str_eq(b.p, "web: up (pid 4242) 17 seconds, ready\n");
	sbuf_reset(&b);
	svview_json(&b, "w\"eb", &d, &now);
	ck_assert_str_eq(b.p, "{\"dir\":\"w\\\"eb\",\"state\":\"up\","
	    "\"pid\":4242,\"seconds\":17,\"want\":\"up\",\"normally\":\"up\","
	    "\"essential\":false,\"paused\":false,\"ready\":true,\"failed\":false,"
	    "\"gotterm\":false,\"configerror\":false,\"restarts\":2,"
	    "\"starts\":7,\"configerrors\":[],\"readysince\":1017,\"checkfailures\":0,"
	    "\"checklimit\":3,"
	    "\"lastexit\":{\"code\":3},\"log\":null}");
	/* A liveness streak: N of check-failures (default 3). */
	d.main.st.checkfailures = 2;
	sbuf_reset(&b);
	svview_line(&b, "web", &d, &now);
	ck_assert_str_eq(b.p,
	    "web: up (pid 4242) 17 seconds, ready, check failing 2/3\n");
	/* Not ready yet: starting. */
	d.main.st.checkfailures = 0;
	d.main.st.flags &= ~(unsigned)SVF_READY;
	sbuf_reset(&b);
	svview_line(&b, "web", &d, &now);
	ck_assert_str_eq(b.p, "web: up (pid 4242) 17 seconds, starting\n");
	sbuf_free(&b);
}
END_TEST

START_TEST(test_failed_signal)
{
	struct svview_dir d;
	struct timespec now = { 999, 0 };	/* a stamp in the future */
	struct sbuf b;
	int code = -1, sig = -1;

	hold_ok();
	put(SVF_FAILED | SVF_EXITED, SV_DOWN, 0, SIGKILL);
	ck_assert_int_eq(svview_read(&d, svdir), 0);
	ck_assert_int_eq(svview_lastexit(&d.main, &code, &sig), 2);
	ck_assert_int_eq(sig, SIGKILL);
	sbuf_init(&b, 4096);
	svview_line(&b, "web", &d, &now);
	ck_assert_str_eq(b.p,
	    "web: down 0 seconds, normally up, want up, failed\n");
	sbuf_reset(&b);
	svview_json(&b, "web", &d, &now);
	ck_assert_ptr_nonnull(strstr(b.p, "\"pid\":null,\"seconds\":0,"));
	ck_assert_ptr_nonnull(strstr(b.p,
	    "\"lastexit\":{\"signal\":\"KILL\"}"));
	sbuf_free(&b);
}
END_TEST

START_TEST(test_overflow)
{
	struct svview_dir d;
	struct timespec now = { 1017, 0 };
	struct sbuf b;

	hold_ok();
	put(0, SV_RUN, 1, 0);
	ck_assert_int_eq(svview_read(&d, svdir), 0);
	sbuf_init(&b, 20);
	svview_json(&b, "web", &d, &now);
	ck_assert_int_ne(b.err, 0);
	sbuf_free(&b);
}
END_TEST

static Suite *
svview_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("svview");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_not_running);
	tcase_add_test(tc, test_up_ready);
	tcase_add_test(tc, test_failed_signal);
	tcase_add_test(tc, test_overflow);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svview_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
