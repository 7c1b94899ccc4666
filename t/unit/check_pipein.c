/* check_pipein: input peeked with tee(2), whole lines, removed only once
 * consumed; plain reads where it is no pipe. */
#include <sys/types.h>
#include <sys/ioctl.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "pipein.h"

/* Bytes waiting in pipe fd. */
static int
waiting(int fd)
{
	int n = -1;

	ck_assert_int_eq(ioctl(fd, FIONREAD, &n), 0);
	return n;
}

static void
mkpipe(int p[2], const char *s)
{
	ck_assert_int_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
	ck_assert_int_eq(fd_write_all(p[1], s, strlen(s)), 0);
}

/* Whole lines are taken and stay in the pipe until consumed. */
START_TEST(test_lines)
{
	struct pipein in;
	char buf[64], scratch[8];
	int p[2];
	ssize_t r;

	mkpipe(p, "one\ntwo\npart");
	pipein_init(&in, p[0], 65536);
	ck_assert_int_eq(in.tee, 1);
	r = pipein_take(&in, buf, sizeof buf);
	ck_assert_int_eq(r, 8);
	ck_assert(memcmp(buf, "one\ntwo\n", 8) == 0);
	ck_assert_int_eq(waiting(p[0]), 12);		/* still there */
	ck_assert_uint_eq(in.peeked, 8);
	pipein_consume(&in, scratch, sizeof scratch);
	ck_assert_uint_eq(in.peeked, 0);
	ck_assert_int_eq(waiting(p[0]), 4);
	/* A half line alone is taken whole, or poll() would spin. */
	r = pipein_take(&in, buf, sizeof buf);
	ck_assert_int_eq(r, 4);
	ck_assert(memcmp(buf, "part", 4) == 0);
	pipein_consume(&in, scratch, sizeof scratch);
	ck_assert_int_eq(waiting(p[0]), 0);
	errno = 0;
	ck_assert_int_eq(pipein_take(&in, buf, sizeof buf), -1);
	ck_assert_int_eq(errno, EAGAIN);
	close(p[1]);
	ck_assert_int_eq(pipein_take(&in, buf, sizeof buf), 0);
	close(p[0]);
}
END_TEST

/* len cuts a line: the part before the last newline is taken; with no
 * newline in reach, all of len. */
START_TEST(test_short)
{
	struct pipein in;
	char buf[64], scratch[64];
	int p[2];

	mkpipe(p, "ab\ncdefgh\n");
	pipein_init(&in, p[0], 65536);
	ck_assert_int_eq(pipein_take(&in, buf, 6), 3);
	ck_assert(memcmp(buf, "ab\n", 3) == 0);
	pipein_consume(&in, scratch, sizeof scratch);
	ck_assert_int_eq(pipein_take(&in, buf, 4), 4);
	ck_assert(memcmp(buf, "cdef", 4) == 0);
	pipein_consume(&in, scratch, sizeof scratch);
	ck_assert_int_eq(waiting(p[0]), 3);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* Without splice to /dev/null, consuming reads into the scratch space,
 * a little at a time. */
START_TEST(test_consume_read)
{
	struct pipein in;
	char buf[64], scratch[3];
	int p[2];

	mkpipe(p, "0123456789\nrest\n");
	pipein_init(&in, p[0], 65536);
	close(in.devnull);
	in.devnull = -1;
	ck_assert_int_eq(pipein_take(&in, buf, 11), 11);
	pipein_consume(&in, scratch, sizeof scratch);
	ck_assert_int_eq(waiting(p[0]), 5);
	ck_assert_int_eq(pipein_take(&in, buf, sizeof buf), 5);
	ck_assert(memcmp(buf, "rest\n", 5) == 0);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* A regular file: plain reads, nothing left to consume. */
START_TEST(test_file)
{
	struct pipein in;
	char path[] = "/tmp/check_pipein.XXXXXX", buf[64], scratch[8];
	int fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	(void)unlink(path);
	ck_assert_int_eq(fd_write_all(fd, "x\ny", 3), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	pipein_init(&in, fd, 65536);
	ck_assert_int_eq(in.tee, 0);
	ck_assert_int_eq(pipein_take(&in, buf, sizeof buf), 3);
	ck_assert_uint_eq(in.peeked, 0);
	pipein_consume(&in, scratch, sizeof scratch);
	ck_assert_int_eq(pipein_take(&in, buf, sizeof buf), 0);
	close(fd);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pipein");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_short);
	tcase_add_test(tc, test_consume_read);
	tcase_add_test(tc, test_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
