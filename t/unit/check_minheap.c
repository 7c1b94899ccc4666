/* check_minheap: order, ties broken by the caller, bounds. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "minheap.h"

static int
by_key(int a, int b, void *ctx)
{
	const int *key = ctx;

	return key[a] != key[b] ? key[a] < key[b] : a < b;
}

START_TEST(test_order)
{
	int key[64], i, x, prev = -1;
	struct minheap h;

	srand(7);
	for (i = 0; i < 64; i++)
		key[i] = rand() % 10;	/* many ties */
	ck_assert_int_eq(minheap_init(&h, 64, by_key, key), 0);
	for (i = 63; i >= 0; i--)
		ck_assert_int_eq(minheap_push(&h, i), 0);
	for (i = 0; i < 64; i++) {
		x = minheap_pop(&h);
		ck_assert_int_ge(x, 0);
		if (prev != -1)
			ck_assert(by_key(prev, x, key));
		prev = x;
	}
	ck_assert_int_eq(minheap_pop(&h), -1);
	minheap_free(&h);
}
END_TEST

START_TEST(test_push_after_pop)
{
	int key[4] = { 5, 1, 3, 1 };
	struct minheap h;

	ck_assert_int_eq(minheap_init(&h, 3, by_key, key), 0);
	ck_assert_int_eq(minheap_push(&h, 0), 0);
	ck_assert_int_eq(minheap_push(&h, 2), 0);
	ck_assert_int_eq(minheap_push(&h, 3), 0);
	ck_assert_int_eq(minheap_push(&h, 1), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(minheap_pop(&h), 3);
	key[3] = 4;	/* its next line is later */
	ck_assert_int_eq(minheap_push(&h, 3), 0);
	ck_assert_int_eq(minheap_pop(&h), 2);
	ck_assert_int_eq(minheap_pop(&h), 3);
	ck_assert_int_eq(minheap_pop(&h), 0);
	ck_assert_int_eq(minheap_pop(&h), -1);
	minheap_free(&h);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("minheap");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int nf;

	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_push_after_pop);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
