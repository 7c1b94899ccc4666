/* check_atomicfile: whole-file replacement through PATH.new, then an
 * exchange of the names (or a rename). */
#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "fdutil.h"
#include "watch.h"

static char tmpdir[] = "/tmp/check_atomicfile.XXXXXX";
static char path[256], tmp[256];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof path, "%s/status", tmpdir);
	snprintf(tmp, sizeof tmp, "%s/status.new", tmpdir);
}

static void
teardown(void)
{
	char sub[300];

	snprintf(sub, sizeof sub, "%s/x", path);
	unlink(sub);
	unlink(tmp);
	snprintf(sub, sizeof sub, "%s/link", tmpdir);
	unlink(sub);
	snprintf(sub, sizeof sub, "%s/target", tmpdir);
	unlink(sub);
	rmdir(path);
	unlink(path);
	rmdir(tmpdir);
}

static int
exists(const char *p)
{
	struct stat sb;

	return lstat(p, &sb) == 0;
}

/* Compare the whole of path with s. */
static void
assert_content(const char *p, const char *s)
{
	char buf[4096];
	ssize_t n;

	n = fd_read_file(p, buf, sizeof buf);
	ck_assert_int_eq(n, (ssize_t)strlen(s));
	ck_assert(memcmp(buf, s, (size_t)n) == 0);
}

START_TEST(test_create)
{
	struct stat sb;

	umask(022);
	ck_assert_int_eq(atomicfile_write(path, "hello\n", 6, 0), 0);
	assert_content(path, "hello\n");
	ck_assert(!exists(tmp));
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
	ck_assert_uint_eq(sb.st_mode & 07777, 0644);
}
END_TEST

START_TEST(test_replace)
{
	struct stat before, after;
	char buf[64];
	ssize_t n;
	int fd;

	ck_assert_int_eq(atomicfile_write(path, "a much longer old text\n", 23,
	    0), 0);
	ck_assert_int_eq(stat(path, &before), 0);
	fd = open(path, O_RDONLY);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(atomicfile_write(path, "new\n", 4, ATOMICFILE_SYNC),
	    0);
	assert_content(path, "new\n");
	ck_assert(!exists(tmp));
	/* Replaced, not rewritten in place: a reader of the old file still
	 * sees all of the old contents. */
	ck_assert_int_eq(stat(path, &after), 0);
	ck_assert(before.st_ino != after.st_ino);
	n = read(fd, buf, sizeof buf);
	ck_assert_int_eq(n, 23);
	ck_assert(memcmp(buf, "a much longer old text\n", 23) == 0);
	close(fd);
	/* Empty contents are contents too. */
	ck_assert_int_eq(atomicfile_write(path, "", 0, 0), 0);
	assert_content(path, "");
	ck_assert(!exists(tmp));
}
END_TEST

/* Can this kernel and filesystem exchange two names (renameat2
 * RENAME_EXCHANGE)? Probed on two scratch files in tmpdir. */
static int
can_exchange(void)
{
	char a[300], b[300];
	int fd, r;

	snprintf(a, sizeof a, "%s/xa", tmpdir);
	snprintf(b, sizeof b, "%s/xb", tmpdir);
	if ((fd = open(a, O_WRONLY | O_CREAT, 0644)) != -1)
		close(fd);
	if ((fd = open(b, O_WRONLY | O_CREAT, 0644)) != -1)
		close(fd);
	r = syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 1 << 1) == 0;
	unlink(a);
	unlink(b);
	return r;
}

/* Count the events queued on ifd that name "status": those with
 * IN_MOVED_FROM in *from, those with IN_MOVED_TO in *to. */
static void
count_status_moves(int ifd, int *from, int *to)
{
	struct watch_buf wb;
	struct inotify_event ev;
	const char *name;

	*from = *to = 0;
	watch_buf_init(&wb);
	while (watch_next(ifd, &wb, &ev, &name) == 1)
		if (name != NULL && strcmp(name, "status") == 0) {
			*from += (ev.mask & IN_MOVED_FROM) != 0;
			*to += (ev.mask & IN_MOVED_TO) != 0;
		}
}

/* Over an existing file, without ATOMICFILE_SYNC, the names are
 * exchanged and the old file removed (no writeback forced by ext4's
 * rename): inotify sees "status" moved away as well as moved to. The
 * old file itself is never written: a second name for it (a reader's
 * view) keeps the old contents whole. */
START_TEST(test_exchange)
{
	char lnk[300];
	int ifd, from, to;

	if (!can_exchange()) {
		fprintf(stderr, "skip - test_exchange: no RENAME_EXCHANGE "
		    "here\n");
		return;
	}
	ck_assert_int_eq(atomicfile_write(path, "old\n", 4, 0), 0);
	snprintf(lnk, sizeof lnk, "%s/link", tmpdir);
	ck_assert_int_eq(link(path, lnk), 0);
	ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	ck_assert_int_ne(ifd, -1);
	ck_assert_int_ne(inotify_add_watch(ifd, tmpdir, IN_MOVED_FROM |
	    IN_MOVED_TO), -1);
	ck_assert_int_eq(atomicfile_write(path, "brand new\n", 10, 0), 0);
	assert_content(path, "brand new\n");
	assert_content(lnk, "old\n");
	ck_assert(!exists(tmp));
	count_status_moves(ifd, &from, &to);
	close(ifd);
	ck_assert_int_eq(to, 1);
	ck_assert_int_eq(from, 1);
}
END_TEST

