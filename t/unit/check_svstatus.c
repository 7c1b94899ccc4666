/* check_svstatus: the status record byte by byte, foreign records, and
 * the status, stat and pid files. */
#include <sys/stat.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "svstatus.h"
#include "timefmt.h"

static char tmpdir[] = "/tmp/check_svstatus.XXXXXX";

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
teardown(void)
{
	static const char *names[] = { "status", "stat", "pid", "status.new",
	    "stat.new", "pid.new" };
	char p[300];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/stat", tmpdir);	/* test_write_cached */
	rmdir(p);
	rmdir(tmpdir);
}

/* A record with every field set to something distinct. */
static void
full(struct svstatus *st)
{
	memset(st, 0, sizeof *st);
	st->stamp.tv_sec = 1795317255;
	st->stamp.tv_nsec = 123456789;
	st->pid = 0x01020304;
	st->paused = 1;
	st->want = 'u';
	st->gotterm = 1;
	st->state = SV_FINISH;
	st->version = SVSTATUS_VERSION;
	st->flags = SVF_READY | SVF_WAITING | SVF_EXITED | SVF_NORMALLYUP |
	    SVF_CONFERR;
	st->runpid = 0x0a0b0c0d;
	st->wstatus = 0x00000f00;
	st->readystamp.tv_sec = 1795317256;
	st->readystamp.tv_nsec = 301002000;
	st->shortruns = 7;
	st->due.tv_sec = 1795317300;
	st->due.tv_nsec = 5;
	st->starts = 0xdeadbeef;
	st->checkfailures = 2;
}

static void
assert_same(const struct svstatus *a, const struct svstatus *b)
{
	ck_assert_int_eq(a->stamp.tv_sec, b->stamp.tv_sec);
	ck_assert_int_eq(a->stamp.tv_nsec, b->stamp.tv_nsec);
	ck_assert_uint_eq(a->pid, b->pid);
	ck_assert_int_eq(a->paused, b->paused);
	ck_assert_int_eq(a->want, b->want);
	ck_assert_int_eq(a->gotterm, b->gotterm);
	ck_assert_int_eq(a->state, b->state);
	ck_assert_int_eq(a->version, b->version);
	ck_assert_uint_eq(a->flags, b->flags);
	ck_assert_uint_eq(a->runpid, b->runpid);
	ck_assert_uint_eq(a->wstatus, b->wstatus);
	ck_assert_int_eq(a->readystamp.tv_sec, b->readystamp.tv_sec);
	ck_assert_int_eq(a->readystamp.tv_nsec, b->readystamp.tv_nsec);
	ck_assert_uint_eq(a->shortruns, b->shortruns);
	ck_assert_int_eq(a->due.tv_sec, b->due.tv_sec);
	ck_assert_int_eq(a->due.tv_nsec, b->due.tv_nsec);
	ck_assert_uint_eq(a->starts, b->starts);
	ck_assert_uint_eq(a->checkfailures, b->checkfailures);
}

START_TEST(test_roundtrip)
{
	unsigned char b[SVSTATUS_LEN];
	struct svstatus in, out;
	unsigned fl;

	full(&in);
	svstatus_pack(b, &in);
	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &out), 0);
	assert_same(&in, &out);
	/* Each flag on its own survives. */
	for (fl = 1; fl <= 0x80; fl <<= 1) {
		in.flags = fl;
		if (!(fl & SVF_READY))
			in.readystamp.tv_sec = in.readystamp.tv_nsec = 0;
		if (!(fl & SVF_WAITING))
			in.due.tv_sec = in.due.tv_nsec = 0;
		svstatus_pack(b, &in);
		ck_assert_int_eq(svstatus_unpack(b, sizeof b, &out), 0);
		assert_same(&in, &out);
		full(&in);
	}
	/* Down, want down, nothing set. */
	memset(&in, 0, sizeof in);
	in.want = 'd';
	in.version = SVSTATUS_VERSION;
	svstatus_pack(b, &in);
	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &out), 0);
	assert_same(&in, &out);
}
END_TEST

