/* check_svconf: signal names, one-value files and the defaults. */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "svconf.h"

static char tmpdir[] = "/tmp/check_svconf.XXXXXX";
static const char *files[] = { "timeout-finish", "timeout-kill", "min-uptime",
    "backoff-max", "max-restarts", "down-signal", "restart", "notification-fd",
    "check-timeout", "check-interval", "check-failures", "ready-timeout",
    "f" };

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char p[300];
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", tmpdir, files[i]);
		if (unlink(p) == -1)
			rmdir(p);
	}
	rmdir(tmpdir);
}

/* Write s (NULL: remove) to tmpdir/name; returns the path. */
static const char *
put(const char *name, const char *s)
{
	static char p[300];
	int fd;

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	unlink(p);
	if (s == NULL)
		return p;
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
	return p;
}

START_TEST(test_signal_parse)
{
	static const char *bad[] = { "0", "65", "-1", "", "SIG", "TERMX",
	    "15x", "x15", " 15", "SIGSIGTERM", "sigfoo", "1000000000000",
	    "4294967311" };
	size_t i;

	ck_assert_int_eq(svconf_signal_parse("TERM"), SIGTERM);
	ck_assert_int_eq(svconf_signal_parse("SIGTERM"), SIGTERM);
	ck_assert_int_eq(svconf_signal_parse("term"), SIGTERM);
	ck_assert_int_eq(svconf_signal_parse("sigterm"), SIGTERM);
	ck_assert_int_eq(svconf_signal_parse("15"), SIGTERM);
	ck_assert_int_eq(svconf_signal_parse("HUP"), SIGHUP);
	ck_assert_int_eq(svconf_signal_parse("SIGKILL"), SIGKILL);
	ck_assert_int_eq(svconf_signal_parse("usr1"), SIGUSR1);
	ck_assert_int_eq(svconf_signal_parse("QUIT"), SIGQUIT);
	ck_assert_int_eq(svconf_signal_parse("1"), 1);
	ck_assert_int_eq(svconf_signal_parse("64"), 64);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (svconf_signal_parse(bad[i]) != -1)
			ck_abort_msg("accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_signal_name)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGKILL, SIGUSR1,
	    SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGCONT, SIGSTOP,
	    SIGWINCH };
	char buf[16];
	size_t i;

	ck_assert_str_eq(svconf_signal_name(SIGTERM), "TERM");
	ck_assert_str_eq(svconf_signal_name(SIGKILL), "KILL");
	ck_assert_str_eq(svconf_signal_name(SIGHUP), "HUP");
	ck_assert_ptr_null(svconf_signal_name(0));
	ck_assert_ptr_null(svconf_signal_name(-1));
	ck_assert_ptr_null(svconf_signal_name(64));
	/* Names and numbers go both ways. */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		ck_assert_ptr_nonnull(svconf_signal_name(sigs[i]));
		ck_assert_int_eq(svconf_signal_parse(
		    svconf_signal_name(sigs[i])), sigs[i]);
		snprintf(buf, sizeof buf, "SIG%s", svconf_signal_name(sigs[i]));
		ck_assert_int_eq(svconf_signal_parse(buf), sigs[i]);
	}
}
END_TEST

