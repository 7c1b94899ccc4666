/* check_logscan: lines read backwards, bisection on stamps, fixed-string
 * patterns matching a line's text as regexec would, the last stamp of a
 * block. */
#include <check.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "logline.h"
#include "logscan.h"

#define STAMP	"2026-11-22T03:14:15.123456Z"
#define STAMP2	"2026-11-22T03:14:16.000001Z"

START_TEST(test_fixed)
{
	ck_assert_int_eq(logscan_fixed("req-1234"), 1);
	ck_assert_int_eq(logscan_fixed("line 1999999 "), 1);
	ck_assert_int_eq(logscan_fixed("a/b:c,d=e"), 1);
	ck_assert_int_eq(logscan_fixed(""), 0);
	ck_assert_int_eq(logscan_fixed("a.b"), 0);
	ck_assert_int_eq(logscan_fixed("^a"), 0);
	ck_assert_int_eq(logscan_fixed("a$"), 0);
	ck_assert_int_eq(logscan_fixed("a|b"), 0);
	ck_assert_int_eq(logscan_fixed("a*"), 0);
	ck_assert_int_eq(logscan_fixed("a+"), 0);
	ck_assert_int_eq(logscan_fixed("a?"), 0);
	ck_assert_int_eq(logscan_fixed("(a)"), 0);
	ck_assert_int_eq(logscan_fixed("[a]"), 0);
	ck_assert_int_eq(logscan_fixed("a{2}"), 0);
	ck_assert_int_eq(logscan_fixed("a\\b"), 0);
	ck_assert_int_eq(logscan_fixed("a\nb"), 0);
}
END_TEST

static const char *
must(const char *pat)
{
	static char out[256];

	ck_assert_uint_eq(logscan_must(pat, out), strlen(out));
	return out;
}

START_TEST(test_must)
{
	ck_assert_str_eq(must("req-1234"), "req-1234");
	ck_assert_str_eq(must("req-dead[0-9a-f]+ "), "req-dead");
	ck_assert_str_eq(must("^line [0-9]*7 req-[0-9a-f]*5 "), "7 req-");
	ck_assert_str_eq(must("abc*de"), "ab");
	ck_assert_str_eq(must("abcd?e"), "abc");
	ck_assert_str_eq(must("ab+cde"), "cde");
	ck_assert_str_eq(must("abc{2}x"), "ab");
	ck_assert_str_eq(must("x.yy.zzz"), "zzz");
	ck_assert_str_eq(must("[]ab]cd"), "cd");
	ck_assert_str_eq(must("[[:alpha:]]xyz"), "xyz");
	ck_assert_str_eq(must("[^]x]*yy"), "yy");
	ck_assert_str_eq(must("abc(de)fghij"), "abc");
	ck_assert_str_eq(must("abc(d|e)fghij"), "");
	ck_assert_str_eq(must("abc\\.defgh"), "abc");
	ck_assert_str_eq(must("0 nul$"), "0 nul");
	ck_assert_str_eq(must("a|b"), "");
	ck_assert_str_eq(must("[ab]|cd"), "");
	ck_assert_str_eq(must(".*"), "");
	ck_assert_str_eq(must("[unclosed"), "");
	ck_assert_str_eq(must(""), "");
}
END_TEST

/* logscan_text_has agrees with regexec on the text after the stamp. */
static void
agree(const char *line, size_t len, const char *pat)
{
	regex_t re;
	char buf[256];
	int want;
	size_t off = 0;

	ck_assert_int_eq(regcomp(&re, pat, REG_EXTENDED | REG_NOSUB), 0);
	memcpy(buf, line, len);
	buf[len] = '\0';
	if (len > 28 && buf[27] == ' ')
		off = 28;
	want = regexec(&re, buf + off, 0, NULL, 0) == 0;
	regfree(&re);
	ck_assert_int_eq(logscan_text_has(line, len, pat, strlen(pat)), want);
}

