/* check_watch: inotify events taken one at a time, across reads. */
#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "watch.h"

static char dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/check_watch.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	(void)system(cmd);
}

static void
touch(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ck_assert_int_ne(fd, -1);
	close(fd);
}

/* Nothing happened: 0 at once, from a non-blocking descriptor. */
START_TEST(test_empty)
{
	struct watch_buf b;
	struct inotify_event ev;
	const char *name;
	int ifd;

	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ne(ifd, -1);
	ck_assert_int_ne(inotify_add_watch(ifd, dir, IN_CREATE), -1);
	watch_buf_init(&b);
	ck_assert_int_eq(watch_next(ifd, &b, &ev, &name), 0);
	close(ifd);
}
END_TEST

/* Events in order with their names, and the watch's own wd. */
START_TEST(test_names)
{
	struct watch_buf b;
	struct inotify_event ev;
	const char *name;
	int ifd, wd;

	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ne(ifd, -1);
	wd = inotify_add_watch(ifd, dir, IN_CREATE);
	ck_assert_int_ne(wd, -1);
	touch("a");
	touch("status");
	watch_buf_init(&b);
	ck_assert_int_eq(watch_next(ifd, &b, &ev, &name), 1);
	ck_assert_int_eq(ev.wd, wd);
	ck_assert(ev.mask & IN_CREATE);
	ck_assert_str_eq(name, "a");
	ck_assert_int_eq(watch_next(ifd, &b, &ev, &name), 1);
	ck_assert_str_eq(name, "status");
	ck_assert_int_eq(watch_next(ifd, &b, &ev, &name), 0);
	/* More later: the same buffer reads again. */
	touch("b");
	ck_assert_int_eq(watch_next(ifd, &b, &ev, &name), 1);
	ck_assert_str_eq(name, "b");
	ck_assert_int_eq(watch_next(ifd, &b, &ev, &name), 0);
	close(ifd);
}
END_TEST

/* An event without a name (IN_IGNORED when the watch is removed). */
START_TEST(test_no_name)
{
	struct watch_buf b;
	struct inotify_event ev;
	const char *name = NULL;
	int ifd, wd;

	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ne(ifd, -1);
	wd = inotify_add_watch(ifd, dir, IN_CREATE);
	ck_assert_int_eq(inotify_rm_watch(ifd, wd), 0);
	watch_buf_init(&b);
	ck_assert_int_eq(watch_next(ifd, &b, &ev, &name), 1);
	ck_assert(ev.mask & IN_IGNORED);
	ck_assert_str_eq(name, "");
	close(ifd);
}
END_TEST

/* More events than one read of 4 KiB holds: every one comes, once. */
START_TEST(test_many)
{
	struct watch_buf b;
	struct inotify_event ev;
	const char *name;
	char want[48];
	int ifd, i, r;

	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	ck_assert_int_ne(ifd, -1);
	ck_assert_int_ne(inotify_add_watch(ifd, dir, IN_CREATE), -1);
	for (i = 0; i < 300; i++) {
		snprintf(want, sizeof want, "file-with-a-long-name-%03d", i);
		touch(want);
	}
	watch_buf_init(&b);
	for (i = 0; (r = watch_next(ifd, &b, &ev, &name)) == 1; i++) {
		snprintf(want, sizeof want, "file-with-a-long-name-%03d", i);
		ck_assert_str_eq(name, want);
	}
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(i, 300);
	close(ifd);
}
END_TEST

/* A descriptor that cannot be read: -1 and its errno. */
START_TEST(test_error)
{
	struct watch_buf b;
	struct inotify_event ev;
	const char *name;

	watch_buf_init(&b);
	errno = 0;
	ck_assert_int_eq(watch_next(-1, &b, &ev, &name), -1);
	ck_assert_int_eq(errno, EBADF);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("watch");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_no_name);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_error);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