/* With ATOMICFILE_SYNC the data is on disk before the rename, which then
 * costs ext4 nothing more: a plain rename, "status" only moved to. */
START_TEST(test_sync_renames)
{
	int ifd, from, to;

	ck_assert_int_eq(atomicfile_write(path, "old\n", 4, 0), 0);
	ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	ck_assert_int_ne(ifd, -1);
	ck_assert_int_ne(inotify_add_watch(ifd, tmpdir, IN_MOVED_FROM |
	    IN_MOVED_TO), -1);
	ck_assert_int_eq(atomicfile_write(path, "synced\n", 7,
	    ATOMICFILE_SYNC), 0);
	assert_content(path, "synced\n");
	count_status_moves(ifd, &from, &to);
	close(ifd);
	ck_assert_int_eq(to, 1);
	ck_assert_int_eq(from, 0);
}
END_TEST

/* A symlink at path is replaced itself, as rename does, and what it
 * pointed to is left alone: never exchanged through the link. */
START_TEST(test_symlink_replaced)
{
	char target[300];
	struct stat sb;
	int fd;

	snprintf(target, sizeof target, "%s/target", tmpdir);
	fd = open(target, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "target\n", 7), 7);
	close(fd);
	ck_assert_int_eq(symlink("target", path), 0);
	ck_assert_int_eq(atomicfile_write(path, "file\n", 5, 0), 0);
	ck_assert_int_eq(lstat(path, &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
	assert_content(path, "file\n");
	assert_content(target, "target\n");
	ck_assert(!exists(tmp));
}
END_TEST

/* A .new left by a crash is overwritten, not appended to. */
START_TEST(test_stale_tmp)
{
	int fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "stale stale stale\n", 18), 18);
	close(fd);
	ck_assert_int_eq(atomicfile_write(path, "fresh\n", 6, 0), 0);
	assert_content(path, "fresh\n");
	ck_assert(!exists(tmp));
}
END_TEST

/* rename() onto a directory fails: the directory stays, .new goes. */
START_TEST(test_rename_fails)
{
	char sub[300];
	int fd;

	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(sub, sizeof sub, "%s/x", path);
	fd = open(sub, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ne(fd, -1);
	close(fd);
	errno = 0;
	ck_assert_int_eq(atomicfile_write(path, "data\n", 5, 0), -1);
	ck_assert_int_eq(errno, EISDIR);
	ck_assert(!exists(tmp));
	ck_assert(exists(sub));
}
END_TEST

/* A write that fails half-way (file size limit) leaves the old file
 * whole and no .new behind. */
START_TEST(test_write_fails)
{
	static char big[8192];
	struct rlimit rl;

	ck_assert_int_eq(atomicfile_write(path, "old contents\n", 13, 0), 0);
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = rl.rlim_max = 1000;
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	memset(big, 'x', sizeof big);
	errno = 0;
	ck_assert_int_eq(atomicfile_write(path, big, sizeof big, 0), -1);
	ck_assert_int_eq(errno, EFBIG);
	assert_content(path, "old contents\n");
	ck_assert(!exists(tmp));
}
END_TEST

START_TEST(test_open_fails)
{
	char p[300];
	static char longp[5000];

	snprintf(p, sizeof p, "%s/nodir/status", tmpdir);
	errno = 0;
	ck_assert_int_eq(atomicfile_write(p, "x", 1, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
	memset(longp, 'a', sizeof longp - 1);
	errno = 0;
	ck_assert_int_eq(atomicfile_write(longp, "x", 1, 0), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

/* No descriptor is left open, on success or failure. */
START_TEST(test_no_fd_leak)
{
	int fd;

	fd = dup(0);
	close(fd);
	ck_assert_int_eq(atomicfile_write(path, "x", 1, ATOMICFILE_SYNC), 0);
	ck_assert_int_eq(mkdir(tmp, 0755), 0);
	ck_assert_int_eq(atomicfile_write(path, "y", 1, 0), -1);
	rmdir(tmp);
	ck_assert_int_eq(dup(0), fd);
	close(fd);
	assert_content(path, "x");
}
END_TEST

static Suite *
atomicfile_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("atomicfile");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_create);
	tcase_add_test(tc, test_replace);
	tcase_add_test(tc, test_exchange);
	tcase_add_test(tc, test_sync_renames);
	tcase_add_test(tc, test_symlink_replaced);
	tcase_add_test(tc, test_stale_tmp);
	tcase_add_test(tc, test_rename_fails);
	tcase_add_test(tc, test_write_fails);
	tcase_add_test(tc, test_open_fails);
	tcase_add_test(tc, test_no_fd_leak);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(atomicfile_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