START_TEST(test_text_has)
{
	static const char l1[] = STAMP " GET /x req-42 200";
	static const char l2[] = STAMP " a\0req-42";
	static const char l3[] = "no stamp req-42";

	ck_assert_int_eq(logscan_text_has(l1, sizeof l1 - 1, "req-42", 6), 1);
	ck_assert_int_eq(logscan_text_has(l1, sizeof l1 - 1, "req-43", 6), 0);
	/* the stamp is not text */
	ck_assert_int_eq(logscan_text_has(l1, sizeof l1 - 1, "2026", 4), 0);
	ck_assert_int_eq(logscan_text_has(l1, sizeof l1 - 1, "Z GET", 5), 0);
	/* a NUL ends what regexec sees */
	ck_assert_int_eq(logscan_text_has(l2, sizeof l2 - 1, "req", 3), 0);
	ck_assert_int_eq(logscan_text_has(l2, sizeof l2 - 1, "a", 1), 1);
	/* no stamp: all of it is text */
	ck_assert_int_eq(logscan_text_has(l3, sizeof l3 - 1, "no st", 5), 1);
	agree(l1, sizeof l1 - 1, "req-42");
	agree(l1, sizeof l1 - 1, "2026");
	agree(l2, sizeof l2 - 1, "req");
	agree(l3, sizeof l3 - 1, "stamp");
	agree(l1, 29, "G");
}
END_TEST

START_TEST(test_last_stamp)
{
	static const char b1[] = STAMP " a\n" STAMP2 " b\n";
	static const char b2[] = STAMP " a\nno stamp\n\n";
	static const char b3[] = STAMP " a\n" STAMP2 "+unterminated";
	static const char b4[] = "x\ny\n";
	struct timespec ts;

	ck_assert_int_eq(logscan_last_stamp(b1, sizeof b1 - 1, &ts), 1);
	ck_assert_int_eq(ts.tv_nsec, 1000);
	ck_assert_int_eq(logscan_last_stamp(b2, sizeof b2 - 1, &ts), 1);
	ck_assert_int_eq(ts.tv_nsec, 123456000);
	ck_assert_int_eq(logscan_last_stamp(b3, sizeof b3 - 1, &ts), 1);
	ck_assert_int_eq(ts.tv_nsec, 1000);
	ck_assert_int_eq(logscan_last_stamp(b4, sizeof b4 - 1, &ts), 0);
	ck_assert_int_eq(logscan_last_stamp("", 0, &ts), 0);
	ck_assert_int_eq(logscan_last_stamp("\n", 1, &ts), 0);
}
END_TEST

/* A temporary file holding buf[0..len); its descriptor. */
static int
tmpfile_with(const char *buf, size_t len)
{
	char path[] = "/tmp/check_logscan.XXXXXX";
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	unlink(path);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	return fd;
}

/* Collects what logscan_back gives, "offset:line|" each, up to stop. */
struct got {
	char	out[1 << 16];
	size_t	len;
	int	stop;		/* stop after this many lines; 0: never */
	int	n;
};

static int
collect(void *ctx, char *line, size_t len, off_t at)
{
	struct got *g = ctx;

	ck_assert_int_eq(line[len], '\0');
	g->len += (size_t)snprintf(g->out + g->len, sizeof g->out - g->len,
	    "%lld:%.*s|", (long long)at, (int)len, line);
	return ++g->n == g->stop;
}

static const char *
back(const char *buf, off_t lo, int partial, int stop)
{
	static struct got g;
	struct logscan_back b = { NULL, 0 };
	int fd, r;

	memset(&g, 0, sizeof g);
	g.stop = stop;
	fd = tmpfile_with(buf, strlen(buf));
	r = logscan_back(&b, fd, lo, (off_t)strlen(buf), partial, collect, &g);
	ck_assert_int_eq(r, stop > 0 && g.n == stop);
	logscan_back_free(&b);
	close(fd);
	return g.out;
}

