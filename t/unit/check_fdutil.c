/* check_fdutil: retrying reads and writes, close-on-exec, fd_move. */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"

static char tmpdir[] = "/tmp/check_fdutil.XXXXXX";
static char path[256];

/* write(2) as the library sees it: when wcap is set, every call writes at
 * most wcap bytes, and every third call fails with EINTR first. */
static size_t wcap;
static unsigned wcalls;

ssize_t
write(int fd, const void *buf, size_t n)
{
	if (wcap > 0) {
		if (++wcalls % 3 == 0) {
			errno = EINTR;
			return -1;
		}
		if (n > wcap)
			n = wcap;
	}
	return syscall(SYS_write, fd, buf, n);
}

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(path, sizeof path, "%s/f", tmpdir);
}

static void
teardown(void)
{
	unlink(path);
	rmdir(tmpdir);
}

static int
cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	ck_assert_int_ne(fl, -1);
	return (fl & FD_CLOEXEC) != 0;
}

static void
fill(char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf[i] = (char)(i * 7 + i / 251);
}

/* Read all of fd into buf; returns the count. */
static size_t
drain(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n < len && (r = read(fd, buf + n, len - n)) > 0)
		n += (size_t)r;
	return n;
}

START_TEST(test_write_all_short)
{
	static char in[100000], out[100001];
	int p[2];
	pid_t pid;
	int st;

	fill(in, sizeof in);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(p[1]);
		_exit(drain(p[0], out, sizeof out) == sizeof in &&
		    memcmp(in, out, sizeof in) == 0 ? 0 : 1);
	}
	close(p[0]);
	wcap = 4093;
	wcalls = 0;
	ck_assert_int_eq(fd_write_all(p[1], in, sizeof in), 0);
	wcap = 0;
	/* 25 short writes, plus one EINTR for each two of them. */
	ck_assert_uint_ge(wcalls, 37);
	close(p[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

static void
onalrm(int sig)
{
	(void)sig;
}

/* Real short writes: a pipe, a slow reader and signals without SA_RESTART
 * interrupting the blocked writer. */
START_TEST(test_write_all_interrupted)
{
	static char in[1 << 20], out[(1 << 20) + 1];
	struct sigaction sa;
	struct itimerval it;
	int p[2], st;
	pid_t pid;

	fill(in, sizeof in);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalrm;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		size_t n = 0;
		ssize_t r;

		close(p[1]);
		while (n < sizeof out && (r = read(p[0], out + n,
		    n % 3 ? 1000 : 10000)) > 0) {
			n += (size_t)r;
			if (n % 7 == 0)
				usleep(100);
		}
		_exit(n == sizeof in && memcmp(in, out, n) == 0 ? 0 : 1);
	}
	close(p[0]);
	memset(&it, 0, sizeof it);
	it.it_interval.tv_usec = 1000;
	it.it_value.tv_usec = 1000;
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	ck_assert_int_eq(fd_write_all(p[1], in, sizeof in), 0);
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	close(p[1]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

START_TEST(test_write_all_error)
{
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	errno = 0;
	ck_assert_int_eq(fd_write_all(p[1], "x", 1), -1);
	ck_assert_int_eq(errno, EPIPE);
	ck_assert_int_eq(fd_write_all(p[1], "", 0), 0);
	close(p[1]);
}
END_TEST

/* fd_read() goes on after a signal handler interrupted it. */
START_TEST(test_read_eintr)
{
	struct sigaction sa;
	struct itimerval it;
	char buf[16];
	int p[2];
	pid_t pid;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = onalrm;
	sigemptyset(&sa.sa_mask);
	ck_assert_int_eq(sigaction(SIGALRM, &sa, NULL), 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		usleep(200000);
		_exit(write(p[1], "late", 4) == 4 ? 0 : 1);
	}
	close(p[1]);
	memset(&it, 0, sizeof it);
	it.it_interval.tv_usec = 20000;
	it.it_value.tv_usec = 20000;
	ck_assert_int_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
	ck_assert_int_eq(fd_read(p[0], buf, sizeof buf), 4);
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	ck_assert(memcmp(buf, "late", 4) == 0);
	waitpid(pid, NULL, 0);
	close(p[0]);
}
END_TEST

START_TEST(test_read_file)
{
	char buf[64];
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, "hello world\n", 12), 12);
	close(fd);
	memset(buf, 0, sizeof buf);
	ck_assert_int_eq(fd_read_file(path, buf, sizeof buf), 12);
	ck_assert(memcmp(buf, "hello world\n", 12) == 0);
	/* Bounded by the buffer. */
	memset(buf, 0, sizeof buf);
	ck_assert_int_eq(fd_read_file(path, buf, 5), 5);
	ck_assert_str_eq(buf, "hello");
	/* The descriptor it used is closed again. */
	fd = dup(0);
	ck_assert_int_ne(fd, -1);
	close(fd);
	ck_assert_int_eq(fd_read_file(path, buf, sizeof buf), 12);
	ck_assert_int_eq(dup(0), fd);
	close(fd);
	/* Empty and missing files. */
	fd = open(path, O_WRONLY | O_TRUNC);
	close(fd);
	ck_assert_int_eq(fd_read_file(path, buf, sizeof buf), 0);
	unlink(path);
	errno = 0;
	ck_assert_int_eq(fd_read_file(path, buf, sizeof buf), -1);
	ck_assert_int_eq(errno, ENOENT);
	/* A directory opens but cannot be read. */
	errno = 0;
	ck_assert_int_eq(fd_read_file(tmpdir, buf, sizeof buf), -1);
	ck_assert_int_eq(errno, EISDIR);
}
END_TEST

START_TEST(test_open)
{
	struct stat sb;
	int fd;

	umask(022);
	fd = fd_open_append(path, 0640);
	ck_assert_int_ne(fd, -1);
	ck_assert(cloexec(fd));
	ck_assert(fcntl(fd, F_GETFL) & O_APPEND);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 07777, 0640);
	ck_assert_int_eq(write(fd, "ab", 2), 2);
	close(fd);
	fd = fd_open_append(path, 0600);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	ck_assert_int_eq(write(fd, "cd", 2), 2);
	close(fd);
	fd = fd_open_read(path);
	ck_assert_int_ne(fd, -1);
	ck_assert(cloexec(fd));
	close(fd);
	{
		char buf[8];

		ck_assert_int_eq(fd_read_file(path, buf, sizeof buf), 4);
		ck_assert(memcmp(buf, "abcd", 4) == 0);
	}
	unlink(path);
	ck_assert_int_eq(fd_open_read(path), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_cloexec_from)
{
	int a, b, c, d;

	a = open("/dev/null", O_RDONLY);
	b = open("/dev/null", O_RDONLY);
	c = open("/dev/null", O_RDONLY);
	ck_assert_int_ne(a, -1);
	ck_assert_int_lt(a, b);
	ck_assert_int_lt(b, c);
	ck_assert(!cloexec(a) && !cloexec(b) && !cloexec(c));
	d = dup(0);
	close(d);
	ck_assert_int_eq(fd_cloexec_from(b), 0);
	ck_assert(!cloexec(a));
	ck_assert(cloexec(b));
	ck_assert(cloexec(c));
	ck_assert(!cloexec(0) && !cloexec(1) && !cloexec(2));
	/* The descriptor it used to list /proc/self/fd is gone. */
	ck_assert_int_eq(dup(0), d);
	close(a);
	close(b);
	close(c);
	close(d);
}
END_TEST

START_TEST(test_move)
{
	struct stat s1, s2;
	int a, b;

	a = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	b = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ne(a, -1);
	ck_assert_int_ne(b, -1);
	ck_assert_int_eq(fd_move(b, a), 0);
	ck_assert_int_eq(fstat(a, &s1), 0);
	ck_assert_int_eq(fstat(b, &s2), 0);
	ck_assert(s1.st_ino == s2.st_ino && s1.st_dev == s2.st_dev);
	ck_assert(!cloexec(b));
	ck_assert(cloexec(a));
	/* to == from only clears the flag. */
	ck_assert_int_eq(fd_move(a, a), 0);
	ck_assert(!cloexec(a));
	ck_assert_int_eq(fstat(a, &s2), 0);
	ck_assert(s1.st_ino == s2.st_ino);
	close(a);
	errno = 0;
	ck_assert_int_eq(fd_move(b, a), -1);
	ck_assert_int_eq(errno, EBADF);
	close(b);
}
END_TEST

START_TEST(test_close_keeps_errno)
{
	int fd;

	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ne(fd, -1);
	errno = EDOM;
	ck_assert_int_eq(fd_close(fd), 0);
	ck_assert_int_eq(errno, EDOM);
	errno = ERANGE;
	ck_assert_int_eq(fd_close(fd), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert_int_eq(fcntl(fd, F_GETFD), -1);
}
END_TEST

START_TEST(test_nonblock)
{
	int p[2];
	char c;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fd_set_nonblock(p[0], 1), 0);
	ck_assert(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	ck_assert_int_eq(fd_read(p[0], &c, 1), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(fd_set_nonblock(p[0], 0), 0);
	ck_assert(!(fcntl(p[0], F_GETFL) & O_NONBLOCK));
	close(p[0]);
	close(p[1]);
	ck_assert_int_eq(fd_set_nonblock(p[0], 1), -1);
}
END_TEST

/* A directory, an existing one, and a dangling symlink's target (with
 * its parents, relative to the link's directory). */
START_TEST(test_mkdir_follow)
{
	char dir[] = "/tmp/check_fdutil.XXXXXX";
	struct stat sb;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(fd_mkdir_follow("a", NULL, 0700), 0);
	ck_assert_int_eq(stat("a", &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	ck_assert_int_eq(fd_mkdir_follow("a", ".", 0700), 0);
	ck_assert_int_eq(symlink("t/u", "l"), 0);
	ck_assert_int_eq(fd_mkdir_follow("l", ".", 0700), 0);
	ck_assert_int_eq(stat("t/u", &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	ck_assert_int_eq(symlink("v/w", "a/l"), 0);
	ck_assert_int_eq(fd_mkdir_follow("a/l", "a", 0700), 0);
	ck_assert_int_eq(stat("a/v/w", &sb), 0);
	ck_assert_int_eq(stat("a/l", &sb), 0);
	ck_assert_int_eq(fd_mkdir_follow("no/such", NULL, 0700), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(close(open("f", O_WRONLY | O_CREAT, 0600)), 0);
	ck_assert_int_eq(fd_mkdir_follow("f/x", NULL, 0700), -1);
}
END_TEST

/* fd_pollin: an fd (not -1) added for input, its index returned. */
START_TEST(test_pollin)
{
	struct pollfd pfd[3];
	int n = 0;

	memset(pfd, 0x55, sizeof pfd);
	ck_assert_int_eq(fd_pollin(pfd, &n, -1), -1);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(fd_pollin(pfd, &n, 7), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(pfd[0].fd, 7);
	ck_assert_int_eq(pfd[0].events, POLLIN);
	ck_assert_int_eq(pfd[0].revents, 0);
	ck_assert_int_eq(fd_pollin(pfd, &n, -1), -1);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(fd_pollin(pfd, &n, 0), 1);	/* 0 is an fd */
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(pfd[1].fd, 0);
	ck_assert_int_eq(pfd[1].events, POLLIN);
	ck_assert_int_eq(pfd[1].revents, 0);
	ck_assert_int_eq(pfd[2].fd, 0x55555555);	/* untouched */
}
END_TEST

/* A pipe added with fd_pollin is polled for input. */
START_TEST(test_pollin_poll)
{
	struct pollfd pfd[2];
	int fd[2], n = 0, i;

	ck_assert_int_eq(pipe2(fd, O_CLOEXEC), 0);
	i = fd_pollin(pfd, &n, fd[0]);
	ck_assert_int_eq(poll(pfd, (nfds_t)n, 0), 0);
	ck_assert_int_eq(write(fd[1], "x", 1), 1);
	ck_assert_int_eq(poll(pfd, (nfds_t)n, 0), 1);
	ck_assert(pfd[i].revents & POLLIN);
	close(fd[0]);
	close(fd[1]);
}
END_TEST

/* The soft limit goes up to the hard one. */
START_TEST(test_raise_nofile)
{
	struct rlimit rl;

	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max > 64) {
		rl.rlim_cur = 64;
		ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	ck_assert_int_eq(fd_raise_nofile(), 0);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert(rl.rlim_cur == rl.rlim_max);
	ck_assert_int_eq(fd_raise_nofile(), 0);
}
END_TEST

static Suite *
fdutil_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("fdutil");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_write_all_short);
	tcase_add_test(tc, test_write_all_interrupted);
	tcase_add_test(tc, test_write_all_error);
	tcase_add_test(tc, test_read_eintr);
	tcase_add_test(tc, test_read_file);
	tcase_add_test(tc, test_open);
	tcase_add_test(tc, test_cloexec_from);
	tcase_add_test(tc, test_move);
	tcase_add_test(tc, test_close_keeps_errno);
	tcase_add_test(tc, test_nonblock);
	tcase_add_test(tc, test_mkdir_follow);
	tcase_add_test(tc, test_pollin);
	tcase_add_test(tc, test_pollin_poll);
	tcase_add_test(tc, test_raise_nofile);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(fdutil_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
