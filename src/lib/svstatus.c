/* svstatus: pack, unpack, write and read the status record of one
 * supervise directory (status, stat and pid files); a writer that passes
 * a struct svstatus_cache replaces only the files whose bytes changed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "atomicfile.h"
#include "fdutil.h"
#include "path.h"
#include "svstatus.h"
#include "timefmt.h"

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

void
svstatus_pack(unsigned char *b, const struct svstatus *st)
{
	memset(b, 0, SVSTATUS_LEN);
	timefmt_tai64n_pack(b, &st->stamp);
	put32(b + 12, st->pid);
	b[16] = st->paused ? 1 : 0;
	b[17] = st->want == 'u' ? 'u' : 'd';
	b[18] = st->gotterm ? 1 : 0;
	b[19] = (unsigned char)st->state;
	b[20] = SVSTATUS_VERSION;
	b[21] = (unsigned char)st->flags;
	b[22] = (unsigned char)st->xflags;
	b[23] = (unsigned char)(st->checkfailures > 255 ? 255 :
	    st->checkfailures);
	put32(b + 24, st->runpid);
	put32(b + 28, st->wstatus);
	if (st->flags & SVF_READY)
		timefmt_tai64n_pack(b + 32, &st->readystamp);
	put32(b + 44, st->shortruns);
	if (st->flags & SVF_WAITING)
		timefmt_tai64n_pack(b + 48, &st->due);
	put32(b + 60, st->starts);
}

/* A TAI64N stamp any writer of the lineage could have made: djb's label
 * (2^62 and up, so the first byte is 0x40) and nanoseconds below 10^9. */
static int
stamp_ok(const unsigned char *b)
{
	uint32_t ns = (uint32_t)b[8] << 24 | (uint32_t)b[9] << 16 |
	    (uint32_t)b[10] << 8 | b[11];

	return b[0] == 0x40 && ns < 1000000000;
}

/* Could b be a record that tend, runit or daemontools wrote? */
static int
record_ok(const unsigned char *b, size_t len)
{
	if (!stamp_ok(b) || b[16] > 1)
		return 0;
	if (len < 20)	/* daemontools: want 0 is "once" */
		return b[17] == 'u' || b[17] == 'd' || b[17] == 0;
	if ((b[17] != 'u' && b[17] != 'd') || b[19] > SV_FINISH)
		return 0;
	if (len >= SVSTATUS_LEN && b[20] >= 1 &&
	    (((b[21] & SVF_READY) && !stamp_ok(b + 32)) ||
	    ((b[21] & SVF_WAITING) && !stamp_ok(b + 48))))
		return 0;
	return 1;
}

/* Decode a record of 18 (daemontools), 20 (runit) or SVSTATUS_LEN (tend)
 * bytes or more. Returns 0, or -1 with EINVAL for a record too short or
 * one no supervisor of the lineage writes (a bad TAI64N label or
 * nanoseconds, state above 2, want not u/d, paused above 1): svstat says
 * "bad format" rather than print nonsense. */
int
svstatus_unpack(const unsigned char *b, size_t len, struct svstatus *st)
{
	memset(st, 0, sizeof *st);
	if (len < 18 || !record_ok(b, len)) {
		errno = EINVAL;
		return -1;
	}
	timefmt_tai64n_unpack(b, &st->stamp);
	st->pid = get32(b + 12);
	st->paused = b[16] != 0;
	st->want = b[17] == 'u' ? 'u' : 'd';
	if (len >= 20) {
		st->gotterm = b[18] != 0;
		st->state = b[19];
	} else {
		/* daemontools: want 0 means "once"; no state byte. */
		st->state = st->pid ? SV_RUN : SV_DOWN;
		if (b[17] == 0)
			st->flags |= SVF_ONCE;
	}
	if (len >= SVSTATUS_LEN && b[20] >= 1) {
		st->version = b[20];
		st->flags = b[21];
		st->xflags = b[22];
		st->checkfailures = b[23];
		st->runpid = get32(b + 24);
		st->wstatus = get32(b + 28);
		if (st->flags & SVF_READY)
			timefmt_tai64n_unpack(b + 32, &st->readystamp);
		st->shortruns = get32(b + 44);
		if (st->flags & SVF_WAITING)
			timefmt_tai64n_unpack(b + 48, &st->due);
		st->starts = get32(b + 60);
	} else if (st->state != SV_DOWN)
		st->runpid = st->state == SV_RUN ? st->pid : 0;
	return 0;
}

