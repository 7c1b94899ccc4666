/* check_tcplisten: listen addresses parsed (IPv4, [IPv6], ports, junk),
 * loopback told apart, and a socket opened close-on-exec, non-blocking. */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "tcplisten.h"

START_TEST(test_parse)
{
	static const char *bad[] = {
		"", "8080", ":8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:x",
		"127.0.0.1:65536", "127.0.0.1:-1", "localhost:80", "::1:80",
		"[::1]", "[::1]:", "[127.0.0.1]:80", "1.2.3.4.5:80",
		("[0123456789012345678901234567890123456789012345678901234567890"
		"123456789]:80"),
	};
	struct tcplisten_addr a;
	const struct sockaddr_in *in4 = (const struct sockaddr_in *)&a.ss;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&a.ss;
	size_t i;

	ck_assert_int_eq(tcplisten_parse("127.0.0.1:8080", &a), 0);
	ck_assert_int_eq(a.ss.ss_family, AF_INET);
	ck_assert_int_eq(ntohs(in4->sin_port), 8080);
	ck_assert_int_eq(a.len, sizeof *in4);
	ck_assert_int_eq(tcplisten_loopback(&a), 1);
	ck_assert_int_eq(tcplisten_parse("127.9.9.9:0", &a), 0);
	ck_assert_int_eq(tcplisten_loopback(&a), 1);
	ck_assert_int_eq(tcplisten_parse("0.0.0.0:65535", &a), 0);
	ck_assert_int_eq(ntohs(in4->sin_port), 65535);
	ck_assert_int_eq(tcplisten_loopback(&a), 0);
	ck_assert_int_eq(tcplisten_parse("192.0.2.1:80", &a), 0);
	ck_assert_int_eq(tcplisten_loopback(&a), 0);
	ck_assert_int_eq(tcplisten_parse("[::1]:8080", &a), 0);
	ck_assert_int_eq(a.ss.ss_family, AF_INET6);
	ck_assert_int_eq(ntohs(in6->sin6_port), 8080);
	ck_assert_int_eq(tcplisten_loopback(&a), 1);
	ck_assert_int_eq(tcplisten_parse("[::]:80", &a), 0);
	ck_assert_int_eq(tcplisten_loopback(&a), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		ck_assert_msg(tcplisten_parse(bad[i], &a) == -1 &&
		    errno == EINVAL, "accepted %s", bad[i]);
	}
}
END_TEST

START_TEST(test_open)
{
	struct tcplisten_addr a;
	struct sockaddr_in sin;
	socklen_t sl = sizeof sin;
	int fd, fd2;

	ck_assert_int_eq(tcplisten_parse("127.0.0.1:0", &a), 0);
	ck_assert_int_ne(fd = tcplisten_open(&a, 8), -1);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ck_assert(fcntl(fd, F_GETFL) & O_NONBLOCK);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	ck_assert_int_ne(ntohs(sin.sin_port), 0);
	/* The same port again: in use. */
	((struct sockaddr_in *)&a.ss)->sin_port = sin.sin_port;
	errno = 0;
	ck_assert_int_eq(fd2 = tcplisten_open(&a, 8), -1);
	ck_assert_int_eq(errno, EADDRINUSE);
	close(fd);
}
END_TEST

static Suite *
tcplisten_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("tcplisten");
	tc = tcase_create("core");
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_open);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(tcplisten_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