START_TEST(test_read_line)
{
	char buf[64];

	ck_assert_int_eq(svconf_read_line(put("f", "TERM\n"), buf, sizeof buf),
	    1);
	ck_assert_str_eq(buf, "TERM");
	ck_assert_int_eq(svconf_read_line(put("f", " \t KILL \t\r\n"), buf,
	    sizeof buf), 1);
	ck_assert_str_eq(buf, "KILL");
	ck_assert_int_eq(svconf_read_line(put("f", "5000\r\n"), buf,
	    sizeof buf), 1);
	ck_assert_str_eq(buf, "5000");
	ck_assert_int_eq(svconf_read_line(put("f", "no newline"), buf,
	    sizeof buf), 1);
	ck_assert_str_eq(buf, "no newline");
	ck_assert_int_eq(svconf_read_line(put("f", "first\nsecond\n"), buf,
	    sizeof buf), 1);
	ck_assert_str_eq(buf, "first");
	ck_assert_int_eq(svconf_read_line(put("f", "a b\n"), buf, sizeof buf),
	    1);
	ck_assert_str_eq(buf, "a b");
	ck_assert_int_eq(svconf_read_line(put("f", ""), buf, sizeof buf), 1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(svconf_read_line(put("f", "\nsecond\n"), buf,
	    sizeof buf), 1);
	ck_assert_str_eq(buf, "");
	/* Bounded by the buffer. */
	ck_assert_int_eq(svconf_read_line(put("f", "0123456789\n"), buf, 5),
	    1);
	ck_assert_str_eq(buf, "0123");
	/* Absent, and unreadable. */
	ck_assert_int_eq(svconf_read_line(put("f", NULL), buf, sizeof buf), 0);
	ck_assert_int_eq(mkdir(put("f", NULL), 0755), 0);
	ck_assert_int_eq(svconf_read_line(put("f", NULL), buf, sizeof buf),
	    -1);
	rmdir(put("f", NULL));
}
END_TEST

START_TEST(test_read_ms)
{
	static const char *bad[] = { "", "\n", "-1", "x", "5s", "1.5", "1 2",
	    "1001", "99999999999999999999999", "0x10", "+5" };
	int64_t v;
	size_t i;

	v = 42;
	ck_assert_int_eq(svconf_read_ms(put("f", NULL), 1000, &v), 0);
	ck_assert_int_eq(v, 42);
	ck_assert_int_eq(svconf_read_ms(put("f", "250\n"), 1000, &v), 1);
	ck_assert_int_eq(v, 250);
	ck_assert_int_eq(svconf_read_ms(put("f", " 0 \n"), 1000, &v), 1);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(svconf_read_ms(put("f", "1000"), 1000, &v), 1);
	ck_assert_int_eq(v, 1000);
	ck_assert_int_eq(svconf_read_ms(put("f", "9223372036854775807"),
	    INT64_MAX, &v), 1);
	ck_assert_int_eq(v, INT64_MAX);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = 42;
		errno = 0;
		if (svconf_read_ms(put("f", bad[i]), 1000, &v) != -1)
			ck_abort_msg("accepted \"%s\"", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
		ck_assert_int_eq(v, 42);
	}
	errno = 0;
	ck_assert_int_eq(svconf_read_ms(put("f", "9223372036854775808"),
	    INT64_MAX, &v), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static void
assert_defaults(const struct svconf *c)
{
	ck_assert_int_eq(c->timeout_finish, 5000);
	ck_assert_int_eq(c->timeout_kill, 7000);
	ck_assert_int_eq(c->down_signal, SIGTERM);
	ck_assert_int_eq(c->restart, RESTART_ALWAYS);
	ck_assert_int_eq(c->min_uptime, 1000);
	ck_assert_int_eq(c->backoff_max, 60000);
	ck_assert_int_eq(c->max_restarts, 0);
	ck_assert_int_eq(c->notification_fd, -1);
	ck_assert_int_eq(c->check_timeout, 5000);
	ck_assert_int_eq(c->check_interval, 0);
	ck_assert_int_eq(c->check_failures, 3);
	ck_assert_int_eq(c->ready_timeout, 0);
}

START_TEST(test_load_defaults)
{
	struct svconf c;

	memset(&c, 0x5a, sizeof c);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	assert_defaults(&c);
	ck_assert_str_eq(c.bad, "");
}
END_TEST

START_TEST(test_load_each)
{
	struct svconf c;

	put("timeout-finish", "100\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.timeout_finish, 100);
	put("timeout-finish", NULL);
	c.timeout_finish = 5000;
	assert_defaults(&c);

	put("timeout-kill", "0\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.timeout_kill, 0);
	put("timeout-kill", NULL);

	put("down-signal", "HUP\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.down_signal, SIGHUP);
	put("down-signal", "9\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.down_signal, SIGKILL);
	put("down-signal", NULL);

	put("restart", "on-failure\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.restart, RESTART_ON_FAILURE);
	put("restart", "never");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.restart, RESTART_NEVER);
	put("restart", "always\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.restart, RESTART_ALWAYS);
	put("restart", NULL);

	put("min-uptime", "2500\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.min_uptime, 2500);
	put("min-uptime", NULL);

	put("backoff-max", "1000\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.backoff_max, 1000);
	put("backoff-max", NULL);

	put("max-restarts", "5\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.max_restarts, 5);
	put("max-restarts", NULL);

	put("check-timeout", "250\n");
	put("check-interval", "100\n");
	put("check-failures", "2\n");
	put("ready-timeout", "3000\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.check_timeout, 250);
	ck_assert_int_eq(c.check_interval, 100);
	ck_assert_int_eq(c.check_failures, 2);
	ck_assert_int_eq(c.ready_timeout, 3000);
	put("check-timeout", NULL);
	put("check-interval", NULL);
	put("check-failures", NULL);
	put("ready-timeout", NULL);

	put("notification-fd", "3\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.notification_fd, 3);
	put("notification-fd", NULL);

	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	assert_defaults(&c);
}
END_TEST

/* Load with one file invalid: -1, that file named, its default kept. */
static void
assert_bad(const char *file, const char *val)
{
	struct svconf c;

	put(file, val);
	memset(&c, 0x5a, sizeof c);
	errno = 0;
	if (svconf_load(tmpdir, &c) != -1)
		ck_abort_msg("accepted %s \"%s\"", file, val);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(c.bad, file);
	assert_defaults(&c);
	put(file, NULL);
}

START_TEST(test_load_invalid)
{
	struct svconf c;

	assert_bad("timeout-finish", "soon\n");
	assert_bad("timeout-kill", "-1\n");
	assert_bad("min-uptime", "1.5\n");
	assert_bad("backoff-max", "99999999999999999999\n");
	assert_bad("max-restarts", "\n");
	assert_bad("down-signal", "NOSUCH\n");
	assert_bad("down-signal", "0\n");
	assert_bad("down-signal", "");
	assert_bad("restart", "sometimes\n");
	assert_bad("restart", "Always\n");
	assert_bad("notification-fd", "2\n");
	assert_bad("notification-fd", "x\n");
	assert_bad("notification-fd", "1025\n");
	assert_bad("check-timeout", "fast\n");
	assert_bad("check-interval", "-5\n");
	assert_bad("check-failures", "three\n");
	assert_bad("ready-timeout", "1s\n");
	/* The first bad file is named; the good ones still count. */
	put("timeout-kill", "x\n");
	put("restart", "bad\n");
	put("min-uptime", "300\n");
	put("down-signal", "INT\n");
	put("backoff-max", "soon as\tpossible \"x\"\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), -1);
	ck_assert_str_eq(c.bad, "timeout-kill");
	/* Every bad file is listed, in reading order, with its value. */
	ck_assert_uint_eq(c.nbad, 3);
	ck_assert_str_eq(c.bads[0].file, "timeout-kill");
	ck_assert_str_eq(c.bads[0].value, "x");
	ck_assert_str_eq(c.bads[1].file, "backoff-max");
	ck_assert_str_eq(c.bads[1].value, "soon?as?possible??x?");
	ck_assert_str_eq(c.bads[2].file, "restart");
	ck_assert_str_eq(c.bads[2].value, "bad");
	put("backoff-max", "01234567890123456789012345678901234567890123456789\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), -1);
	ck_assert_str_eq(c.bads[1].value,
	    "0123456789012345678901234567890123456789...");
	put("backoff-max", NULL);
	ck_assert_int_eq(c.timeout_kill, 7000);
	ck_assert_int_eq(c.restart, RESTART_ALWAYS);
	ck_assert_int_eq(c.min_uptime, 300);
	ck_assert_int_eq(c.down_signal, SIGINT);
	/* bad is cleared by the next good load. */
	put("timeout-kill", NULL);
	put("restart", NULL);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_str_eq(c.bad, "");
	ck_assert_uint_eq(c.nbad, 0);
}
END_TEST

/* An unreadable file (here a directory) counts as invalid. */
/* Set tmpdir's mtime to t (ctime becomes now). */
static void
set_mtime(const struct timespec *t)
{
	struct timespec ts[2];

	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1] = *t;
	ck_assert_int_eq(utimensat(AT_FDCWD, tmpdir, ts, 0), 0);
}

/* An hour ago: a directory older than SVCONF_SETTLE_MS. */
static void
backdate(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec -= 3600;
	set_mtime(&t);
}

/* Rewrite tmpdir/name in place: the directory does not change. */
static void
overwrite(const char *name, const char *s)
{
	char p[300];
	int fd;

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	fd = open(p, O_WRONLY | O_TRUNC);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

START_TEST(test_load_seen)
{
	struct svconf c, d;
	struct timespec m;
	struct stat sb;
	char other[300];
	int fd;

	memset(&c, 0, sizeof c);
	put("timeout-kill", "100\n");
	/* Just changed: every file looked for, twice. */
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 12);
	ck_assert_int_eq(c.seen.trusted, 0);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 12);
	/* Settled: the next load after one that found it settled looks
	 * only for what was there. */
	backdate();
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 12);
	ck_assert_int_eq(c.seen.trusted, 1);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 1);
	ck_assert_int_eq(c.timeout_kill, 100);
	ck_assert_int_eq(c.timeout_finish, 5000);
	ck_assert_int_eq(c.restart, RESTART_ALWAYS);
	ck_assert_int_eq(c.notification_fd, -1);
	/* A present file is re-read: changed in place, it is seen. */
	overwrite("timeout-kill", "250\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 1);
	ck_assert_int_eq(c.timeout_kill, 250);
	/* ... and so is one made invalid in place. */
	overwrite("timeout-kill", "soon\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), -1);
	ck_assert_str_eq(c.bad, "timeout-kill");
	ck_assert_int_eq(c.timeout_kill, 7000);
	overwrite("timeout-kill", "250\n");
	/* A new file changes the directory: everything is looked for. */
	put("restart", "never\n");
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 12);
	ck_assert_int_eq(c.restart, RESTART_NEVER);
	ck_assert_int_eq(c.seen.trusted, 0);
	backdate();
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 2);
	ck_assert_int_eq(c.restart, RESTART_NEVER);
	ck_assert_int_eq(c.timeout_kill, 250);
	/* A file added with the mtime put back as it was (cp -a, rsync):
	 * the ctime tells. */
	ck_assert_int_eq(stat(tmpdir, &sb), 0);
	m = sb.st_mtim;
	put("down-signal", "HUP\n");
	set_mtime(&m);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 12);
	ck_assert_int_eq(c.down_signal, SIGHUP);
	/* A removed file: the directory changed, its default is back. */
	backdate();
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	put("restart", NULL);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(c.restart, RESTART_ALWAYS);
	ck_assert_int_eq(c.down_signal, SIGHUP);
	/* Another directory with the same struct: read in full. */
	backdate();
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	snprintf(other, sizeof other, "%s/f", tmpdir);
	ck_assert_int_eq(mkdir(other, 0755), 0);
	backdate();
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 2);
	ck_assert_int_eq(svconf_load(other, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 12);
	ck_assert_int_eq(c.timeout_kill, 7000);
	ck_assert_int_eq(c.down_signal, SIGTERM);
	/* A dangling symlink counts as present: its target can appear
	 * without the directory changing. */
	snprintf(other, sizeof other, "%s/f/tk", tmpdir);
	ck_assert_int_eq(symlink(other, put("check-timeout", NULL)), 0);
	backdate();
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 3);
	ck_assert_int_eq(c.check_timeout, 5000);
	fd = open(other, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "900\n", 4), 4);
	close(fd);
	ck_assert_int_eq(svconf_load(tmpdir, &c), 0);
	ck_assert_uint_eq(c.seen.opened, 3);
	ck_assert_int_eq(c.check_timeout, 900);
	unlink(other);
	/* A struct never loaded (not zeroed, say) is read in full. */
	memset(&d, 0xa5, sizeof d);
	ck_assert_int_eq(svconf_load(tmpdir, &d), 0);
	ck_assert_uint_eq(d.seen.opened, 12);
	ck_assert_int_eq(d.timeout_kill, 250);
}
END_TEST

START_TEST(test_load_unreadable)
{
	struct svconf c;

	ck_assert_int_eq(mkdir(put("restart", NULL), 0755), 0);
	ck_assert_int_eq(svconf_load(tmpdir, &c), -1);
	ck_assert_str_eq(c.bad, "restart");
	assert_defaults(&c);
}
END_TEST

static Suite *
svconf_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("svconf");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_signal_parse);
	tcase_add_test(tc, test_signal_name);
	tcase_add_test(tc, test_read_line);
	tcase_add_test(tc, test_read_ms);
	tcase_add_test(tc, test_load_defaults);
	tcase_add_test(tc, test_load_each);
	tcase_add_test(tc, test_load_invalid);
	tcase_add_test(tc, test_load_unreadable);
	tcase_add_test(tc, test_load_seen);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svconf_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
