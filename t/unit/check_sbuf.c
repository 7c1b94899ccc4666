/* check_sbuf: growth up to the bound, the sticky failure, fixed storage,
 * and the JSON and HTML escapes. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

START_TEST(test_grow)
{
	struct sbuf b;
	int i;

	sbuf_init(&b, 100000);
	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(sbuf_printf(&b, "%03d,", i), 0);
	ck_assert_uint_eq(b.len, 4000);
	ck_assert_int_eq(b.err, 0);
	ck_assert(strncmp(b.p, "000,001,", 8) == 0);
	ck_assert_str_eq(b.p + 3996, "999,");
	sbuf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	sbuf_puts(&b, "x");
	ck_assert_str_eq(b.p, "x");
	sbuf_free(&b);
}
END_TEST

START_TEST(test_bound)
{
	struct sbuf b;

	sbuf_init(&b, 8);
	ck_assert_int_eq(sbuf_puts(&b, "1234567"), 0);	/* 7 + NUL */
	ck_assert_int_eq(sbuf_putc(&b, 'x'), -1);
	ck_assert_int_eq(b.err, ENOBUFS);
	/* Sticky: even what would fit fails now. */
	ck_assert_int_eq(sbuf_add(&b, "", 0), -1);
	ck_assert_str_eq(b.p, "1234567");
	sbuf_free(&b);
}
END_TEST

START_TEST(test_wrap)
{
	char store[6];
	struct sbuf b;

	sbuf_wrap(&b, store, sizeof store);
	ck_assert_int_eq(sbuf_printf(&b, "%d", 12345), 0);
	ck_assert_str_eq(store, "12345");
	ck_assert_int_eq(sbuf_printf(&b, "%d", 6), -1);
	ck_assert_str_eq(store, "12345");
	sbuf_free(&b);		/* never frees the caller's storage */
	ck_assert_ptr_null(b.p);
}
END_TEST

START_TEST(test_json)
{
	struct sbuf b;

	sbuf_init(&b, 1000);
	sbuf_json_str(&b, "a\"b\\c\n\x01\x7f\xc3\xa9", 10);
	ck_assert_str_eq(b.p, "\"a\\\"b\\\\c\\u000a\\u0001\\u007f\xc3\xa9\"");
	sbuf_reset(&b);
	sbuf_json_str(&b, "x\0y", 3);
	ck_assert_str_eq(b.p, "\"x\\u0000y\"");
	sbuf_free(&b);
}
END_TEST

START_TEST(test_html)
{
	struct sbuf b;

	sbuf_init(&b, 1000);
	ck_assert_int_eq(sbuf_html(&b, "<a href=\"x\">&'\t\n\x1b</a>", 21),
	    0);
	ck_assert_str_eq(b.p,
	    "&lt;a href=&quot;x&quot;&gt;&amp;&#39;\t\n?&lt;/a&gt;");
	sbuf_free(&b);
}
END_TEST

static Suite *
sbuf_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("sbuf");
	tc = tcase_create("core");
	tcase_add_test(tc, test_grow);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_html);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(sbuf_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