START_TEST(test_layout)
{
	static const unsigned char want[SVSTATUS_LEN] = {
		0x40, 0, 0, 0, 0x6b, 0x02, 0x5e, 0x11,	/* TAI64 */
		0x07, 0x5b, 0xcd, 0x15,			/* nanoseconds */
		0x04, 0x03, 0x02, 0x01,			/* pid LE */
		1, 'u', 1, 2,				/* paused want term state */
		1, 0xe9, 0, 2,				/* version flags x checks */
		0x0d, 0x0c, 0x0b, 0x0a,			/* runpid */
		0x00, 0x0f, 0, 0,			/* wstatus */
		0x40, 0, 0, 0, 0x6b, 0x02, 0x5e, 0x12,	/* ready */
		0x11, 0xf0, 0xed, 0x10,
		7, 0, 0, 0,				/* shortruns */
		0x40, 0, 0, 0, 0x6b, 0x02, 0x5e, 0x3e,	/* due */
		0, 0, 0, 5,
		0xef, 0xbe, 0xad, 0xde,			/* starts */
	};
	unsigned char b[SVSTATUS_LEN];
	struct svstatus st;
	int i;

	full(&st);
	memset(b, 0xaa, sizeof b);
	svstatus_pack(b, &st);
	for (i = 0; i < SVSTATUS_LEN; i++)
		if (b[i] != want[i])
			ck_abort_msg("byte %d: %#x, want %#x", i, b[i], want[i]);
	/* Byte 17 is 'u' or 'd', nothing else. */
	st.want = 'd';
	svstatus_pack(b, &st);
	ck_assert_int_eq(b[17], 'd');
	st.want = 0;
	st.flags = SVF_ONCE;
	svstatus_pack(b, &st);
	ck_assert_int_eq(b[17], 'd');
	ck_assert_int_eq(b[21], SVF_ONCE);
	/* Stamps without their flag are not written. */
	ck_assert_int_eq(b[32], 0);
	ck_assert_int_eq(b[48], 0);
	st.state = SV_RUN;
	st.paused = 0;
	st.gotterm = 0;
	svstatus_pack(b, &st);
	ck_assert_int_eq(b[16], 0);
	ck_assert_int_eq(b[18], 0);
	ck_assert_int_eq(b[19], 1);
}
END_TEST

/* daemontools' 18 bytes, as observed: up, pid 7142, want up. */
START_TEST(test_unpack_daemontools)
{
	unsigned char b[18] = { 0x40, 0, 0, 0, 0x6b, 0x02, 0x5e, 0xa4, 0x2f,
	    0x5b, 0xb5, 0xec, 0xe6, 0x1b, 0, 0, 0, 'u' };
	struct svstatus st;

	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &st), 0);
	ck_assert_int_eq(st.stamp.tv_sec, 1795317402);
	ck_assert_int_eq(st.stamp.tv_nsec, 0x2f5bb5ec);
	ck_assert_uint_eq(st.pid, 7142);
	ck_assert_int_eq(st.paused, 0);
	ck_assert_int_eq(st.want, 'u');
	ck_assert_int_eq(st.state, SV_RUN);
	ck_assert_uint_eq(st.runpid, 7142);
	ck_assert_int_eq(st.version, 0);
	ck_assert_uint_eq(st.flags, 0);
	/* After svc -o: want byte 0. */
	b[17] = 0;
	b[16] = 1;
	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &st), 0);
	ck_assert_uint_eq(st.flags, SVF_ONCE);
	ck_assert_int_eq(st.want, 'd');
	ck_assert_int_eq(st.paused, 1);
	/* Down. */
	b[12] = b[13] = 0;
	b[17] = 'd';
	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &st), 0);
	ck_assert_int_eq(st.state, SV_DOWN);
	ck_assert_uint_eq(st.pid, 0);
	ck_assert_uint_eq(st.runpid, 0);
	ck_assert_uint_eq(st.flags, 0);
}
END_TEST

/* runit's 20 bytes, as observed in finish state: pid 7886, want down. */
START_TEST(test_unpack_runit)
{
	unsigned char b[40] = { 0x40, 0, 0, 0, 0x6b, 0x02, 0x5e, 0xa4, 0, 0,
	    0, 0, 0xce, 0x1e, 0, 0, 0, 'd', 0, 2 };
	struct svstatus st;

	ck_assert_int_eq(svstatus_unpack(b, 20, &st), 0);
	ck_assert_uint_eq(st.pid, 7886);
	ck_assert_int_eq(st.want, 'd');
	ck_assert_int_eq(st.state, SV_FINISH);
	ck_assert_int_eq(st.gotterm, 0);
	ck_assert_int_eq(st.version, 0);
	ck_assert_uint_eq(st.runpid, 0);
	ck_assert_uint_eq(st.flags, 0);
	/* Run, got TERM, paused, want up; trailing bytes ignored. */
	b[16] = 1;
	b[17] = 'u';
	b[18] = 1;
	b[19] = 1;
	memset(b + 20, 0x55, 20);
	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &st), 0);
	ck_assert_int_eq(st.state, SV_RUN);
	ck_assert_int_eq(st.paused, 1);
	ck_assert_int_eq(st.gotterm, 1);
	ck_assert_int_eq(st.want, 'u');
	ck_assert_uint_eq(st.runpid, 7886);
	ck_assert_int_eq(st.version, 0);
	ck_assert_uint_eq(st.flags, 0);
	/* A state byte out of range is no runit record. */
	b[19] = 7;
	ck_assert_int_eq(svstatus_unpack(b, 20, &st), -1);
}
END_TEST