/* runit's supervise/stat text, with its newline. */
size_t
svstatus_stat_text(char *buf, size_t len, const struct svstatus *st)
{
	static const char *names[] = { "down", "run", "finish" };
	int n;

	n = snprintf(buf, len, "%s%s%s%s\n", names[st->state],
	    st->paused ? ", paused" : "", st->gotterm ? ", got TERM" : "",
	    st->state == SV_DOWN ? "" : (st->flags & SVF_EXIT) ? ", want exit" :
	    st->want == 'd' ? ", want down" : "");
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* Replace sdir/name with buf (len bytes) unless c says it holds them
 * already; what was written is kept in c (slot of size max, its length in
 * *clen, flag bit). 0 written or skipped, -1 with errno. */
static int
replace(const char *sdir, const char *name, const void *buf, size_t len,
    struct svstatus_cache *c, unsigned bit, void *slot, size_t *clen)
{
	/* Only supervise writes, with its short relative sdir; a small
	 * buffer keeps its stack, and so its dirty memory, small. */
	char path[256];

	if (c != NULL && (c->have & bit) && *clen == len &&
	    memcmp(slot, buf, len) == 0)
		return 0;
	if (path_join(path, sizeof path, sdir, name) == -1 ||
	    atomicfile_write(path, buf, len, 0) == -1) {
		if (c != NULL)
			c->have &= ~bit;
		return -1;
	}
	if (c != NULL) {
		memcpy(slot, buf, len);
		*clen = len;
		c->have |= bit;
		c->written++;
	}
	return 0;
}

/* Replace sdir/status, sdir/stat and sdir/pid, each only if its bytes
 * differ from what c says was last written there (c NULL: all three).
 * Status first: it is the record readers wait on, and each rename wakes
 * those watching the directory. */
int
svstatus_write_cached(const char *sdir, const struct svstatus *st,
    struct svstatus_cache *c)
{
	unsigned char rec[SVSTATUS_LEN];
	char text[SVSTATUS_TEXT_MAX], pid[16];
	size_t n, reclen = SVSTATUS_LEN;
	int r = 0;

	svstatus_pack(rec, st);
	if (replace(sdir, "status", rec, sizeof rec, c, SVSTATUS_C_STATUS,
	    c != NULL ? c->rec : NULL, &reclen) == -1)
		r = -1;
	n = svstatus_stat_text(text, sizeof text, st);
	if (replace(sdir, "stat", text, n, c, SVSTATUS_C_STAT,
	    c != NULL ? c->stat : NULL, c != NULL ? &c->statlen : NULL) == -1)
		r = -1;
	n = st->pid ? (size_t)snprintf(pid, sizeof pid, "%u\n",
	    (unsigned)st->pid) : 0;
	if (replace(sdir, "pid", pid, n, c, SVSTATUS_C_PID,
	    c != NULL ? c->pid : NULL, c != NULL ? &c->pidlen : NULL) == -1)
		r = -1;
	return r;
}

/* Replace sdir/status, sdir/stat and sdir/pid, all three. */
int
svstatus_write(const char *sdir, const struct svstatus *st)
{
	return svstatus_write_cached(sdir, st, NULL);
}

/* Read sdir/status. -1 with errno (EINVAL for a short record). */
int
svstatus_read(const char *sdir, struct svstatus *st)
{
	unsigned char rec[SVSTATUS_LEN + 64];
	char path[4096];
	ssize_t n;

	if (path_join(path, sizeof path, sdir, "status") == -1)
		return -1;
	if ((n = fd_read_file(path, (char *)rec, sizeof rec)) == -1)
		return -1;
	return svstatus_unpack(rec, (size_t)n, st);
}
