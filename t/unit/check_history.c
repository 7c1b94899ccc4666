/* check_history: record format, append with rotation, parsing. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "history.h"
#include "timefmt.h"

static char tmpdir[] = "/tmp/check_history.XXXXXX";
static char hpath[256], h1path[256], h2path[256];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(hpath, sizeof hpath, "%s/history", tmpdir);
	snprintf(h1path, sizeof h1path, "%s/history.1", tmpdir);
	snprintf(h2path, sizeof h2path, "%s/history.2", tmpdir);
}

static void
teardown(void)
{
	unlink(hpath);
	unlink(h1path);
	unlink(h2path);
	rmdir(tmpdir);
}

static off_t
fsize(const char *p)
{
	struct stat sb;

	if (stat(p, &sb) == -1)
		return -1;
	return sb.st_size;
}

static void
assert_content(const char *p, const char *s)
{
	static char buf[8192];
	ssize_t n;

	n = fd_read_file(p, buf, sizeof buf - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, s);
}

START_TEST(test_format)
{
	struct timespec ts = { 1795317255, 123456789 };
	char buf[HISTORY_MAX_LINE];
	const char *want = "2026-11-22T03:14:15.123456Z exit pid=4242 code=1 "
	    "runtime=345.876\n";
	size_t n;

	memset(buf, 0, sizeof buf);
	n = history_format(buf, sizeof buf, &ts, "exit",
	    "pid=4242 code=1 runtime=345.876");
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_str_eq(buf, want);
	memset(buf, 0, sizeof buf);
	ck_assert_uint_eq(history_format(buf, sizeof buf, &ts, "start", NULL),
	    34);
	ck_assert_str_eq(buf, "2026-11-22T03:14:15.123456Z start\n");
	memset(buf, 0, sizeof buf);
	ck_assert_uint_eq(history_format(buf, sizeof buf, &ts, "start", ""),
	    34);
	ck_assert_str_eq(buf, "2026-11-22T03:14:15.123456Z start\n");
	/* Exactly fits, and one byte short. */
	memset(buf, 0, sizeof buf);
	ck_assert_uint_eq(history_format(buf, strlen(want), &ts, "exit",
	    "pid=4242 code=1 runtime=345.876"), strlen(want));
	ck_assert(memcmp(buf, want, strlen(want)) == 0);
	ck_assert_uint_eq(history_format(buf, strlen(want) - 1, &ts, "exit",
	    "pid=4242 code=1 runtime=345.876"), 0);
	ck_assert_uint_eq(history_format(buf, 10, &ts, "up", NULL), 0);
}
END_TEST

static void
line(char *buf, int i)
{
	/* 50 bytes with its newline. */
	struct timespec ts = { 1795317255 + i, 0 };

	ck_assert_uint_eq(history_format(buf, 64, &ts, "restart",
	    "delay=1000"), 47);
	memcpy(buf + 46, "xxx\n", 4);
}

START_TEST(test_append_rotate)
{
	struct history h;
	char l[8][64], want[512];
	int i;

	for (i = 0; i < 8; i++)
		line(l[i], i);
	ck_assert_int_eq(history_open(&h, tmpdir, 200), 0);
	ck_assert_str_eq(h.path, hpath);
	ck_assert(fcntl(h.fd, F_GETFD) & FD_CLOEXEC);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(history_append(&h, l[i], 50), 0);
	ck_assert_int_eq(fsize(hpath), 200);
	ck_assert_int_eq(fsize(h1path), -1);
	ck_assert_int_eq(h.size, 200);
	/* The fifth would pass the bound: rotate first. */
	ck_assert_int_eq(history_append(&h, l[4], 50), 0);
	ck_assert_int_eq(fsize(h1path), 200);
	ck_assert_int_eq(fsize(hpath), 50);
	ck_assert_int_eq(h.size, 50);
	snprintf(want, sizeof want, "%.50s%.50s%.50s%.50s", l[0], l[1], l[2],
	    l[3]);
	assert_content(h1path, want);
	snprintf(want, sizeof want, "%.50s", l[4]);
	assert_content(hpath, want);
	/* Only one old generation. */
	for (i = 5; i < 8; i++)
		ck_assert_int_eq(history_append(&h, l[i], 50), 0);
	ck_assert_int_eq(history_append(&h, l[0], 50), 0);
	ck_assert_int_eq(fsize(h2path), -1);
	snprintf(want, sizeof want, "%.50s%.50s%.50s%.50s", l[4], l[5], l[6],
	    l[7]);
	assert_content(h1path, want);
	snprintf(want, sizeof want, "%.50s", l[0]);
	assert_content(hpath, want);
	history_close(&h);
	ck_assert_int_eq(h.fd, -1);
	history_close(&h);
}
END_TEST