/* Records no supervisor writes are refused with EINVAL, one bad byte at a
 * time, in each of the three layouts. */
START_TEST(test_unpack_bad)
{
	static const struct {
		size_t		off;
		unsigned char	v;
		size_t		minlen;
	} bad[] = {
		{ 0, 0x00, 18 },	/* TAI64 label below 2^62 */
		{ 0, 0x41, 18 },
		{ 0, 0xff, 18 },
		{ 8, 0x3b, 18 },	/* nanoseconds 0x3b9aca00 = 10^9 */
		{ 8, 0xff, 18 },
		{ 16, 2, 18 },		/* paused */
		{ 16, 0xff, 18 },
		{ 17, 'x', 18 },	/* want */
		{ 17, 'U', 18 },
		{ 19, 3, 20 },		/* state */
		{ 19, 0xff, 20 },
		{ 17, 0, 20 },		/* want 0: daemontools' only */
		{ 32, 0x00, 64 },	/* ready stamp, SVF_READY set */
		{ 40, 0xff, 64 },
		{ 48, 0x17, 64 },	/* due stamp, SVF_WAITING set */
	};
	static const size_t lens[] = { 18, 20, SVSTATUS_LEN };
	unsigned char b[SVSTATUS_LEN];
	struct svstatus st;
	size_t i, j;

	for (j = 0; j < sizeof lens / sizeof lens[0]; j++) {
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			if (lens[j] < bad[i].minlen)
				continue;
			full(&st);
			st.flags |= SVF_READY | SVF_WAITING;
			svstatus_pack(b, &st);
			ck_assert_int_eq(svstatus_unpack(b, lens[j], &st), 0);
			b[bad[i].off] = bad[i].v;
			if (bad[i].off == 8)
				b[9] = 0x9a, b[10] = 0xca, b[11] = 0;
			errno = 0;
			ck_assert_msg(svstatus_unpack(b, lens[j], &st) == -1 &&
			    errno == EINVAL, "len %zu byte %zu = %u accepted",
			    lens[j], bad[i].off, bad[i].v);
		}
	}
	/* Random bytes (what svstat once printed as "up (pid 2599379594)
	 * 4762901157668840618 seconds"). */
	memset(b, 0xa5, sizeof b);
	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &st), -1);
	/* The largest valid nanoseconds. */
	full(&st);
	svstatus_pack(b, &st);
	b[8] = 0x3b, b[9] = 0x9a, b[10] = 0xc9, b[11] = 0xff;
	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &st), 0);
	ck_assert_int_eq(st.stamp.tv_nsec, 999999999);
}
END_TEST

START_TEST(test_unpack_short)
{
	unsigned char b[SVSTATUS_LEN];
	struct svstatus st;
	size_t n;

	memset(b, 0, sizeof b);
	for (n = 0; n < 18; n++) {
		errno = 0;
		ck_assert_int_eq(svstatus_unpack(b, n, &st), -1);
		ck_assert_int_eq(errno, EINVAL);
	}
	/* A full-length record of version 0 is a foreign one. */
	full(&st);
	svstatus_pack(b, &st);
	b[20] = 0;
	ck_assert_int_eq(svstatus_unpack(b, sizeof b, &st), 0);
	ck_assert_int_eq(st.version, 0);
	ck_assert_uint_eq(st.flags, 0);
	ck_assert_uint_eq(st.starts, 0);
}
END_TEST

static void
assert_stat(int state, int paused, int gotterm, int want, unsigned flags,
    const char *text)
{
	struct svstatus st;
	char buf[128];
	size_t n;

	memset(&st, 0, sizeof st);
	st.state = state;
	st.paused = paused;
	st.gotterm = gotterm;
	st.want = (char)want;
	st.flags = flags;
	n = svstatus_stat_text(buf, sizeof buf, &st);
	ck_assert_uint_eq(n, strlen(text));
	ck_assert_str_eq(buf, text);
}

