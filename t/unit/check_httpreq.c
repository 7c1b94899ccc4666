/* check_httpreq: the request head parser on whole, partial, oversized
 * and hostile input; every prefix of a good request asks for more. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpreq.h"

static int
parse(const char *s, struct httpreq *r)
{
	return httpreq_parse(s, strlen(s), r);
}

START_TEST(test_get)
{
	static const char req[] = "GET /service/web?x=1 HTTP/1.1\r\n"
	    "Host: localhost:8080\r\nUser-Agent: t\r\n\r\nNEXT";
	struct httpreq r;

	ck_assert_int_eq(parse(req, &r), HTTPREQ_OK);
	ck_assert_int_eq(r.method, HTTPREQ_GET);
	ck_assert_int_eq(r.minor, 1);
	ck_assert_str_eq(r.path, "/service/web");
	ck_assert_int_eq(r.keepalive, 1);
	ck_assert_int_eq(r.hasauth, 0);
	ck_assert_uint_eq(r.headlen, strlen(req) - 4);
}
END_TEST

START_TEST(test_prefixes)
{
	static const char req[] = "\r\nPOST /a%20b HTTP/1.0\r\n"
	    "Connection: Keep-Alive\r\nContent-Length: 5\r\n"
	    "Authorization: Bearer s3cret\r\n\r\n";
	struct httpreq r;
	size_t n;

	for (n = 0; n < strlen(req); n++)
		ck_assert_int_eq(httpreq_parse(req, n, &r), HTTPREQ_MORE);
	ck_assert_int_eq(parse(req, &r), HTTPREQ_OK);
	ck_assert_int_eq(r.method, HTTPREQ_POST);
	ck_assert_int_eq(r.minor, 0);
	ck_assert_str_eq(r.path, "/a b");
	ck_assert_int_eq(r.keepalive, 1);
	ck_assert_uint_eq(r.clen, 5);
	ck_assert_int_eq(r.hasauth, 1);
	ck_assert_str_eq(r.auth, "s3cret");
}
END_TEST

START_TEST(test_keepalive)
{
	struct httpreq r;

	ck_assert_int_eq(parse("GET / HTTP/1.0\r\n\r\n", &r), HTTPREQ_OK);
	ck_assert_int_eq(r.keepalive, 0);
	ck_assert_int_eq(parse("GET / HTTP/1.1\nHost: a\n"
	    "Connection: foo, close\n\n", &r), HTTPREQ_OK);
	ck_assert_int_eq(r.keepalive, 0);
	ck_assert_int_eq(parse("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", &r),
	    HTTPREQ_OK);
	ck_assert_int_eq(r.method, HTTPREQ_HEAD);
	ck_assert_int_eq(r.keepalive, 1);
	ck_assert_int_eq(parse("BREW / HTTP/1.1\r\nHost: a\r\n\r\n", &r),
	    HTTPREQ_OK);
	ck_assert_int_eq(r.method, HTTPREQ_OTHER);
}
END_TEST

START_TEST(test_bad)
{
	static const struct {
		const char	*req;
		int		 code;
	} cases[] = {
		{ "GET /../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET /%2e%2e/%2E%2e/etc/passwd HTTP/1.1\r\n", 400 },
		{ "GET /service/.. HTTP/1.1\r\n", 400 },
		{ "GET /./x HTTP/1.1\r\n", 400 },
		{ "GET /a%2fb HTTP/1.1\r\n", 400 },
		{ "GET /a%00 HTTP/1.1\r\n", 400 },
		{ "GET /a%0 HTTP/1.1\r\n", 400 },
		{ "GET /a%zz HTTP/1.1\r\n", 400 },
		{ "GET /a\x01 HTTP/1.1\r\n", 400 },
		{ "GET /a#f HTTP/1.1\r\n", 400 },
		{ "GET http://a/ HTTP/1.1\r\n", 400 },
		{ "GET * HTTP/1.1\r\n", 400 },
		{ "GET /\r\n", 400 },
		{ "GET  / HTTP/1.1\r\n", 400 },
		{ "GET / HTTP/1.1 \r\n", 400 },
		{ "GET / http/1.1\r\n", 400 },
		{ "GET / HTTP/2.0\r\n", 505 },
		{ "GET / HTTP/1.2\r\n", 505 },
		{ "G(T / HTTP/1.1\r\n", 400 },
		{ "GET / HTTP/1.1\r\n\r\n", 400 },		/* no Host */
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nX: a\x7f\r\n", 400 },
		{ "GET / HTTP/1.1\r\nContent-Length: -1\r\n", 400 },
		{ "GET / HTTP/1.1\r\nContent-Length: 1\r\n"
		    "Content-Length: 2\r\n", 400 },
		{ "GET / HTTP/1.1\r\nContent-Length: 9999999999\r\n", 413 },
		{ "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n", 501 },
	};
	struct httpreq r;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		ck_assert_msg(parse(cases[i].req, &r) == cases[i].code,
		    "case %zu: %s: got %d", i, cases[i].req,
		    parse(cases[i].req, &r));
}
END_TEST