START_TEST(test_back)
{
	ck_assert_str_eq(back("a\nbb\nccc\n", 0, 1, 0), "5:ccc|2:bb|0:a|");
	ck_assert_str_eq(back("a\nbb\ncc", 0, 1, 0), "5:cc|2:bb|0:a|");
	/* an unfinished line left out */
	ck_assert_str_eq(back("a\nbb\ncc", 0, 0, 0), "2:bb|0:a|");
	ck_assert_str_eq(back("cc", 0, 0, 0), "");
	ck_assert_str_eq(back("\n\nx\n", 0, 1, 0), "2:x|1:|0:|");
	ck_assert_str_eq(back("a\nbb\nccc\n", 2, 1, 0), "5:ccc|2:bb|");
	ck_assert_str_eq(back("a\nbb\nccc\n", 0, 1, 2), "5:ccc|2:bb|");
	ck_assert_str_eq(back("", 0, 1, 0), "");
}
END_TEST

/* Lines longer than the first block, and many blocks. */
START_TEST(test_back_long)
{
	struct logscan_back b = { NULL, 0 };
	struct got g;
	size_t n = 3 * LOGSCAN_BLK + 10, i, len;
	char *buf;
	int fd;

	buf = malloc(n + 64);
	ck_assert_ptr_nonnull(buf);
	len = (size_t)sprintf(buf, "first\n");
	for (i = 0; i < n; i++)
		buf[len++] = 'x';
	len += (size_t)sprintf(buf + len, "\nlast\n");
	fd = tmpfile_with(buf, len);
	memset(&g, 0, sizeof g);
	g.stop = 2;
	ck_assert_int_eq(logscan_back(&b, fd, 0, (off_t)len, 1, collect, &g),
	    1);
	ck_assert_int_eq(g.n, 2);
	ck_assert(strncmp(g.out, "196625:last|6:xxx", 17) == 0);
	ck_assert_uint_ge(b.cap, n);
	logscan_back_free(&b);
	close(fd);
	free(buf);
}
END_TEST

START_TEST(test_bisect)
{
	char *buf;
	size_t len = 0, cap = 1 << 21;
	struct timespec t = { 0, 0 };
	off_t at, want = -1;
	int fd, i;

	buf = malloc(cap);
	ck_assert_ptr_nonnull(buf);
	/* 30000 lines a second apart from 03:14:15, one without a stamp in
	 * every 100 */
	for (i = 0; i < 30000; i++) {
		if (i % 100 == 50)
			len += (size_t)sprintf(buf + len, "no stamp here\n");
		if (i == 20000)
			want = (off_t)len;
		len += (size_t)sprintf(buf + len,
		    "2026-11-%02dT%02d:%02d:%02d.000000Z line %d\n",
		    22 + (3 * 3600 + 14 * 60 + 15 + i) / 86400,
		    (3 + (14 * 60 + 15 + i) / 3600) % 24,
		    (14 + (15 + i) / 60) % 60, (15 + i) % 60, i);
	}
	fd = tmpfile_with(buf, len);
	/* the stamp of line 20000 */
	ck_assert_int_eq(logline_parse(buf + want, 40, &t, &i) > 0, 1);
	ck_assert_int_eq(logscan_bisect(fd, (off_t)len, &t, 0, &at), 1);
	ck_assert_int_eq(at, want);
	/* after it: the next line's */
	ck_assert_int_eq(logscan_bisect(fd, (off_t)len, &t, 1, &at), 1);
	ck_assert_int_eq(at, want + (off_t)(strchr(buf + want, '\n') -
	    (buf + want)) + 1);
	/* before all: the first; after all: none */
	t.tv_sec -= 100000;
	ck_assert_int_eq(logscan_bisect(fd, (off_t)len, &t, 0, &at), 1);
	ck_assert_int_eq(at, 0);
	t.tv_sec += 200000;
	ck_assert_int_eq(logscan_bisect(fd, (off_t)len, &t, 0, &at), 0);
	ck_assert_int_eq(logscan_bisect(fd, 0, &t, 0, &at), 0);
	close(fd);
	free(buf);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logscan");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_fixed);
	tcase_add_test(tc, test_text_has);
	tcase_add_test(tc, test_must);
	tcase_add_test(tc, test_last_stamp);
	tcase_add_test(tc, test_back);
	tcase_add_test(tc, test_back_long);
	tcase_add_test(tc, test_bisect);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
