/* check_svcontrol: control bytes and the control and ok FIFOs. */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "svcontrol.h"

static char tmpdir[] = "/tmp/check_svcontrol.XXXXXX";
static char ctlpath[256], okpath[256];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(ctlpath, sizeof ctlpath, "%s/control", tmpdir);
	snprintf(okpath, sizeof okpath, "%s/ok", tmpdir);
}

static void
teardown(void)
{
	unlink(ctlpath);
	unlink(okpath);
	rmdir(tmpdir);
}

static void
assert_fifo(const char *p)
{
	struct stat sb;

	ck_assert_int_eq(lstat(p, &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));
	ck_assert_uint_eq(sb.st_mode & 07777, 0600);
}

START_TEST(test_valid)
{
	int c;

	for (c = -1; c < 256; c++) {
		if (c > 0 && strchr("udopchaiq12tkx", c) != NULL)
			ck_assert_msg(svcontrol_valid(c), "rejected %d", c);
		else
			ck_assert_msg(!svcontrol_valid(c), "accepted %d", c);
	}
	ck_assert_str_eq(SVCONTROL_BYTES, "udopchaiq12tkx");
}
END_TEST

START_TEST(test_signal)
{
	ck_assert_int_eq(svcontrol_signal('p'), SIGSTOP);
	ck_assert_int_eq(svcontrol_signal('c'), SIGCONT);
	ck_assert_int_eq(svcontrol_signal('h'), SIGHUP);
	ck_assert_int_eq(svcontrol_signal('a'), SIGALRM);
	ck_assert_int_eq(svcontrol_signal('i'), SIGINT);
	ck_assert_int_eq(svcontrol_signal('q'), SIGQUIT);
	ck_assert_int_eq(svcontrol_signal('1'), SIGUSR1);
	ck_assert_int_eq(svcontrol_signal('2'), SIGUSR2);
	ck_assert_int_eq(svcontrol_signal('t'), SIGTERM);
	ck_assert_int_eq(svcontrol_signal('k'), SIGKILL);
	ck_assert_int_eq(svcontrol_signal('u'), 0);
	ck_assert_int_eq(svcontrol_signal('d'), 0);
	ck_assert_int_eq(svcontrol_signal('o'), 0);
	ck_assert_int_eq(svcontrol_signal('x'), 0);
	ck_assert_int_eq(svcontrol_signal('e'), 0);
	ck_assert_int_eq(svcontrol_signal(0), 0);
}
END_TEST

START_TEST(test_open_send)
{
	struct svfifos f;
	char buf[64];

	umask(0);
	errno = 0;
	ck_assert_int_eq(svcontrol_ok(tmpdir), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(svcontrol_open(tmpdir, &f), 0);
	assert_fifo(ctlpath);
	assert_fifo(okpath);
	ck_assert(fcntl(f.ctl, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(f.ctlw, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(f.ok, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(f.ctl, F_GETFL) & O_NONBLOCK);
	ck_assert_int_eq(svcontrol_ok(tmpdir), 0);
	/* Nothing yet, and no EOF either. */
	ck_assert_int_eq(read(f.ctl, buf, sizeof buf), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(svcontrol_send(tmpdir, "ud", 2), 0);
	ck_assert_int_eq(svcontrol_send(tmpdir, "x", 1), 0);
	ck_assert_int_eq(read(f.ctl, buf, sizeof buf), 3);
	ck_assert(memcmp(buf, "udx", 3) == 0);
	ck_assert_int_eq(read(f.ctl, buf, sizeof buf), -1);
	ck_assert_int_eq(errno, EAGAIN);
	svcontrol_close(&f);
	ck_assert_int_eq(f.ctl, -1);
	ck_assert_int_eq(f.ctlw, -1);
	ck_assert_int_eq(f.ok, -1);
	/* Nobody reads them now. */
	errno = 0;
	ck_assert_int_eq(svcontrol_ok(tmpdir), -1);
	ck_assert_int_eq(errno, ENXIO);
	errno = 0;
	ck_assert_int_eq(svcontrol_send(tmpdir, "u", 1), -1);
	ck_assert_int_eq(errno, ENXIO);
	/* Closing twice is harmless. */
	svcontrol_close(&f);
	/* The FIFOs stay and are reused. */
	assert_fifo(ctlpath);
	ck_assert_int_eq(svcontrol_open(tmpdir, &f), 0);
	ck_assert_int_eq(svcontrol_ok(tmpdir), 0);
	svcontrol_close(&f);
}
END_TEST

/* A regular file where a FIFO belongs is replaced. */
START_TEST(test_replace_file)
{
	struct svfifos f;
	char buf[8];
	int fd;

	fd = open(ctlpath, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "junk", 4), 4);
	close(fd);
	fd = open(okpath, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ne(fd, -1);
	close(fd);
	umask(022);
	ck_assert_int_eq(svcontrol_open(tmpdir, &f), 0);
	assert_fifo(ctlpath);
	assert_fifo(okpath);
	ck_assert_int_eq(svcontrol_send(tmpdir, "t", 1), 0);
	ck_assert_int_eq(read(f.ctl, buf, sizeof buf), 1);
	ck_assert_int_eq(buf[0], 't');
	svcontrol_close(&f);
}
END_TEST

START_TEST(test_open_fails)
{
	struct svfifos f;
	char p[300];

	snprintf(p, sizeof p, "%s/nodir", tmpdir);
	f.ctl = f.ctlw = f.ok = 42;
	ck_assert_int_eq(svcontrol_open(p, &f), -1);
	ck_assert_int_eq(f.ctl, -1);
	ck_assert_int_eq(f.ctlw, -1);
	ck_assert_int_eq(f.ok, -1);
	/* A directory named control cannot be replaced. */
	ck_assert_int_eq(mkdir(ctlpath, 0755), 0);
	ck_assert_int_eq(svcontrol_open(tmpdir, &f), -1);
	ck_assert_int_eq(f.ctl, -1);
	rmdir(ctlpath);
}
END_TEST

static Suite *
svcontrol_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("svcontrol");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_signal);
	tcase_add_test(tc, test_open_send);
	tcase_add_test(tc, test_replace_file);
	tcase_add_test(tc, test_open_fails);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svcontrol_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
