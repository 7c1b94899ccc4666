/* check_logread: whole lines forward (offset, limit, an unterminated
 * last one, lines longer than the buffer), the memmem path with its test
 * and the time of the lines passed over, gzip data through gzip -dc. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logread.h"

#define S1	"2026-11-22T03:14:15.000001Z"
#define S2	"2026-11-22T03:14:15.000002Z"
#define S3	"2026-11-22T03:14:15.000003Z"

static int
tmpfd(const char *buf, size_t len)
{
	char path[] = "/tmp/check_logread.XXXXXX";
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	unlink(path);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	return fd;
}

/* All lines of buf from off to limit, "line|" each. */
static const char *
lines(const char *buf, off_t off, off_t limit, int partial, size_t cap)
{
	static char out[4096];
	struct logread r;
	char *l;
	size_t len, n = 0;

	ck_assert_int_eq(logread_init(&r, cap), 0);
	ck_assert_int_eq(logread_open(&r, tmpfd(buf, strlen(buf)), off, limit),
	    0);
	out[0] = '\0';
	while (logread_line(&r, &l, &len, partial) == 1) {
		ck_assert_int_eq(l[len], '\0');
		n += (size_t)snprintf(out + n, sizeof out - n, "%s|", l);
	}
	logread_close(&r, 1);
	logread_free(&r);
	return out;
}

START_TEST(test_lines)
{
	ck_assert_str_eq(lines("a\nbb\nccc\n", 0, -1, 1, 64), "a|bb|ccc|");
	ck_assert_str_eq(lines("a\nbb\ncc", 0, -1, 1, 64), "a|bb|cc|");
	ck_assert_str_eq(lines("a\nbb\ncc", 0, -1, 0, 64), "a|bb|");
	ck_assert_str_eq(lines("a\nbb\nccc\n", 2, -1, 1, 64), "bb|ccc|");
	ck_assert_str_eq(lines("a\nbb\nccc\n", 0, 5, 1, 64), "a|bb|");
	ck_assert_str_eq(lines("\n\nx\n", 0, -1, 1, 64), "||x|");
	/* longer than the buffer: it grows, nothing is cut */
	ck_assert_str_eq(lines("abcdefghijklmnop\nq\n", 0, -1, 1, 4),
	    "abcdefghijklmnop|q|");
}
END_TEST

static int
has_b(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	return strstr(line, " b") != NULL && len > 0;
}

START_TEST(test_grep)
{
	static const char buf[] = S1 " a\n" S2 " xb\n" S2 " b\nno stamp\n" S3
	    " ab";
	struct logread r;
	struct timespec ts = { 0, 0 };
	char *l;
	size_t len;

	ck_assert_int_eq(logread_init(&r, 16), 0);
	ck_assert_int_eq(logread_open(&r, tmpfd(buf, sizeof buf - 1), 0, -1),
	    0);
	/* "b" is in " xb" too: the test decides */
	ck_assert_int_eq(logread_grep(&r, "b", 1, has_b, NULL, &l, &len, 1,
	    &ts), 1);
	ck_assert_str_eq(l, S2 " b");
	ck_assert_int_eq(ts.tv_nsec, 2000);	/* from the line passed over */
	ck_assert_int_eq(logread_grep(&r, "b", 1, has_b, NULL, &l, &len, 1,
	    &ts), 0);
	/* " ab" fails the test; its stamp was still seen */
	ck_assert_int_eq(ts.tv_nsec, 3000);
	logread_close(&r, 1);
	logread_free(&r);
}
END_TEST

START_TEST(test_gzip)
{
	char path[] = "/tmp/check_logread.XXXXXX", cmd[128];
	struct logread r;
	FILE *f;
	char *l;
	size_t len;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	close(fd);
	snprintf(cmd, sizeof cmd, "printf 'x\\ny\\n' | gzip -c >%s", path);
	if (system(cmd) != 0) {
		unlink(path);
		return;	/* no gzip here */
	}
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	fd = dup(fileno(f));
	fclose(f);
	unlink(path);
	ck_assert_int_eq(logread_is_gzip(fd), 1);
	ck_assert_int_eq(logread_init(&r, 64), 0);
	ck_assert_int_eq(logread_open(&r, fd, 0, -1), 0);
	ck_assert_int_gt(r.pid, 0);
	ck_assert_int_eq(logread_line(&r, &l, &len, 1), 1);
	ck_assert_str_eq(l, "x");
	ck_assert_int_eq(logread_line(&r, &l, &len, 1), 1);
	ck_assert_str_eq(l, "y");
	ck_assert_int_eq(logread_line(&r, &l, &len, 1), 0);
	logread_close(&r, 1);
	ck_assert_int_eq(r.pid, 0);
	logread_free(&r);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logread");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_grep);
	tcase_add_test(tc, test_gzip);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
