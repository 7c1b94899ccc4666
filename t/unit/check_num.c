/* check_num: bounded decimal numbers, leading digits, sizes. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "num.h"

/* s must fail with errno e and leave v as it was. */
#define BAD_U64(s, max, e) do {						\
	uint64_t v_ = 42;						\
	errno = 0;							\
	ck_assert_int_eq(num_parse_u64((s), (max), &v_), -1);		\
	ck_assert_int_eq(errno, (e));					\
	ck_assert(v_ == 42);						\
} while (0)

#define BAD_SIZE(s, max, e) do {					\
	uint64_t v_ = 42;						\
	errno = 0;							\
	ck_assert_int_eq(num_parse_size((s), (max), &v_), -1);		\
	ck_assert_int_eq(errno, (e));					\
	ck_assert(v_ == 42);						\
} while (0)

#define BAD(s, min, max, e) do {					\
	int64_t v_ = 42;						\
	errno = 0;							\
	ck_assert_int_eq(num_parse((s), (min), (max), &v_), -1);	\
	ck_assert_int_eq(errno, (e));					\
	ck_assert(v_ == 42);						\
} while (0)

START_TEST(test_u64)
{
	uint64_t v;

	ck_assert_int_eq(num_parse_u64("0", 10, &v), 0);
	ck_assert(v == 0);
	ck_assert_int_eq(num_parse_u64("10", 10, &v), 0);
	ck_assert(v == 10);
	ck_assert_int_eq(num_parse_u64("007", 10, &v), 0);
	ck_assert(v == 7);
	ck_assert_int_eq(num_parse_u64("18446744073709551615", UINT64_MAX,
	    &v), 0);
	ck_assert(v == UINT64_MAX);
	BAD_U64("11", 10, ERANGE);
	BAD_U64("18446744073709551616", UINT64_MAX, ERANGE);
	BAD_U64("99999999999999999999999", UINT64_MAX, ERANGE);
	BAD_U64("1", 0, ERANGE);
	BAD_U64("", 10, EINVAL);
	BAD_U64("-1", 10, EINVAL);
	BAD_U64("+1", 10, EINVAL);
	BAD_U64(" 1", 10, EINVAL);
	BAD_U64("1 ", 10, EINVAL);
	BAD_U64("1x", 10, EINVAL);
	BAD_U64("0x1", 10, EINVAL);
	BAD_U64("1.5", 10, EINVAL);
}
END_TEST

START_TEST(test_signed)
{
	int64_t v;

	ck_assert_int_eq(num_parse("2147483647", 0, INT32_MAX, &v), 0);
	ck_assert(v == INT32_MAX);
	BAD("2147483648", 0, INT32_MAX, ERANGE);
	BAD("5", 6, 10, ERANGE);
	/* No sign unless min is negative. */
	BAD("-1", 0, 10, EINVAL);
	BAD("+1", 0, 10, EINVAL);
	BAD("-0", 0, 10, EINVAL);
	ck_assert_int_eq(num_parse("-40", -40, 40, &v), 0);
	ck_assert(v == -40);
	ck_assert_int_eq(num_parse("+40", -40, 40, &v), 0);
	ck_assert(v == 40);
	ck_assert_int_eq(num_parse("-0", -40, 40, &v), 0);
	ck_assert(v == 0);
	ck_assert_int_eq(num_parse("7", -40, 40, &v), 0);
	ck_assert(v == 7);
	BAD("-41", -40, 40, ERANGE);
	BAD("41", -40, 40, ERANGE);
	BAD("-", -40, 40, EINVAL);
	BAD("--1", -40, 40, EINVAL);
	BAD("- 1", -40, 40, EINVAL);
	/* The ends of int64_t, without overflow on the way. */
	ck_assert_int_eq(num_parse("-9223372036854775808", INT64_MIN,
	    INT64_MAX, &v), 0);
	ck_assert(v == INT64_MIN);
	ck_assert_int_eq(num_parse("9223372036854775807", INT64_MIN,
	    INT64_MAX, &v), 0);
	ck_assert(v == INT64_MAX);
	BAD("-9223372036854775809", INT64_MIN, INT64_MAX, ERANGE);
	BAD("9223372036854775808", INT64_MIN, INT64_MAX, ERANGE);
	/* A range below zero. */
	ck_assert_int_eq(num_parse("-20", -30, -10, &v), 0);
	ck_assert(v == -20);
	BAD("-5", -30, -10, ERANGE);
	BAD("0", -30, -10, ERANGE);
	BAD("1", 5, 2, ERANGE);
}
END_TEST

START_TEST(test_scan)
{
	uint64_t v = 0;
	size_t used = 0;

	ck_assert_int_eq(num_scan("123abc", 6, 1000, &v, &used), 0);
	ck_assert(v == 123);
	ck_assert_uint_eq(used, 3);
	/* len bounds what is read: no NUL needed. */
	ck_assert_int_eq(num_scan("123456", 2, 1000, &v, &used), 0);
	ck_assert(v == 12);
	ck_assert_uint_eq(used, 2);
	errno = 0;
	ck_assert_int_eq(num_scan("abc", 3, 1000, &v, &used), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(num_scan("123", 0, 1000, &v, &used), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(num_scan("1001", 4, 1000, &v, &used), -1);
	ck_assert_int_eq(errno, ERANGE);
	ck_assert(v == 12);
}
END_TEST

START_TEST(test_size)
{
	uint64_t v;

	ck_assert_int_eq(num_parse_size("4096", UINT64_MAX, &v), 0);
	ck_assert(v == 4096);
	ck_assert_int_eq(num_parse_size("1k", UINT64_MAX, &v), 0);
	ck_assert(v == 1024);
	ck_assert_int_eq(num_parse_size("3K", UINT64_MAX, &v), 0);
	ck_assert(v == 3072);
	ck_assert_int_eq(num_parse_size("2m", UINT64_MAX, &v), 0);
	ck_assert(v == 2 << 20);
	ck_assert_int_eq(num_parse_size("2M", UINT64_MAX, &v), 0);
	ck_assert(v == 2 << 20);
	ck_assert_int_eq(num_parse_size("5g", UINT64_MAX, &v), 0);
	ck_assert(v == (uint64_t)5 << 30);
	ck_assert_int_eq(num_parse_size("1G", 1 << 30, &v), 0);
	ck_assert(v == 1 << 30);
	BAD_SIZE("2G", 1 << 30, ERANGE);
	/* A suffix that would carry a value past 64 bits. */
	BAD_SIZE("17179869184G", UINT64_MAX, ERANGE);
	BAD_SIZE("1kb", UINT64_MAX, EINVAL);
	BAD_SIZE("1t", UINT64_MAX, EINVAL);
	BAD_SIZE("k", UINT64_MAX, EINVAL);
	BAD_SIZE("-1k", UINT64_MAX, EINVAL);
	BAD_SIZE("", UINT64_MAX, EINVAL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("num");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_u64);
	tcase_add_test(tc, test_signed);
	tcase_add_test(tc, test_scan);
	tcase_add_test(tc, test_size);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
