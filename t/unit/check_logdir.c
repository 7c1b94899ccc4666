/* check_logdir: rotated names (format, parse, order, uniqueness),
 * scanning a directory and retention by count and by age. */
#include <sys/stat.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logdir.h"

static const struct timespec T0 = { 1795317255, 123456789 };

START_TEST(test_name)
{
	char name[LOGDIR_NAMELEN + 1];
	struct timespec ts;
	char kind;

	ck_assert_uint_eq(logdir_name(name, &T0, 's'), LOGDIR_NAMELEN);
	ck_assert_str_eq(name, "@20261122T031415.123456Z.s");
	ck_assert_int_eq(logdir_name_parse(name, &ts, &kind), 0);
	ck_assert_int_eq(ts.tv_sec, T0.tv_sec);
	ck_assert_int_eq(ts.tv_nsec, 123456000);
	ck_assert_int_eq(kind, 's');
	logdir_name(name, &T0, 'u');
	ck_assert_str_eq(name, "@20261122T031415.123456Z.u");
	ck_assert_int_eq(logdir_name_parse(name, &ts, &kind), 0);
	ck_assert_int_eq(kind, 'u');
}
END_TEST

START_TEST(test_name_parse_rejects)
{
	struct timespec ts;
	char kind;

	ck_assert_int_eq(logdir_name_parse("current", &ts, &kind), -1);
	ck_assert_int_eq(logdir_name_parse("lock", &ts, &kind), -1);
	ck_assert_int_eq(logdir_name_parse("@20261122T031415.123456Z.t",
	    &ts, &kind), -1);
	ck_assert_int_eq(logdir_name_parse("@20261122T031415.123456Z.s~",
	    &ts, &kind), -1);
	ck_assert_int_eq(logdir_name_parse("@2026112xT031415.123456Z.s",
	    &ts, &kind), -1);
	ck_assert_int_eq(logdir_name_parse("@400000006b025e11075bcd1g.s",
	    &ts, &kind), -1);
}
END_TEST

START_TEST(test_name_tai64n)
{
	struct timespec ts;
	char kind;

	/* multilog and svlogd name archives by TAI64N. */
	ck_assert_int_eq(logdir_name_parse("@400000006b025e11075bcd15.s",
	    &ts, &kind), 0);
	ck_assert_int_eq(ts.tv_sec, T0.tv_sec);
	ck_assert_int_eq(ts.tv_nsec, T0.tv_nsec);
	ck_assert_int_eq(kind, 's');
}
END_TEST

START_TEST(test_order)
{
	char a[LOGDIR_NAMELEN + 1], b[LOGDIR_NAMELEN + 1];
	struct timespec t1 = T0, t2 = T0;

	t2.tv_sec += 9;		/* ...T031424: sorts after ...T031415 */
	logdir_name(a, &t1, 's');
	logdir_name(b, &t2, 'u');
	ck_assert_int_lt(logdir_name_cmp(a, b), 0);
	ck_assert_int_gt(logdir_name_cmp(b, a), 0);
	ck_assert_int_lt(strcmp(a, b), 0);
	/* Across a year: names still sort as strings. */
	t2.tv_sec += 366 * 86400;
	logdir_name(b, &t2, 's');
	ck_assert_int_lt(strcmp(a, b), 0);
	ck_assert_int_lt(logdir_name_cmp("@400000006b025e11075bcd15.s", b),
	    0);
}
END_TEST

START_TEST(test_next_stamp)
{
	struct timespec last = T0, ts;

	/* Later than last: kept, cut to microseconds. */
	ts = T0;
	ts.tv_sec++;
	logdir_next_stamp(&ts, &last);
	ck_assert_int_eq(ts.tv_sec, T0.tv_sec + 1);
	ck_assert_int_eq(ts.tv_nsec, 123456000);
	/* Same microsecond or earlier (clock stepped back): last + 1 us. */
	last.tv_nsec = 123456000;
	ts = T0;
	logdir_next_stamp(&ts, &last);
	ck_assert_int_eq(ts.tv_sec, T0.tv_sec);
	ck_assert_int_eq(ts.tv_nsec, 123457000);
	ts.tv_sec = T0.tv_sec - 100;
	logdir_next_stamp(&ts, &last);
	ck_assert_int_eq(ts.tv_nsec, 123457000);
	/* Carry into the next second. */
	last.tv_nsec = 999999000;
	ts = last;
	logdir_next_stamp(&ts, &last);
	ck_assert_int_eq(ts.tv_sec, T0.tv_sec + 1);
	ck_assert_int_eq(ts.tv_nsec, 0);
}
END_TEST

static char dir[64];