START_TEST(test_nul)
{
	static const char req[] = "GET /a\0b HTTP/1.1\r\nHost: a\r\n\r\n";
	struct httpreq r;

	/* Refused as soon as the NUL is in, before the line ends. */
	ck_assert_int_eq(httpreq_parse(req, 7, &r), 400);
	ck_assert_int_eq(httpreq_parse(req, sizeof req - 1, &r), 400);
}
END_TEST

START_TEST(test_limits)
{
	static char buf[3 * HTTPREQ_MAX];
	struct httpreq r;
	size_t n;
	int i;

	/* A request line longer than the bound. */
	memset(buf, 'a', sizeof buf);
	memcpy(buf, "GET /", 5);
	ck_assert_int_eq(httpreq_parse(buf, HTTPREQ_MAX - 1, &r),
	    HTTPREQ_MORE);
	ck_assert_int_eq(httpreq_parse(buf, HTTPREQ_MAX, &r), 414);
	ck_assert_int_eq(httpreq_parse(buf, sizeof buf, &r), 414);
	/* A path longer than HTTPREQ_PATHMAX. */
	n = 5 + HTTPREQ_PATHMAX;
	memcpy(buf + n, " HTTP/1.1\r\n", 11);
	ck_assert_int_eq(httpreq_parse(buf, n + 11, &r), 414);
	/* A 100 KiB header: 431 once the bound is passed. */
	n = (size_t)snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nX: ");
	memset(buf + n, 'x', sizeof buf - n);
	ck_assert_int_eq(httpreq_parse(buf, HTTPREQ_MAX - 1, &r),
	    HTTPREQ_MORE);
	ck_assert_int_eq(httpreq_parse(buf, sizeof buf, &r), 431);
	/* Too many header lines. */
	n = (size_t)snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 0; i < HTTPREQ_HEADERS; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "X: %d\r\n",
		    i);
	n += (size_t)snprintf(buf + n, sizeof buf - n, "\r\n");
	ck_assert_int_eq(httpreq_parse(buf, n, &r), 431);
	/* A head of exactly HTTPREQ_MAX bytes passes. */
	n = (size_t)snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: a\r\n"
	    "X: ");
	memset(buf + n, 'x', HTTPREQ_MAX - n - 4);
	memcpy(buf + HTTPREQ_MAX - 4, "\r\n\r\n", 4);
	ck_assert_int_eq(httpreq_parse(buf, HTTPREQ_MAX, &r), HTTPREQ_OK);
	ck_assert_uint_eq(r.headlen, HTTPREQ_MAX);
}
END_TEST

START_TEST(test_auth)
{
	static char buf[1024];
	struct httpreq r;

	ck_assert_int_eq(parse("POST / HTTP/1.1\r\nHost: a\r\n"
	    "Authorization: Basic eDp5\r\n\r\n", &r), HTTPREQ_OK);
	ck_assert_int_eq(r.hasauth, 1);
	ck_assert_str_eq(r.auth, "");
	snprintf(buf, sizeof buf, "POST / HTTP/1.1\r\nHost: a\r\n"
	    "Authorization: Bearer %0300d\r\n\r\n", 1);
	ck_assert_int_eq(parse(buf, &r), HTTPREQ_OK);
	ck_assert_str_eq(r.auth, "");	/* too long: matches no token */
	ck_assert_int_eq(parse("POST / HTTP/1.1\r\nHost: a\r\n"
	    "Authorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n",
	    &r), 400);
}
END_TEST

/* Arbitrary bytes never crash it and never read past len (ASan). */
START_TEST(test_random)
{
	static const char alpha[] = "GET /%.2e\r\n: HTTP/1.1Host\0\x80 ";
	char *buf;
	struct httpreq r;
	size_t n, i;
	int k;

	srand(12345);
	for (k = 0; k < 20000; k++) {
		n = (size_t)rand() % 64;
		if ((buf = malloc(n + 1)) == NULL)
			ck_abort();
		for (i = 0; i < n; i++)
			buf[i] = alpha[(size_t)rand() % (sizeof alpha - 1)];
		httpreq_parse(buf, n, &r);
		free(buf);
	}
}
END_TEST

START_TEST(test_reason)
{
	ck_assert_str_eq(httpreq_reason(431),
	    "Request Header Fields Too Large");
	ck_assert_str_eq(httpreq_reason(999), "Unknown");
}
END_TEST

static Suite *
httpreq_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("httpreq");
	tc = tcase_create("core");
	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_prefixes);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_auth);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_reason);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(httpreq_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
