/* check_procstate: env dir values and directories, user specs, limits,
 * nice increments and the PATH search. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procstate.h"

static char tmpdir[] = "/tmp/check_procstate.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Write n bytes of s to tmpdir/name. */
static void
put(const char *name, const char *s, size_t n)
{
	char p[300];
	int fd;

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, s, n), (ssize_t)n);
	close(fd);
}

/* What an env dir did, as "NAME=value;" and "NAME-;" in readdir order:
 * sorted by the test when it matters. */
struct seen {
	char	buf[512];
	int	calls;
};

static int
record(void *ctx, const char *name, const char *value)
{
	struct seen *s = ctx;
	size_t n = strlen(s->buf);

	s->calls++;
	if (value == NULL)
		snprintf(s->buf + n, sizeof s->buf - n, "%s-;", name);
	else
		snprintf(s->buf + n, sizeof s->buf - n, "%s=%s;", name, value);
	return 0;
}

START_TEST(test_env_value)
{
	char b[64];

	memcpy(b, "hello  \t \nsecond\n", 17);
	ck_assert_uint_eq(procstate_env_value(b, 17), 5);
	ck_assert_str_eq(b, "hello");
	memcpy(b, "a\0b\t ", 5);
	ck_assert_uint_eq(procstate_env_value(b, 5), 3);
	ck_assert_str_eq(b, "a\nb");
	memcpy(b, "\n", 1);
	ck_assert_uint_eq(procstate_env_value(b, 1), 0);
	ck_assert_str_eq(b, "");
	memcpy(b, " lead\r", 6);	/* leading blanks and \r stay */
	ck_assert_uint_eq(procstate_env_value(b, 6), 6);
	ck_assert_str_eq(b, " lead\r");
	memcpy(b, "noeol", 5);
	ck_assert_uint_eq(procstate_env_value(b, 5), 5);
	ck_assert_str_eq(b, "noeol");
}
END_TEST

START_TEST(test_envdir)
{
	struct seen s;
	char buf[64], bad[64], p[300];

	memset(&s, 0, sizeof s);
	put("A", "one \n", 5);
	ck_assert_int_eq(procstate_envdir(tmpdir, record, &s, buf, sizeof buf,
	    bad, sizeof bad), 0);
	ck_assert_str_eq(s.buf, "A=one;");
	ck_assert_str_eq(bad, "");

	/* empty unsets, "\n" sets "", dot files and dangling links skipped */
	unlink(strcat(strcpy(p, tmpdir), "/A"));
	put("E", "", 0);
	put(".hidden", "x", 1);
	snprintf(p, sizeof p, "%s/DANGLING", tmpdir);
	ck_assert_int_eq(symlink("nowhere", p), 0);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(procstate_envdir(tmpdir, record, &s, buf, sizeof buf,
	    bad, sizeof bad), 0);
	ck_assert_str_eq(s.buf, "E-;");
	put("E", "\n", 1);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(procstate_envdir(tmpdir, record, &s, buf, sizeof buf,
	    bad, sizeof bad), 0);
	ck_assert_str_eq(s.buf, "E=;");
}
END_TEST

