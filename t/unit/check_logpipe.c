/* check_logpipe: the log FIFO's creation, its ends and its emptiness. */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "logpipe.h"

static char dir[] = "/tmp/check_logpipe.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
}

START_TEST(test_open)
{
	struct stat sb;
	int r, w, held, r2, w2, fl;

	ck_assert_int_eq(logpipe_open("p", &r, &w, &held), 0);
	ck_assert_int_eq(held, 0);
	ck_assert_int_eq(stat("p", &sb), 0);
	ck_assert(S_ISFIFO(sb.st_mode));
	fl = fcntl(r, F_GETFL);
	ck_assert_int_eq(fl & O_NONBLOCK, 0);
	ck_assert_int_eq(fl & O_ACCMODE, O_RDONLY);
	ck_assert_int_eq(fcntl(w, F_GETFL) & O_ACCMODE, O_RDWR);
	ck_assert_int_ne(fcntl(r, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_ne(fcntl(w, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(logpipe_empty(r), 1);
	ck_assert_int_eq(write(w, "x\n", 2), 2);
	ck_assert_int_eq(logpipe_empty(r), 0);
	/* We hold a reader: a second opening sees it held. */
	ck_assert_int_eq(logpipe_open("p", &r2, &w2, &held), 0);
	ck_assert_int_eq(held, 1);
}
END_TEST

START_TEST(test_not_fifo)
{
	int r, w, held, fd;

	fd = open("f", O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	errno = 0;
	ck_assert_int_eq(logpipe_open("f", &r, &w, &held), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(logpipe_open("no/such/p", &r, &w, &held), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logpipe");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_not_fifo);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
