/* check_svtree: the names of a scan directory (directories and symlinks to
 * them, no dot names, no files), lookup by bytes, a service read with its
 * restarts, its log tail and its history tail. */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sbuf.h"
#include "svpage.h"
#include "svstatus.h"
#include "svtree.h"
#include "timefmt.h"

static char tmpdir[] = "/tmp/check_svtree.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	ck_assert_int_eq(chdir(tmpdir), 0);
}

static void
teardown(void)
{
	char cmd[100];

	ck_assert_int_eq(chdir("/"), 0);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
put(const char *path, const char *text)
{
	FILE *f;

	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

START_TEST(test_list)
{
	svtree_name names[8];
	ssize_t n;

	ck_assert_int_eq(mkdir("web", 0755), 0);
	ck_assert_int_eq(mkdir("db", 0755), 0);
	ck_assert_int_eq(mkdir(".hidden", 0755), 0);
	ck_assert_int_eq(mkdir("real", 0755), 0);
	ck_assert_int_eq(symlink("real", "link"), 0);
	ck_assert_int_eq(symlink("nowhere", "dangling"), 0);
	put("file", "x");
	n = svtree_list(".", names, 8);
	ck_assert_int_eq(n, 4);
	ck_assert_str_eq(names[0], "db");
	ck_assert_str_eq(names[1], "link");
	ck_assert_str_eq(names[2], "real");
	ck_assert_str_eq(names[3], "web");
	/* At most max. */
	ck_assert_int_eq(svtree_list(".", names, 2), 2);
	ck_assert_int_eq(svtree_list("missing", names, 8), -1);
	n = svtree_list(".", names, 8);
	ck_assert_str_eq(svtree_find(names, 4, "web/x", 3), "web");
	ck_assert_ptr_null(svtree_find(names, 4, "we", 2));
	ck_assert_ptr_null(svtree_find(names, 4, "..", 2));
	ck_assert_ptr_null(svtree_find(names, 4, "file", 4));
}
END_TEST

START_TEST(test_read)
{
	struct svpage_svc v;
	struct svstatus st;
	struct timespec now;
	char line[200];
	char iso[ISO_LEN + 1];

	ck_assert_int_eq(mkdir("job", 0755), 0);
	ck_assert_int_eq(mkdir("job/supervise", 0755), 0);
	ck_assert_int_eq(mkfifo("job/supervise/ok", 0600), 0);
	ck_assert_int_ne(open("job/supervise/ok", O_RDONLY | O_NONBLOCK), -1);
	memset(&st, 0, sizeof st);
	timefmt_now(&now);
	st.stamp = now;
	st.pid = 77;
	st.want = 'u';
	st.state = SV_RUN;
	st.version = SVSTATUS_VERSION;
	ck_assert_int_eq(svstatus_write("job/supervise", &st), 0);
	/* Two restarts now, one two hours ago. */
	now.tv_sec -= 7200;
	iso[timefmt_iso(iso, &now)] = '\0';
	snprintf(line, sizeof line, "%s exit pid=1 code=1\n%s start pid=2\n",
	    iso, iso);
	put("job/supervise/history.1", line);
	now.tv_sec += 7200;
	iso[timefmt_iso(iso, &now)] = '\0';
	snprintf(line, sizeof line, "%s exit pid=2 code=1\n%s start pid=3\n"
	    "%s exit pid=3 code=1\n%s start pid=77\n", iso, iso, iso, iso);
	put("job/supervise/history", line);
	svtree_read(&v, "job");
	ck_assert_str_eq(v.name, "job");
	ck_assert_int_eq(v.d.main.ok, 1);
	ck_assert_int_eq(v.d.main.st.pid, 77);
	ck_assert_int_eq(v.restarts_hour, -1);
	ck_assert_int_eq(svtree_restarts("job", &now), 2);
	/* A history last written two hours ago is not even read. */
	{
		struct timespec old[2] = { { now.tv_sec - 7200, 0 },
		    { now.tv_sec - 7200, 0 } };

		ck_assert_int_eq(utimensat(AT_FDCWD, "job/supervise/history",
		    old, 0), 0);
		ck_assert_int_eq(svtree_restarts("job", &now), 0);
	}
	ck_assert_int_eq(svtree_restarts("nothing", &now), 0);
}
END_TEST

START_TEST(test_log_history)
{
	struct sbuf b;
	char buf[100];
	size_t st;
	int i;

	ck_assert_int_eq(mkdir("job", 0755), 0);
	ck_assert_uint_eq(svtree_log("job", 10, buf, sizeof buf), 0);
	ck_assert_int_eq(mkdir("job/log", 0755), 0);
	ck_assert_int_eq(mkdir("job/log/main", 0755), 0);
	put("job/log/main/current", "one\ntwo\nthree\n");
	ck_assert_uint_eq(svtree_log("job", 2, buf, sizeof buf), 10);
	ck_assert(memcmp(buf, "two\nthree\n", 10) == 0);
	ck_assert_int_eq(mkdir("job/supervise", 0755), 0);
	sbuf_init(&b, 1 << 20);
	ck_assert_int_eq(svtree_history("job", 5, &b, &st), 0);
	ck_assert_uint_eq(b.len - st, 0);
	{
		FILE *f = fopen("job/supervise/history", "w");

		ck_assert_ptr_nonnull(f);
		for (i = 0; i < 3000; i++)
			fprintf(f, "2026-11-22T03:14:15.000000Z start pid=%d\n",
			    i);
		fclose(f);
	}
	ck_assert_int_eq(svtree_history("job", 5, &b, &st), 0);
	ck_assert_str_eq(b.p + st,
	    "2026-11-22T03:14:15.000000Z start pid=2995\n"
	    "2026-11-22T03:14:15.000000Z start pid=2996\n"
	    "2026-11-22T03:14:15.000000Z start pid=2997\n"
	    "2026-11-22T03:14:15.000000Z start pid=2998\n"
	    "2026-11-22T03:14:15.000000Z start pid=2999\n");
	/* Only a bounded tail was kept along the way. */
	ck_assert_uint_lt(b.len, 20 * 512);
	sbuf_free(&b);
}
END_TEST

static Suite *
svtree_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("svtree");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_read);
	tcase_add_test(tc, test_log_history);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svtree_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