START_TEST(test_envdir_errors)
{
	struct seen s;
	char buf[8], bad[64], p[300];

	memset(&s, 0, sizeof s);
	snprintf(p, sizeof p, "%s/missing", tmpdir);
	ck_assert_int_eq(procstate_envdir(p, record, &s, buf, sizeof buf, bad,
	    sizeof bad), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(bad, "");

	put("X=Y", "v", 1);
	ck_assert_int_eq(procstate_envdir(tmpdir, record, &s, buf, sizeof buf,
	    bad, sizeof bad), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_str_eq(bad, "X=Y");
	snprintf(p, sizeof p, "%s/X=Y", tmpdir);
	unlink(p);

	/* a first line of 7 bytes fits the 8-byte buffer, 8 do not */
	put("L", "1234567\nmore", 12);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(procstate_envdir(tmpdir, record, &s, buf, sizeof buf,
	    bad, sizeof bad), 0);
	ck_assert_str_eq(s.buf, "L=1234567;");
	put("L", "1234567", 7);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(procstate_envdir(tmpdir, record, &s, buf, sizeof buf,
	    bad, sizeof bad), 0);
	ck_assert_str_eq(s.buf, "L=1234567;");
	put("L", "12345678", 8);
	ck_assert_int_eq(procstate_envdir(tmpdir, record, &s, buf, sizeof buf,
	    bad, sizeof bad), -1);
	ck_assert_int_eq(errno, E2BIG);
	ck_assert_str_eq(bad, "L");
	snprintf(p, sizeof p, "%s/L", tmpdir);
	unlink(p);

	/* a directory is an error, as with envdir */
	snprintf(p, sizeof p, "%s/SUB", tmpdir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	ck_assert_int_eq(procstate_envdir(tmpdir, record, &s, buf, sizeof buf,
	    bad, sizeof bad), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert_str_eq(bad, "SUB");
}
END_TEST

START_TEST(test_ids_numeric)
{
	struct procstate_ids ids;
	static const char *bad[] = { ":", ":1000", ":1000:", ":abc:1",
	    ":1::2", ":1:x", "::1", ":-1:1", ":4294967295:1",
	    ":99999999999999999999:1" };
	size_t i;

	ck_assert_int_eq(procstate_ids_parse(":1000:1001:1002", &ids), 0);
	ck_assert_uint_eq(ids.uid, 1000);
	ck_assert_uint_eq(ids.gid, 1001);
	ck_assert_uint_eq(ids.ngroups, 2);
	ck_assert_uint_eq(ids.groups[0], 1001);
	ck_assert_uint_eq(ids.groups[1], 1002);
	ck_assert_int_eq(ids.named, 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		if (procstate_ids_parse(bad[i], &ids) != -1 || errno != EINVAL)
			ck_abort_msg("accepted \"%s\"", bad[i]);
	}
}
END_TEST

START_TEST(test_ids_named)
{
	struct procstate_ids ids;
	char spec[1024];
	size_t i;

	ck_assert_int_eq(procstate_ids_parse("root", &ids), 0);
	ck_assert_uint_eq(ids.uid, 0);
	ck_assert_uint_eq(ids.gid, 0);
	ck_assert_uint_eq(ids.ngroups, 1);
	ck_assert_int_eq(ids.named, 1);
	ck_assert_str_eq(ids.user, "root");
	ck_assert_str_eq(ids.home, "/root");
	ck_assert_int_eq(procstate_ids_parse("root:root:root", &ids), 0);
	ck_assert_uint_eq(ids.ngroups, 2);
	ck_assert_int_eq(procstate_ids_parse("no-such-user-here", &ids), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(ids.bad, "no-such-user-here");
	ck_assert_int_eq(ids.badgroup, 0);
	ck_assert_int_eq(procstate_ids_parse("root:no-such-group", &ids), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_str_eq(ids.bad, "no-such-group");
	ck_assert_int_eq(ids.badgroup, 1);
	ck_assert_int_eq(procstate_ids_parse("root:", &ids), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(procstate_ids_parse("", &ids), -1);
	ck_assert_int_eq(errno, EINVAL);
	strcpy(spec, ":0");
	for (i = 0; i <= PROCSTATE_GROUPS_MAX; i++)
		strcat(spec, ":0");
	ck_assert_int_eq(procstate_ids_parse(spec, &ids), -1);
	ck_assert_int_eq(errno, E2BIG);
}
END_TEST

START_TEST(test_limits)
{
	struct procstate_limit l;
	struct rlimit r;

	ck_assert_int_eq(procstate_limit_parse("abc", RLIMIT_NOFILE, &l), -1);
	ck_assert_int_eq(procstate_limit_parse("", RLIMIT_NOFILE, &l), -1);
	ck_assert_int_eq(procstate_limit_parse("-1", RLIMIT_NOFILE, &l), -1);
	ck_assert_int_eq(procstate_limit_parse("99999999999999999999",
	    RLIMIT_NOFILE, &l), -1);
	ck_assert_int_eq(procstate_limit_parse("64", RLIMIT_NOFILE, &l), 0);
	ck_assert_int_eq(procstate_limit_apply(&l), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &r), 0);
	ck_assert_uint_eq(r.rlim_cur, 64);
	/* "=" and more than the hard limit both give the hard limit */
	r.rlim_max = 200;
	r.rlim_cur = 64;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &r), 0);
	ck_assert_int_eq(procstate_limit_parse("=", RLIMIT_NOFILE, &l), 0);
	ck_assert_int_eq(procstate_limit_apply(&l), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &r), 0);
	ck_assert_uint_eq(r.rlim_cur, 200);
	ck_assert_int_eq(procstate_limit_parse("100", RLIMIT_NOFILE, &l), 0);
	ck_assert_int_eq(procstate_limit_apply(&l), 0);
	ck_assert_int_eq(procstate_limit_parse("5000", RLIMIT_NOFILE, &l), 0);
	ck_assert_int_eq(procstate_limit_apply(&l), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &r), 0);
	ck_assert_uint_eq(r.rlim_cur, 200);
	ck_assert_uint_eq(r.rlim_max, 200);
}
END_TEST

START_TEST(test_nice_parse)
{
	int n;

	ck_assert_int_eq(procstate_nice_parse("5", &n), 0);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(procstate_nice_parse("-3", &n), 0);
	ck_assert_int_eq(n, -3);
	ck_assert_int_eq(procstate_nice_parse("+40", &n), 0);
	ck_assert_int_eq(n, 40);
	ck_assert_int_eq(procstate_nice_parse("41", &n), -1);
	ck_assert_int_eq(procstate_nice_parse("", &n), -1);
	ck_assert_int_eq(procstate_nice_parse("-", &n), -1);
	ck_assert_int_eq(procstate_nice_parse("1x", &n), -1);
}
END_TEST

/* The PATH search: not found, found but not executable, found. */
START_TEST(test_exec)
{
	char *argv[] = { "x", NULL };
	char path[400], p[300];
	pid_t pid;
	int st;

	snprintf(path, sizeof path, "%s/none:%s", tmpdir, tmpdir);
	ck_assert_int_eq(procstate_exec("tend-no-such", argv, path), -1);
	ck_assert_int_eq(errno, ENOENT);
	put("noexec", "#!/bin/sh\n", 10);
	ck_assert_int_eq(procstate_exec("noexec", argv, path), -1);
	ck_assert_int_eq(errno, EACCES);
	snprintf(p, sizeof p, "%s/noexec", tmpdir);
	ck_assert_int_eq(procstate_exec(p, argv, path), -1);
	ck_assert_int_eq(errno, EACCES);
	ck_assert_int_eq(procstate_exec("", argv, path), -1);
	ck_assert_int_eq(errno, ENOENT);
	put("ok", "#!/bin/sh\nexit 7\n", 17);
	snprintf(p, sizeof p, "%s/ok", tmpdir);
	ck_assert_int_eq(chmod(p, 0755), 0);
	if ((pid = fork()) == 0) {
		procstate_exec("ok", argv, path);
		_exit(99);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 7);
}
END_TEST

static Suite *
procstate_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("procstate");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_env_value);
	tcase_add_test(tc, test_envdir);
	tcase_add_test(tc, test_envdir_errors);
	tcase_add_test(tc, test_ids_numeric);
	tcase_add_test(tc, test_ids_named);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_nice_parse);
	tcase_add_test(tc, test_exec);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(procstate_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