START_TEST(test_stat_text)
{
	char buf[8];
	struct svstatus st;

	assert_stat(SV_RUN, 0, 0, 'u', 0, "run\n");
	assert_stat(SV_DOWN, 0, 0, 'd', 0, "down\n");
	assert_stat(SV_DOWN, 0, 0, 'u', 0, "down\n");
	assert_stat(SV_FINISH, 0, 0, 'u', 0, "finish\n");
	assert_stat(SV_RUN, 1, 1, 'd', 0, "run, paused, got TERM, want down\n");
	assert_stat(SV_RUN, 0, 0, 'd', 0, "run, want down\n");
	assert_stat(SV_RUN, 1, 0, 'u', 0, "run, paused\n");
	assert_stat(SV_RUN, 0, 1, 'u', 0, "run, got TERM\n");
	assert_stat(SV_FINISH, 0, 0, 'd', SVF_EXIT, "finish, want exit\n");
	assert_stat(SV_RUN, 0, 1, 'd', SVF_EXIT, "run, got TERM, want exit\n");
	assert_stat(SV_FINISH, 0, 0, 'd', 0, "finish, want down\n");
	/* Down never wants anything. */
	assert_stat(SV_DOWN, 0, 0, 'd', SVF_EXIT, "down\n");
	assert_stat(SV_DOWN, 0, 0, 'd', SVF_ONCE, "down\n");
	assert_stat(SV_DOWN, 1, 0, 'd', 0, "down, paused\n");
	/* Cut to the buffer, NUL-terminated. */
	memset(&st, 0, sizeof st);
	st.state = SV_FINISH;
	st.want = 'd';
	ck_assert_uint_eq(svstatus_stat_text(buf, sizeof buf, &st), 7);
	ck_assert_str_eq(buf, "finish,");
}
END_TEST

