/* check_lock: supervise/lock held with flock and fcntl at once. */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"

static char tmpdir[] = "/tmp/check_lock.XXXXXX";
static char path[256];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof path, "%s/lock", tmpdir);
}

static void
teardown(void)
{
	unlink(path);
	rmdir(tmpdir);
}

/* Run fn in a child process; return its exit code (or 200 + signal). */
static int
inchild(int (*fn)(void))
{
	pid_t pid;
	int st;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0)
		_exit(fn());
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 200 + WTERMSIG(st);
}

static pid_t holder;

/* 0 when lock_acquire fails with EWOULDBLOCK. */
static int
child_acquire(void)
{
	int fd;

	errno = 0;
	fd = lock_acquire(path, 0);
	if (fd != -1)
		return 1;
	return errno == EWOULDBLOCK ? 0 : 2;
}

/* 0 when F_GETLK shows holder's write lock (an open file description
 * lock reports pid -1). */
static int
child_getlk(void)
{
	struct flock fl;
	int fd;

	if ((fd = open(path, O_RDWR)) == -1)
		return 1;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == -1)
		return 2;
	if (fl.l_type != F_WRLCK)
		return 3;
	if (fl.l_pid != holder && fl.l_pid != -1)
		return 4;
	return 0;
}

/* 0 when F_GETLK shows no lock. */
static int
child_getlk_free(void)
{
	struct flock fl;
	int fd;

	if ((fd = open(path, O_RDWR)) == -1)
		return 1;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == -1)
		return 2;
	return fl.l_type == F_UNLCK ? 0 : 3;
}

/* 0 when flock(LOCK_NB) fails with EWOULDBLOCK, as daemontools sees it. */
static int
child_flock(void)
{
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return 1;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 2;
	return errno == EWOULDBLOCK ? 0 : 3;
}

static int
child_is_held(void)
{
	return lock_is_held(path);
}

START_TEST(test_held)
{
	struct stat sb;
	int fd;

	holder = getpid();
	fd = lock_acquire(path, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(inchild(child_acquire), 0);
	ck_assert_int_eq(inchild(child_getlk), 0);
	ck_assert_int_eq(inchild(child_flock), 0);
	ck_assert_int_eq(inchild(child_is_held), 1);
	/* Still held after all that probing. */
	ck_assert_int_eq(inchild(child_getlk), 0);
	ck_assert_int_eq(inchild(child_flock), 0);
	/* The holder itself opening and closing the file (lock_is_held, a
	 * failed second lock_acquire) must not drop the fcntl lock, as a
	 * classic POSIX lock would. */
	ck_assert_int_eq(lock_is_held(path), 1);
	ck_assert_int_eq(lock_acquire(path, 0), -1);
	ck_assert_int_eq(inchild(child_getlk), 0);
	close(fd);
	ck_assert_int_eq(inchild(child_getlk_free), 0);
	ck_assert_int_eq(inchild(child_flock), 2);
	ck_assert_int_eq(inchild(child_is_held), 0);
	ck_assert_int_eq(inchild(child_acquire), 1);
}
END_TEST

/* A lock held with flock only (daemontools, runit) keeps us out. */
START_TEST(test_foreign_flock)
{
	int fd;

	fd = open(path, O_RDWR | O_CREAT, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	ck_assert_int_eq(inchild(child_acquire), 0);
	ck_assert_int_eq(inchild(child_is_held), 1);
	close(fd);
	ck_assert_int_eq(inchild(child_is_held), 0);
}
END_TEST

/* A lock held with fcntl only (s6) keeps us out too. */
START_TEST(test_foreign_fcntl)
{
	struct flock fl;
	int fd;

	fd = open(path, O_RDWR | O_CREAT, 0600);
	ck_assert_int_ne(fd, -1);
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	ck_assert_int_eq(fcntl(fd, F_SETLK, &fl), 0);
	ck_assert_int_eq(inchild(child_acquire), 0);
	close(fd);
	/* The failed attempt left no flock behind. */
	ck_assert_int_eq(inchild(child_is_held), 0);
}
END_TEST

/* With wait set, lock_acquire blocks until the holder lets go. */
START_TEST(test_wait)
{
	struct pollfd pfd;
	int fd, p[2], st;
	pid_t pid;
	char c;

	fd = lock_acquire(path, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(p[0]);
		close(fd);
		if (lock_acquire(path, 1) == -1)
			_exit(1);
		_exit(write(p[1], "y", 1) == 1 ? 0 : 2);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ck_assert_int_eq(poll(&pfd, 1, 200), 0);
	close(fd);
	ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(c, 'y');
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_int_eq(WEXITSTATUS(st), 0);
	close(p[0]);
}
END_TEST

static int release_fd = -1;

static void
on_alarm(int sig)
{
	(void)sig;
	close(release_fd);
}

/* A process gone while a child still holds a copy of its lock
 * descriptor (a vfork child on its way to exec): lock_acquire fails at
 * once, lock_acquire_grace takes the lock once the copy is closed. The
 * child holds it until our SIGALRM closes the pipe it reads. */
START_TEST(test_grace)
{
	struct itimerval it;
	int fd, q[2], st;
	pid_t pid;
	char c;

	fd = lock_acquire(path, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pipe(q), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(q[1]);
		while (read(q[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(q[0]);
	release_fd = q[1];
	close(fd);
	errno = 0;
	ck_assert_int_eq(lock_acquire(path, 0), -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	signal(SIGALRM, on_alarm);
	memset(&it, 0, sizeof it);
	it.it_value.tv_usec = 100 * 1000;
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	fd = lock_acquire_grace(path, 5000);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	close(fd);
}
END_TEST

/* Held all along (here, through another open file description of ours,
 * which flock and OFD locks treat as another holder): lock_acquire_grace
 * gives up with EWOULDBLOCK, and not before its time. */
START_TEST(test_grace_gives_up)
{
	struct timespec a, b;
	long ms;
	int fd, held;

	held = lock_acquire(path, 0);
	ck_assert_int_ge(held, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	errno = 0;
	fd = lock_acquire_grace(path, 150);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ck_assert_int_eq(fd, -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	ck_assert_int_ge(ms, 150);
	close(held);
}
END_TEST

START_TEST(test_errors)
{
	char p[300];

	errno = 0;
	ck_assert_int_eq(lock_is_held(path), -1);
	ck_assert_int_eq(errno, ENOENT);
	snprintf(p, sizeof p, "%s/nodir/lock", tmpdir);
	errno = 0;
	ck_assert_int_eq(lock_acquire(p, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

static Suite *
lock_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("lock");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_held);
	tcase_add_test(tc, test_foreign_flock);
	tcase_add_test(tc, test_foreign_fcntl);
	tcase_add_test(tc, test_wait);
	tcase_add_test(tc, test_grace);
	tcase_add_test(tc, test_grace_gives_up);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(lock_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
