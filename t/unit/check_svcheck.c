/* check_svcheck: the program checks (run, #! interpreter) and the checks
 * of a whole service directory, problems collected through the callback. */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svcheck.h"

static char tmpdir[] = "/tmp/check_svcheck.XXXXXX";

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

/* Write s to tmpdir/name with mode. */
static void
put(const char *name, const char *s, int mode)
{
	char p[300];
	int fd;

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
	ck_assert_int_eq(chmod(p, mode), 0);
}

/* The problems seen, as "file: what\n" lines. */
struct seen {
	char	buf[2048];
	int	calls;
};

static void
collect(void *arg, const char *file, const char *what)
{
	struct seen *s = arg;
	size_t n = strlen(s->buf);

	s->calls++;
	snprintf(s->buf + n, sizeof s->buf - n, "%s: %s\n", file, what);
}

static int
check(struct seen *s)
{
	memset(s, 0, sizeof *s);
	return svcheck_dir(tmpdir, collect, s);
}

START_TEST(test_prog_kv)
{
	struct svcheck_prog p;
	char buf[512];

	memset(&p, 0, sizeof p);
	p.problem = SVCHECK_NOTEXEC;
	svcheck_prog_kv(&p, "run", buf, sizeof buf);
	ck_assert_str_eq(buf, "file=run problem=notexec");
	p.problem = SVCHECK_NOINTERP;
	strcpy(p.interp, "/no/sh");
	svcheck_prog_kv(&p, "finish", buf, sizeof buf);
	ck_assert_str_eq(buf, "file=finish problem=nointerp interpreter=/no/sh");
}
END_TEST

START_TEST(test_prog)
{
	struct svcheck_prog p;

	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_MISSING);
	put("run", "#!/bin/sh\n", 0644);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_NOTEXEC);
	put("run", "#!/bin/sh\nexit 0\n", 0755);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_OK);
	ck_assert_str_eq(p.interp, "/bin/sh");
	put("run", "#! /tend/no/such -e\n", 0755);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_NOINTERP);
	ck_assert_str_eq(p.interp, "/tend/no/such");
	ck_assert_str_eq(svcheck_prog_word(p.problem), "nointerp");
	/* a relative interpreter is found from the directory */
	put("interp", "#!/bin/sh\n", 0644);
	put("run", "#!interp\n", 0755);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_INTERPNOTEXEC);
	put("interp", "#!/bin/sh\n", 0755);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_OK);
	/* CRLF line ends: the interpreter is "/bin/sh\r", shown escaped */
	put("run", "#!/bin/sh\r\nexit 0\r\n", 0755);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_NOINTERP);
	ck_assert_str_eq(p.interp, "/bin/sh\\x0d");
	put("run", "#!\n", 0755);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_NOINTERP);
	/* no #!: a binary, not looked into */
	put("run", "\177ELF", 0755);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_OK);
}
END_TEST