static size_t
readf(const char *name, char *buf, size_t len)
{
	char p[300];
	ssize_t n;

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	n = fd_read_file(p, buf, len - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	return (size_t)n;
}

static int
exists(const char *name)
{
	char p[300];
	struct stat sb;

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	return lstat(p, &sb) == 0;
}

START_TEST(test_write)
{
	unsigned char rec[SVSTATUS_LEN];
	struct svstatus st, back;
	char buf[256];

	full(&st);
	st.state = SV_RUN;
	st.gotterm = 0;
	st.pid = 4242;
	st.want = 'd';
	ck_assert_int_eq(svstatus_write(tmpdir, &st), 0);
	readf("stat", buf, sizeof buf);
	ck_assert_str_eq(buf, "run, paused, want down\n");
	readf("pid", buf, sizeof buf);
	ck_assert_str_eq(buf, "4242\n");
	ck_assert_uint_eq(readf("status", buf, sizeof buf), SVSTATUS_LEN);
	svstatus_pack(rec, &st);
	ck_assert(memcmp(buf, rec, SVSTATUS_LEN) == 0);
	ck_assert(!exists("status.new") && !exists("stat.new") &&
	    !exists("pid.new"));
	ck_assert_int_eq(svstatus_read(tmpdir, &back), 0);
	assert_same(&st, &back);
	/* Down: the pid file is empty. */
	memset(&st, 0, sizeof st);
	st.want = 'd';
	st.version = SVSTATUS_VERSION;
	ck_assert_int_eq(svstatus_write(tmpdir, &st), 0);
	readf("stat", buf, sizeof buf);
	ck_assert_str_eq(buf, "down\n");
	ck_assert_uint_eq(readf("pid", buf, sizeof buf), 0);
	ck_assert_int_eq(svstatus_read(tmpdir, &back), 0);
	assert_same(&st, &back);
}
END_TEST

/* The inode of tmpdir/name: a replaced file gets a new one. */
static ino_t
inode(const char *name)
{
	struct stat sb;
	char p[300];

	snprintf(p, sizeof p, "%s/%s", tmpdir, name);
	ck_assert_int_eq(stat(p, &sb), 0);
	return sb.st_ino;
}

START_TEST(test_write_cached)
{
	struct svstatus_cache c;
	struct svstatus st, back;
	ino_t ipid, istat, istatus;
	char buf[256], p[300];

	memset(&c, 0, sizeof c);
	full(&st);
	st.state = SV_RUN;
	st.gotterm = 0;
	st.pid = 4242;
	/* First write: all three. */
	ck_assert_int_eq(svstatus_write_cached(tmpdir, &st, &c), 0);
	ck_assert_uint_eq(c.written, 3);
	readf("pid", buf, sizeof buf);
	ck_assert_str_eq(buf, "4242\n");
	ipid = inode("pid");
	istat = inode("stat");
	istatus = inode("status");
	/* The same again: nothing replaced. */
	ck_assert_int_eq(svstatus_write_cached(tmpdir, &st, &c), 0);
	ck_assert_uint_eq(c.written, 3);
	ck_assert(inode("pid") == ipid && inode("stat") == istat &&
	    inode("status") == istatus);
	/* svc -t: got TERM changes stat and status, not pid. */
	st.gotterm = 1;
	ck_assert_int_eq(svstatus_write_cached(tmpdir, &st, &c), 0);
	ck_assert_uint_eq(c.written, 5);
	ck_assert(inode("pid") == ipid);
	ck_assert(inode("stat") != istat && inode("status") != istatus);
	readf("stat", buf, sizeof buf);
	ck_assert_str_eq(buf, "run, paused, got TERM\n");
	ck_assert_int_eq(svstatus_read(tmpdir, &back), 0);
	assert_same(&st, &back);
	/* Only the stamp moves: status alone. */
	istat = inode("stat");
	st.stamp.tv_nsec++;
	ck_assert_int_eq(svstatus_write_cached(tmpdir, &st, &c), 0);
	ck_assert_uint_eq(c.written, 6);
	ck_assert(inode("pid") == ipid && inode("stat") == istat);
	/* A new pid: pid and status. */
	st.pid = 4243;
	ck_assert_int_eq(svstatus_write_cached(tmpdir, &st, &c), 0);
	ck_assert_uint_eq(c.written, 8);
	readf("pid", buf, sizeof buf);
	ck_assert_str_eq(buf, "4243\n");
	/* A failed write is forgotten: a directory in stat's place makes
	 * the rename fail; once it is gone the same bytes are written. */
	snprintf(p, sizeof p, "%s/stat", tmpdir);
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	st.gotterm = 0;
	ck_assert_int_eq(svstatus_write_cached(tmpdir, &st, &c), -1);
	ck_assert(!(c.have & SVSTATUS_C_STAT));
	ck_assert(c.have & SVSTATUS_C_STATUS);
	ck_assert_int_eq(rmdir(p), 0);
	ck_assert_int_eq(svstatus_write_cached(tmpdir, &st, &c), 0);
	readf("stat", buf, sizeof buf);
	ck_assert_str_eq(buf, "run, paused\n");
	ck_assert(c.have == (SVSTATUS_C_STAT | SVSTATUS_C_PID |
	    SVSTATUS_C_STATUS));
	/* Without a cache every call replaces all three. */
	ipid = inode("pid");
	ck_assert_int_eq(svstatus_write(tmpdir, &st), 0);
	ck_assert(inode("pid") != ipid);
}
END_TEST

START_TEST(test_read_foreign)
{
	unsigned char b[18] = { 0x40, 0, 0, 0, 0x6b, 0x02, 0x5e, 0xa4, 0, 0, 0,
	    0, 0xe6, 0x1b, 0, 0, 0, 'u' };
	struct svstatus st;
	char p[300];
	int fd;

	errno = 0;
	ck_assert_int_eq(svstatus_read(tmpdir, &st), -1);
	ck_assert_int_eq(errno, ENOENT);
	snprintf(p, sizeof p, "%s/status", tmpdir);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, b, sizeof b), (ssize_t)sizeof b);
	ck_assert_int_eq(svstatus_read(tmpdir, &st), 0);
	ck_assert_uint_eq(st.pid, 7142);
	ck_assert_int_eq(st.state, SV_RUN);
	ck_assert_int_eq(ftruncate(fd, 17), 0);
	errno = 0;
	ck_assert_int_eq(svstatus_read(tmpdir, &st), -1);
	ck_assert_int_eq(errno, EINVAL);
	close(fd);
	snprintf(p, sizeof p, "%s/nodir", tmpdir);
	ck_assert_int_eq(svstatus_write(p, &st), -1);
}
END_TEST

static Suite *
svstatus_suite(void)
{
	Suite *s;
	TCase *tc;

	s = suite_create("svstatus");
	tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_unpack_daemontools);
	tcase_add_test(tc, test_unpack_runit);
	tcase_add_test(tc, test_unpack_short);
	tcase_add_test(tc, test_unpack_bad);
	tcase_add_test(tc, test_stat_text);
	tcase_add_test(tc, test_write);
	tcase_add_test(tc, test_write_cached);
	tcase_add_test(tc, test_read_foreign);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int nf;

	sr = srunner_create(svstatus_suite());
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