static void
mkdirtmp(void)
{
	strcpy(dir, "/tmp/check_logdir.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
touch(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ne(fd, -1);
	close(fd);
}

static int
exists(const char *name)
{
	char path[256];
	struct stat sb;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &sb) == 0;
}

static void
cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_scan)
{
	struct logdir_scan sc;

	mkdirtmp();
	ck_assert_int_eq(logdir_scan(dir, &sc), 0);
	ck_assert_uint_eq(sc.count, 0);
	touch("current");
	touch("lock");
	touch("previous");
	touch("@20261122T031415.000002Z.s");
	touch("@20261122T031415.000001Z.u");
	touch("@20261121T000000.000000Z.s");
	touch("@20261123T000000.000000Z.s");
	touch("@20261123T000000.000000Z.t");
	ck_assert_int_eq(logdir_scan(dir, &sc), 0);
	ck_assert_uint_eq(sc.count, 4);
	ck_assert_str_eq(sc.oldest, "@20261121T000000.000000Z.s");
	ck_assert_str_eq(sc.newest, "@20261123T000000.000000Z.s");
	cleanup();
	ck_assert_int_eq(logdir_scan(dir, &sc), -1);
}
END_TEST

START_TEST(test_expired)
{
	struct logdir_scan sc;
	struct timespec now = T0;

	memset(&sc, 0, sizeof sc);
	ck_assert_int_eq(logdir_expired(&sc, 0, 0, &now), 0);
	sc.count = 3;
	sc.oldest_ts = T0;
	ck_assert_int_eq(logdir_expired(&sc, 2, 0, &now), 1);
	ck_assert_int_eq(logdir_expired(&sc, 3, 0, &now), 0);
	/* Age: strictly older than the limit. */
	now.tv_sec += 60;
	ck_assert_int_eq(logdir_expired(&sc, 3, 60000, &now), 0);
	now.tv_sec += 1;
	ck_assert_int_eq(logdir_expired(&sc, 3, 60000, &now), 1);
	ck_assert_int_eq(logdir_expired(&sc, 3, 0, &now), 0);
}
END_TEST

START_TEST(test_trim)
{
	struct logdir_scan sc;
	struct timespec now = { 1795392000, 0 };	/* 2026-11-23 */

	mkdirtmp();
	touch("current");
	touch("@20261120T000000.000000Z.s");
	touch("@20261121T000000.000000Z.u");
	touch("@20261122T000000.000000Z.s");
	touch("@20261122T120000.000000Z.s");
	touch("@20261122T180000.000000Z.s");
	/* Keep 4: the oldest goes. */
	ck_assert_int_eq(logdir_trim(dir, 4, 0, &now, &sc), 1);
	ck_assert(!exists("@20261120T000000.000000Z.s"));
	ck_assert_uint_eq(sc.count, 4);
	/* Age 1d: what was rotated before 2026-11-22T00:00 goes. */
	ck_assert_int_eq(logdir_trim(dir, 10, 86400000, &now, &sc), 1);
	ck_assert(!exists("@20261121T000000.000000Z.u"));
	ck_assert(exists("@20261122T000000.000000Z.s"));
	/* Keep 0: all rotated files go, current stays. */
	ck_assert_int_eq(logdir_trim(dir, 0, 0, &now, &sc), 3);
	ck_assert_uint_eq(sc.count, 0);
	ck_assert(exists("current"));
	cleanup();
}
END_TEST

/* Write text to dir/name. */
static void
put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

START_TEST(test_tail)
{
	char buf[64];
	ssize_t n;

	mkdirtmp();
	ck_assert_int_eq(logdir_tail(dir, 10, buf, sizeof buf), -1);
	put("current", "a\nb\nc\n");
	n = logdir_tail(dir, 2, buf, sizeof buf);
	ck_assert_int_eq(n, 4);
	ck_assert(memcmp(buf, "b\nc\n", 4) == 0);
	n = logdir_tail(dir, 10, buf, sizeof buf);
	ck_assert_int_eq(n, 6);
	/* Too few in current: the newest rotated file's tail comes first. */
	put("@20261121T000000.000000Z.s", "old\n");
	put("@20261122T000000.000000Z.s", "x\ny\n");
	n = logdir_tail(dir, 4, buf, sizeof buf);
	ck_assert_int_eq(n, 8);
	ck_assert(memcmp(buf, "y\na\nb\nc\n", 8) == 0);
	/* A line cut by the byte bound is left out. */
	put("current", "0123456789\nshort\n");
	n = logdir_tail(dir, 10, buf, 10);
	ck_assert_int_eq(n, 6);
	ck_assert(memcmp(buf, "short\n", 6) == 0);
	/* An unterminated last line counts. */
	put("current", "a\nb");
	n = logdir_tail(dir, 1, buf, sizeof buf);
	ck_assert_int_eq(n, 1);
	ck_assert(memcmp(buf, "b", 1) == 0);
	cleanup();
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logdir");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_name);
	tcase_add_test(tc, test_name_parse_rejects);
	tcase_add_test(tc, test_name_tai64n);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_next_stamp);
	tcase_add_test(tc, test_scan);
	tcase_add_test(tc, test_expired);
	tcase_add_test(tc, test_trim);
	tcase_add_test(tc, test_tail);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