START_TEST(test_prog_notfile)
{
	struct svcheck_prog p;
	char path[300];

	snprintf(path, sizeof path, "%s/run", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(svcheck_prog(tmpdir, "run", &p), 0);
	ck_assert_int_eq(p.problem, SVCHECK_NOTFILE);
	ck_assert_str_eq(svcheck_prog_word(p.problem), "notfile");
}
END_TEST

START_TEST(test_dir_clean)
{
	struct seen s;
	char path[300];

	put("run", "#!/bin/sh\n", 0755);
	put("timeout-kill", "3000\n", 0644);
	put("down-signal", "HUP\n", 0644);
	put("restart", "on-failure\n", 0644);
	put("notification-fd", "3\n", 0644);
	ck_assert_int_eq(check(&s), 0);
	ck_assert_str_eq(s.buf, "");
	snprintf(path, sizeof path, "%s/log", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put("log/run", "#!/bin/sh\n", 0755);
	ck_assert_int_eq(check(&s), 0);
}
END_TEST

START_TEST(test_dir_problems)
{
	struct seen s;
	char path[300];

	put("timeout-kill", "abc\n", 0644);
	put("down-signal", "SIGNOPE\n", 0644);
	put("restart", "sometimes\n", 0644);
	put("notification-fd", "2\n", 0644);
	put("min-uptime", "99999999999999999999\n", 0644);
	put("backoff-max", "\n", 0644);
	put("finish", "#!/bin/sh\n", 0644);
	snprintf(path, sizeof path, "%s/log", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put("log/timeout-finish", "1.5\n", 0644);
	ck_assert_int_eq(check(&s), 10);
	ck_assert_str_eq(s.buf,
	    "run: missing\n"
	    "finish: not executable (supervise skips it)\n"
	    "down-signal: not a known signal: \"SIGNOPE\"\n"
	    "timeout-kill: not a number: \"abc\"\n"
	    "restart: not always, on-failure or never: \"sometimes\"\n"
	    "min-uptime: out of range: \"99999999999999999999\"\n"
	    "backoff-max: not a number: \"\"\n"
	    "notification-fd: not a descriptor from 3 to 1024: \"2\"\n"
	    "log/run: missing\n"
	    "log/timeout-finish: not a number: \"1.5\"\n");
}
END_TEST

START_TEST(test_dir_odd)
{
	struct seen s;
	char path[300];

	/* control bytes in a value are shown as '?', on one line */
	put("run", "#!/bin/sh\n", 0755);
	put("down-signal", "\033[31mTERM\n", 0644);
	ck_assert_int_eq(check(&s), 1);
	ck_assert_str_eq(s.buf, "down-signal: not a known signal: \"?[31mTERM\"\n");
	/* supervise/ that is a file */
	put("down-signal", "TERM\n", 0644);
	put("supervise", "", 0644);
	ck_assert_int_eq(check(&s), 1);
	ck_assert_str_eq(s.buf, "supervise: not a directory\n");
	snprintf(path, sizeof path, "%s/supervise", tmpdir);
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	put("supervise/control", "", 0600);
	ck_assert_int_eq(check(&s), 1);
	ck_assert_str_eq(s.buf, "supervise/control: not a FIFO\n");
	/* not a directory at all; missing: problems, not failures */
	memset(&s, 0, sizeof s);
	snprintf(path, sizeof path, "%s/run", tmpdir);
	ck_assert_int_eq(svcheck_dir(path, collect, &s), 1);
	ck_assert_str_eq(s.buf, ": not a directory\n");
	memset(&s, 0, sizeof s);
	snprintf(path, sizeof path, "%s/nope", tmpdir);
	ck_assert_int_eq(svcheck_dir(path, collect, &s), 1);
	ck_assert_str_eq(s.buf, ": no such directory\n");
}
END_TEST

/* Health settings that do nothing without a check, ready-timeout with no
 * way to be ready late, essential on a logger; a check that would run
 * (even one whose interpreter is missing) makes them count. */
START_TEST(test_dir_health)
{
	struct seen s;
	char path[300];

	put("run", "#!/bin/sh\n", 0755);
	put("check-interval", "100\n", 0644);
	put("check-failures", "0\n", 0644);
	put("ready-timeout", "2000\n", 0644);
	snprintf(path, sizeof path, "%s/log", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put("log/run", "#!/bin/sh\n", 0755);
	put("log/essential", "", 0644);
	put("log/check", "#!/bin/sh\n", 0644);
	ck_assert_int_eq(check(&s), 5);
	ck_assert_str_eq(s.buf,
	    "check-interval: ignored: no executable check\n"
	    "check-failures: ignored: no executable check\n"
	    "ready-timeout: ignored: ready at once without a check or "
	    "notification-fd\n"
	    "log/check: not executable (supervise skips it)\n"
	    "log/essential: ignored: only a service is essential, not its "
	    "logger\n");
	put("check", "#!/no/such/tend/sh\n", 0755);
	put("log/check", "#!/bin/sh\n", 0755);
	snprintf(path, sizeof path, "%s/log/essential", tmpdir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(check(&s), 1);
	ck_assert_str_eq(s.buf,
	    "check: interpreter not found: \"/no/such/tend/sh\"\n");
	/* ready-timeout 0 says nothing; notification-fd can be late. */
	snprintf(path, sizeof path, "%s/check", tmpdir);
	ck_assert_int_eq(unlink(path), 0);
	put("check-interval", "0\n", 0644);
	put("check-failures", "x\n", 0644);
	put("notification-fd", "4\n", 0644);
	ck_assert_int_eq(check(&s), 2);
	ck_assert_str_eq(s.buf,
	    "check-failures: not a number: \"x\"\n"
	    "check-interval: ignored: no executable check\n");
}
END_TEST

/* control/: each letter supervise runs checked like finish, relative
 * interpreters from the service directory; other names never run. */
START_TEST(test_dir_control)
{
	struct seen s;
	char path[300];

	put("run", "#!/bin/sh\n", 0755);
	snprintf(path, sizeof path, "%s/control", tmpdir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(check(&s), 0);
	put("control/x", "#!./helper\n", 0755);
	put("control/2", "#!/bin/sh\n", 0600);
	put("control/zz", "", 0755);
	put("control/o", "", 0755);
	put("control/.x.swp", "", 0644);
	ck_assert_int_eq(check(&s), 4);
	ck_assert_str_eq(s.buf,
	    "control/2: not executable (supervise skips it)\n"
	    "control/x: interpreter not found: \"./helper\"\n"
	    "control/o: never run: o runs control/u\n"
	    "control/zz: never run: not a control letter (one of "
	    "udpchaiq12tkx)\n");
	put("helper", "#!/bin/sh\n", 0755);
	put("control/2", "#!/bin/sh\n", 0755);
	snprintf(path, sizeof path, "%s/control/zz", tmpdir);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof path, "%s/control/o", tmpdir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(check(&s), 0);
}
END_TEST

static Suite *
svcheck_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("svcheck");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_prog);
	tcase_add_test(tc, test_prog_kv);
	tcase_add_test(tc, test_prog_notfile);
	tcase_add_test(tc, test_dir_clean);
	tcase_add_test(tc, test_dir_problems);
	tcase_add_test(tc, test_dir_odd);
	tcase_add_test(tc, test_dir_health);
	tcase_add_test(tc, test_dir_control);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svcheck_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