/* The size is taken from the file on open, so a restarted supervise
 * rotates at the same point. */
START_TEST(test_size_across_reopen)
{
	struct history h;
	char l[64];

	line(l, 0);
	ck_assert_int_eq(history_open(&h, tmpdir, 200), 0);
	ck_assert_int_eq(history_append(&h, l, 50), 0);
	ck_assert_int_eq(history_append(&h, l, 50), 0);
	ck_assert_int_eq(history_append(&h, l, 50), 0);
	history_close(&h);
	memset(&h, 0, sizeof h);
	ck_assert_int_eq(history_open(&h, tmpdir, 200), 0);
	ck_assert_int_eq(h.size, 150);
	ck_assert_int_eq(history_append(&h, l, 50), 0);
	ck_assert_int_eq(fsize(h1path), -1);
	ck_assert_int_eq(history_append(&h, l, 50), 0);
	ck_assert_int_eq(fsize(h1path), 200);
	ck_assert_int_eq(fsize(hpath), 50);
	/* Closed, append opens again. */
	history_close(&h);
	ck_assert_int_eq(history_append(&h, l, 50), 0);
	ck_assert_int_eq(fsize(hpath), 100);
	history_close(&h);
}
END_TEST

START_TEST(test_bound)
{
	struct history h;
	static char big[300];

	ck_assert_int_eq(history_open(&h, tmpdir, 0), 0);
	ck_assert_int_eq(h.bound, HISTORY_BOUND);
	ck_assert_int_eq(h.bound, 65536);
	history_close(&h);
	/* A record larger than the bound still goes into an empty file. */
	memset(big, 'y', sizeof big);
	big[sizeof big - 1] = '\n';
	ck_assert_int_eq(history_open(&h, tmpdir, 100), 0);
	ck_assert_int_eq(history_append(&h, big, sizeof big), 0);
	ck_assert_int_eq(fsize(hpath), 300);
	ck_assert_int_eq(fsize(h1path), -1);
	ck_assert_int_eq(history_append(&h, "z\n", 2), 0);
	ck_assert_int_eq(fsize(h1path), 300);
	ck_assert_int_eq(fsize(hpath), 2);
	history_close(&h);
	errno = 0;
	snprintf(big, sizeof big, "%s/nodir", tmpdir);
	ck_assert_int_eq(history_open(&h, big, 0), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

static void
parse_ok(const char *s, struct history_rec *r)
{
	if (history_parse(s, strlen(s), r) != 0)
		ck_abort_msg("rejected \"%s\"", s);
}

/* The examples of DESIGN.md section 4. */
START_TEST(test_parse_design)
{
	struct history_rec r;

	parse_ok("2026-11-22T03:14:15.123456Z start pid=4242\n", &r);
	ck_assert_int_eq(r.ts.tv_sec, 1795317255);
	ck_assert_int_eq(r.ts.tv_nsec, 123456000);
	ck_assert_str_eq(r.event, "start");
	ck_assert_int_eq(r.nfields, 1);
	ck_assert_str_eq(history_get(&r, "pid"), "4242");
	ck_assert_ptr_null(history_get(&r, "code"));

	parse_ok("2026-11-22T03:14:15.301002Z ready pid=4242", &r);
	ck_assert_int_eq(r.ts.tv_nsec, 301002000);
	ck_assert_str_eq(r.event, "ready");
	ck_assert_str_eq(history_get(&r, "pid"), "4242");

	parse_ok("2026-11-22T03:20:01.000017Z exit pid=4242 code=1 "
	    "runtime=345.876\n", &r);
	ck_assert_int_eq(r.ts.tv_sec, 1795317255 + 5 * 60 + 46);
	ck_assert_int_eq(r.ts.tv_nsec, 17000);
	ck_assert_str_eq(r.event, "exit");
	ck_assert_int_eq(r.nfields, 3);
	ck_assert_str_eq(history_get(&r, "pid"), "4242");
	ck_assert_str_eq(history_get(&r, "code"), "1");
	ck_assert_str_eq(history_get(&r, "runtime"), "345.876");
	ck_assert_ptr_null(history_get(&r, "signal"));
	ck_assert_ptr_null(history_get(&r, "run"));

	parse_ok("2026-11-22T03:20:01.000100Z restart delay=1000\n", &r);
	ck_assert_str_eq(r.event, "restart");
	ck_assert_str_eq(history_get(&r, "delay"), "1000");

	parse_ok("2026-11-22T03:20:09.513000Z exit pid=4250 signal=KILL "
	    "runtime=7.512\n", &r);
	ck_assert_str_eq(r.event, "exit");
	ck_assert_str_eq(history_get(&r, "pid"), "4250");
	ck_assert_str_eq(history_get(&r, "signal"), "KILL");
	ck_assert_str_eq(history_get(&r, "runtime"), "7.512");
	ck_assert_ptr_null(history_get(&r, "code"));
}
END_TEST

START_TEST(test_parse_more)
{
	struct timespec ts = { 1795317255, 123456789 };
	struct history_rec r;
	char buf[HISTORY_MAX_LINE];
	size_t n;

	/* No fields. */
	parse_ok("2026-11-22T03:14:15.123456Z down\n", &r);
	ck_assert_str_eq(r.event, "down");
	ck_assert_int_eq(r.nfields, 0);
	/* An empty value is a value. */
	parse_ok("2026-11-22T03:14:15.123456Z adopt pid= x=1", &r);
	ck_assert_str_eq(history_get(&r, "pid"), "");
	ck_assert_str_eq(history_get(&r, "x"), "1");
	/* Values may hold '='. */
	parse_ok("2026-11-22T03:14:15.123456Z kill cmd=a=b", &r);
	ck_assert_str_eq(history_get(&r, "cmd"), "a=b");
	/* HISTORY_MAX_FIELDS fields. */
	parse_ok("2026-11-22T03:14:15.123456Z e a=1 b=2 c=3 d=4 e=5 f=6 g=7 "
	    "h=8", &r);
	ck_assert_int_eq(r.nfields, HISTORY_MAX_FIELDS);
	ck_assert_str_eq(history_get(&r, "h"), "8");
	/* What history_format writes, history_parse reads. */
	n = history_format(buf, sizeof buf, &ts, "unhealthy",
	    "pid=77 failures=3");
	ck_assert_int_eq(history_parse(buf, n, &r), 0);
	ck_assert_int_eq(r.ts.tv_sec, ts.tv_sec);
	ck_assert_int_eq(r.ts.tv_nsec, 123456000);
	ck_assert_str_eq(r.event, "unhealthy");
	ck_assert_str_eq(history_get(&r, "failures"), "3");
	/* len bounds the record. */
	ck_assert_int_eq(history_parse("2026-11-22T03:14:15.123456Z up "
	    "pid=1", 30, &r), 0);
	ck_assert_str_eq(r.event, "up");
	ck_assert_int_eq(r.nfields, 0);
}
END_TEST

START_TEST(test_parse_reject)
{
	static const char *bad[] = {
		"",
		"\n",
		"garbage",
		"2026-11-22T03:14:15.123456Z",
		"2026-11-22T03:14:15.123456Z\n",
		"2026-11-22T03:14:15.123456Z ",
		"2026-11-22T03:14:15.123456Z  exit pid=1",
		"2026-11-22T03:14:15.123456Z exit pid",
		"2026-11-22T03:14:15.123456Z exit pid=1 code",
		"2026-11-22T03:14:15.123456Z exit =1",
		"2026-11-22T03:14:15.123456Z exit pid=1 =2",
		"2026-13-22T03:14:15.123456Z exit pid=1",
		"2026-11-22T25:14:15.123456Z exit pid=1",
		"2026-11-22T03:14:15.12345Z exit pid=1",
		"2026-11-22T03:14:15.123456 exit pid=1",
		"2026-11-22T03:14:15.123456Zexit pid=1",
		"xxxx-11-22T03:14:15.123456Z exit pid=1",
		"exit pid=1",
		"2026-11-22T03:14:15.123456Z "
		    "an_event_name_far_too_long_to_fit_in_32 pid=1",
		"2026-11-22T03:14:15.123456Z exit "
		    "a_key_far_too_long_to_fit_in_32_bytes=1",
		/* Times no supervise writes: other shapes, before 1970. */
		"2026-11-22 03:14:15.123456Z exit pid=1",
		"2026-11-22T03:14:15,123456Z exit pid=1",
		"1969-12-31T23:59:59.999999Z exit pid=1",
		"0000-01-01T00:00:00.000000Z exit pid=1",
		"2026-02-30T03:14:15.123456Z exit pid=1",
		/* A newline inside (two records). */
		"2026-11-22T03:14:15.123456Z up\n"
		    "2026-11-22T03:14:15.123456Z up",
	};
	struct history_rec r;
	char longval[300];
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		if (history_parse(bad[i], strlen(bad[i]), &r) != -1)
			ck_abort_msg("accepted \"%s\"", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
	}
	/* A NUL inside (found by t/fuzz/fuzz_history). */
	ck_assert_int_eq(history_parse("2026-11-22T03:14:15.123456Z exit "
	    "pid=1 \0ey=2", 44, &r), -1);
	ck_assert_int_eq(history_parse("2026-11-22T03:14:15.123456Z exit "
	    "pid=1\0", 40, &r), -1);
	snprintf(longval, sizeof longval, "2026-11-22T03:14:15.123456Z exit "
	    "v=%0200d", 1);
	ck_assert_int_eq(history_parse(longval, strlen(longval), &r), -1);
}
END_TEST

static int
collect(void *arg, const char *line, size_t len)
{
	struct history_rec r;

	if (history_parse(line, len, &r) == 0)
		history_restarts_add(arg, &r);
	return 0;
}

START_TEST(test_read_restarts)
{
	struct history_restarts hr;
	struct timespec since = { 0, 0 };
	FILE *f;

	ck_assert_ptr_nonnull(f = fopen(h1path, "w"));
	fputs("2026-11-22T03:00:00.000000Z start pid=1\n"
	    "2026-11-22T03:00:01.000000Z exit pid=1 code=1\n", f);
	fclose(f);
	ck_assert_ptr_nonnull(f = fopen(hpath, "w"));
	fprintf(f, "2026-11-22T03:00:02.000000Z start pid=2\n"
	    "garbage\n"
	    "2026-11-22T03:00:03.000000Z exit pid=2 code=1\n"
	    "2026-11-22T03:00:04.000000Z start pid=3\n"
	    "2026-11-22T03:00:05.000000Z exit pid=3 signal=TERM\n"
	    "2026-11-22T03:00:06.000000Z up\n"
	    "2026-11-22T03:00:07.000000Z start pid=4\n"
	    "2026-11-22T03:00:08.000000Z x v=%0900d\n"
	    "2026-11-22T03:00:09.000000Z exit pid=4 code=0\n"
	    "2026-11-22T03:00:10.000000Z start pid=5\n", 1);
	fclose(f);
	history_restarts_init(&hr, &since);
	ck_assert_int_eq(history_read(tmpdir, collect, &hr), 0);
	ck_assert_uint_eq(hr.n, 3);	/* pids 2, 3 and 5; 4 was an up */
	timefmt_iso_parse("2026-11-22T03:00:04.000000Z", ISO_LEN, &since);
	history_restarts_init(&hr, &since);
	ck_assert_int_eq(history_read(tmpdir, collect, &hr), 0);
	ck_assert_uint_eq(hr.n, 2);
	unlink(h1path);
	unlink(hpath);
	history_restarts_init(&hr, &since);
	ck_assert_int_eq(history_read(tmpdir, collect, &hr), 0);
	ck_assert_uint_eq(hr.n, 0);
}
END_TEST

/* runtime=: milliseconds; refused when negative, not a number, or longer
 * than the record's time since 1970. */
START_TEST(test_runtime)
{
	static const char *bad[] = {
		"-1.000", "-0.5", "nan", "inf", "1e9", "0x10", "", ".5", "5.",
		"5.5x", " 5", "5 ", "+5", "1.0000", "99999999999999999999",
		"1800000000.000",
	};
	static const struct { const char *v; long long ms; } good[] = {
		{ "0", 0 }, { "0.000", 0 }, { "345.876", 345876 },
		{ "7.5", 7500 }, { "7.51", 7510 },
		{ "1000000000", 1000000000000LL },
	};
	struct history_rec r;
	char line[256];
	int64_t ms;
	size_t i;

	ck_assert_int_eq(history_parse("2026-11-22T03:14:15.123456Z exit "
	    "pid=1 code=0", 44, &r), 0);
	ck_assert_int_eq(history_runtime(&r, &ms), 1);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(line, sizeof line, "2026-11-22T03:14:15.123456Z exit "
		    "pid=1 runtime=%s", bad[i]);
		if (history_parse(line, strlen(line), &r) == -1)
			continue;	/* refused already */
		errno = 0;
		if (history_runtime(&r, &ms) != -1)
			ck_abort_msg("accepted runtime \"%s\"", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
	}
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(line, sizeof line, "2026-11-22T03:14:15.123456Z exit "
		    "pid=1 runtime=%s", good[i].v);
		ck_assert_int_eq(history_parse(line, strlen(line), &r), 0);
		ck_assert_int_eq(history_runtime(&r, &ms), 0);
		ck_assert_int_eq(ms, good[i].ms);
	}
}
END_TEST

/* A run's end, as supervise records it. */
START_TEST(test_end_kv)
{
	char kv[128];

	history_end_kv(kv, sizeof kv, 42, -1, 1234);
	ck_assert_str_eq(kv, "pid=42 status=unknown runtime=1.234");
	history_end_kv(kv, sizeof kv, 42, 3 << 8, 5);
	ck_assert_str_eq(kv, "pid=42 code=3 runtime=0.005");
	history_end_kv(kv, sizeof kv, 42, SIGKILL, 345876);
	ck_assert_str_eq(kv, "pid=42 signal=KILL runtime=345.876");
	history_end_kv(kv, sizeof kv, 42, 0, 0);
	ck_assert_str_eq(kv, "pid=42 code=0 runtime=0.000");
	ck_assert_int_gt(history_end_kv(kv, 8, 42, 0, 0), 8);
}
END_TEST

static int
rec(struct history *h, const char *event, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = history_vrecord(h, event, fmt, ap);
	va_end(ap);
	return r;
}

/* A stamped record appended, with or without fields. */
START_TEST(test_vrecord)
{
	struct history h;
	struct history_rec r;
	char buf[512];
	ssize_t n;
	char *nl;

	ck_assert_int_eq(history_open(&h, tmpdir, 0), 0);
	ck_assert_int_eq(rec(&h, "up", NULL), 0);
	ck_assert_int_eq(rec(&h, "start", "pid=%d", 7), 0);
	history_close(&h);
	n = fd_read_file(hpath, buf, sizeof buf - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	nl = strchr(buf, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(history_parse(buf, (size_t)(nl - buf), &r), 0);
	ck_assert_str_eq(r.event, "up");
	ck_assert_int_eq(r.nfields, 0);
	ck_assert_int_eq(history_parse(nl + 1, strlen(nl + 1) - 1, &r), 0);
	ck_assert_str_eq(r.event, "start");
	ck_assert_str_eq(history_get(&r, "pid"), "7");
}
END_TEST

static int
q(struct history *h, const char *event, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = history_vqueue(h, event, fmt, ap);
	va_end(ap);
	return r;
}

/* h writes to one end of a SOCK_SEQPACKET pair, so that every write(2)
 * is one message at the other end, *peer. */
static void
seqpacket(struct history *h, int *peer)
{
	int sv[2];

	memset(h, 0, sizeof *h);
	ck_assert_int_eq(history_open(h, tmpdir, 0), 0);
	history_close(h);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	h->fd = sv[0];
	h->size = 0;
	*peer = sv[1];
}

/* The next message at fd, NUL-terminated, its length; -1 if none. */
static ssize_t
message(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);

	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Queued records wait for the flush, which appends them in order. */
START_TEST(test_queue_order)
{
	struct history h;
	char buf[2048], *a, *b, *c;

	memset(&h, 0, sizeof h);
	ck_assert_int_eq(history_open(&h, tmpdir, 0), 0);
	ck_assert_int_eq(q(&h, "up", NULL), 0);
	ck_assert_int_eq(q(&h, "start", "pid=%d", 7), 0);
	ck_assert_int_eq(q(&h, "exit", "pid=%d code=%d", 7, 0), 0);
	ck_assert_int_eq(fsize(hpath), 0);
	ck_assert_int_eq(history_flush(&h), 0);
	ck_assert_uint_eq(h.npend, 0);
	ck_assert_int_eq(fd_read_file(hpath, buf, sizeof buf - 1), fsize(hpath));
	buf[fsize(hpath)] = '\0';
	a = strstr(buf, "Z up\n");
	b = strstr(buf, "Z start pid=7\n");
	c = strstr(buf, "Z exit pid=7 code=0\n");
	ck_assert(a == buf + 26 && b != NULL && c != NULL);
	ck_assert(a < b && b < c);
	ck_assert_str_eq(c, "Z exit pid=7 code=0\n");
	ck_assert_int_eq(h.size, fsize(hpath));
	/* Nothing queued: nothing written. */
	ck_assert_int_eq(history_flush(&h), 0);
	ck_assert_int_eq(h.size, fsize(hpath));
	history_close(&h);
}
END_TEST

/* One write per flush, whatever is queued; none for an empty queue. */
START_TEST(test_flush_one_write)
{
	struct history h;
	char buf[4096];
	int peer;

	seqpacket(&h, &peer);
	ck_assert_int_eq(history_flush(&h), 0);
	ck_assert_int_eq(message(peer, buf, sizeof buf), -1);
	ck_assert_int_eq(errno, EAGAIN);
	ck_assert_int_eq(q(&h, "up", NULL), 0);
	ck_assert_int_eq(q(&h, "start", "pid=%d", 8), 0);
	ck_assert_int_eq(q(&h, "ready", "pid=%d via=fd", 8), 0);
	ck_assert_int_eq(message(peer, buf, sizeof buf), -1);	/* queued */
	ck_assert_int_eq(history_flush(&h), 0);
	ck_assert_int_eq(message(peer, buf, sizeof buf), (ssize_t)h.size);
	ck_assert_ptr_nonnull(strstr(buf, "Z up\n"));
	ck_assert_ptr_nonnull(strstr(buf, "Z start pid=8\n"));
	ck_assert_ptr_nonnull(strstr(buf, "Z ready pid=8 via=fd\n"));
	ck_assert_int_eq(message(peer, buf, sizeof buf), -1);	/* just one */
	ck_assert_int_eq(errno, EAGAIN);
	close(peer);
	history_close(&h);
}
END_TEST

/* A record that would overflow the queue flushes it first, in one write;
 * it waits for the next flush itself. */
START_TEST(test_queue_full)
{
	struct history h;
	char buf[4096];
	size_t n, k, i;
	int peer;

	seqpacket(&h, &peer);
	ck_assert_int_eq(q(&h, "restart", "delay=%d", 1000), 0);
	n = h.npend;		/* every record below this long */
	ck_assert_uint_gt(n, 20);
	k = sizeof h.pend / n;	/* as many fit */
	for (i = 1; i < k; i++)
		ck_assert_int_eq(q(&h, "restart", "delay=%d", 2000), 0);
	ck_assert_uint_eq(h.npend, k * n);
	ck_assert_int_eq(message(peer, buf, sizeof buf), -1);
	ck_assert_int_eq(q(&h, "restart", "delay=%d", 3000), 0);
	ck_assert_uint_eq(h.npend, n);
	ck_assert_int_eq(message(peer, buf, sizeof buf), (ssize_t)(k * n));
	ck_assert_ptr_nonnull(strstr(buf, "Z restart delay=1000\n"));
	ck_assert_ptr_null(strstr(buf, "delay=3000"));
	ck_assert_int_eq(message(peer, buf, sizeof buf), -1);
	ck_assert_int_eq(history_flush(&h), 0);
	ck_assert_int_eq(message(peer, buf, sizeof buf), (ssize_t)n);
	ck_assert_ptr_nonnull(strstr(buf, "Z restart delay=3000\n"));
	close(peer);
	history_close(&h);
}
END_TEST

/* A flush that fails: -1, the queue emptied; a full queue that cannot be
 * flushed drops its records and keeps the new one. */
START_TEST(test_flush_fails)
{
	struct history h;
	size_t n, i;
	int bad;

	memset(&h, 0, sizeof h);
	ck_assert_int_eq(history_open(&h, tmpdir, 0), 0);
	history_close(&h);
	bad = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(bad, 0);
	h.fd = bad;
	ck_assert_int_eq(q(&h, "up", NULL), 0);
	errno = 0;
	ck_assert_int_eq(history_flush(&h), -1);
	ck_assert_int_eq(errno, EBADF);
	ck_assert_uint_eq(h.npend, 0);
	ck_assert_int_eq(q(&h, "restart", "delay=%d", 1000), 0);
	n = h.npend;
	for (i = 1; i < sizeof h.pend / n; i++)
		ck_assert_int_eq(q(&h, "restart", "delay=%d", 1000), 0);
	ck_assert_int_eq(q(&h, "restart", "delay=%d", 4000), -1);
	ck_assert_uint_eq(h.npend, n);
	ck_assert_int_eq(memcmp(h.pend + n - 11, "delay=4000\n", 11), 0);
	close(bad);
	h.fd = -1;
}
END_TEST

/* history_open prepares all of h: its queue starts empty whatever the
 * struct held before (its callers need not zero it first). */
START_TEST(test_open_empties_queue)
{
	struct history h;

	memset(&h, 0x5a, sizeof h);
	ck_assert_int_eq(history_open(&h, tmpdir, 0), 0);
	ck_assert_msg(h.npend == 0, "history_open left npend at %zu",
	    h.npend);
	history_close(&h);
}
END_TEST

static Suite *
history_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("history");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_format);
	tcase_add_test(tc, test_append_rotate);
	tcase_add_test(tc, test_size_across_reopen);
	tcase_add_test(tc, test_bound);
	tcase_add_test(tc, test_parse_design);
	tcase_add_test(tc, test_parse_more);
	tcase_add_test(tc, test_parse_reject);
	tcase_add_test(tc, test_read_restarts);
	tcase_add_test(tc, test_runtime);
	tcase_add_test(tc, test_end_kv);
	tcase_add_test(tc, test_vrecord);
	tcase_add_test(tc, test_queue_order);
	tcase_add_test(tc, test_flush_one_write);
	tcase_add_test(tc, test_queue_full);
	tcase_add_test(tc, test_flush_fails);
	tcase_add_test(tc, test_open_empties_queue);
	suite_add_tcase(s, tc);
	return s;
}


int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(history_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
