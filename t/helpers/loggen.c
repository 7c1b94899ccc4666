/*
 * loggen DIR LINES START STEP_US ROTATE [PAD [LONG_EVERY PIECE [NUL_EVERY]]]:
 * write a log directory as svlog would have, with known stamps: line i
 * (from 1) is stamped START (unix seconds) + (i - 1) * STEP_US
 * microseconds and reads "line <i> req-<hex id> <PAD x's>". Every
 * LONG_EVERY-th line is long (about 3.5 * PIECE bytes) and cut into
 * pieces of PIECE bytes, each after the first marked with '+'; every
 * NUL_EVERY-th line holds a NUL byte ("line <i> nul<NUL>after"). current
 * is rotated to @<time of its last line>.s before a piece would take it
 * past ROTATE bytes, so a long line may straddle two files. For svtail's
 * tests and benchmark. Exit 0, 100 on bad usage, 111 on a write error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct gen {
	const char	*dir;
	FILE		*cur;
	long long	 size, rotate;
	long long	 lastus;	/* stamp of the last piece written */
	long long	 lastname;	/* stamp of the last rotation */
};

static void
fail(const char *what)
{
	fprintf(stderr, "loggen: fatal: unable to %s: %s\n", what,
	    strerror(errno));
	exit(111);
}

static void
path(char *buf, size_t cap, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, cap, "%s/%s", dir, name) >= cap) {
		fprintf(stderr, "loggen: fatal: path too long\n");
		exit(100);
	}
}

static void
open_current(struct gen *g)
{
	char p[4096];

	path(p, sizeof p, g->dir, "current");
	if ((g->cur = fopen(p, "w")) == NULL)
		fail("create current");
	g->size = 0;
}

static void
rotate(struct gen *g)
{
	char p[4096], q[4096], name[64];
	struct tm tm;
	time_t t;
	long long us = g->lastus;

	if (us <= g->lastname)
		us = g->lastname + 1;
	g->lastname = us;
	t = (time_t)(us / 1000000);
	gmtime_r(&t, &tm);
	snprintf(name, sizeof name, "@%04d%02d%02dT%02d%02d%02d.%06lldZ.s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, us % 1000000);
	if (fclose(g->cur) == EOF)
		fail("write current");
	path(p, sizeof p, g->dir, "current");
	path(q, sizeof q, g->dir, name);
	if (rename(p, q) == -1)
		fail("rename current");
	open_current(g);
}

/* One piece: stamp, separator, text. */
static void
piece(struct gen *g, long long us, char sep, const char *text, size_t len)
{
	struct tm tm;
	time_t t = (time_t)(us / 1000000);

	if (g->size > 0 && g->size + 29 + (long long)len > g->rotate)
		rotate(g);
	gmtime_r(&t, &tm);
	fprintf(g->cur, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ%c",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, us % 1000000, sep);
	fwrite(text, 1, len, g->cur);
	putc('\n', g->cur);
	g->size += 29 + (long long)len;
	g->lastus = us;
}

int
main(int argc, char **argv)
{
	struct gen g;
	long long lines, start, step, i, us, pad = 0, longevery = 0;
	long long piecelen = 0, nulevery = 0;
	char *text;
	size_t len, cap, off, n;

	if (argc < 6) {
		fprintf(stderr, "usage: loggen DIR LINES START STEP_US ROTATE "
		    "[PAD [LONG_EVERY PIECE [NUL_EVERY]]]\n");
		return 100;
	}
	memset(&g, 0, sizeof g);
	g.dir = argv[1];
	lines = atoll(argv[2]);
	start = atoll(argv[3]);
	step = atoll(argv[4]);
	g.rotate = atoll(argv[5]);
	if (argc > 6)
		pad = atoll(argv[6]);
	if (argc > 8) {
		longevery = atoll(argv[7]);
		piecelen = atoll(argv[8]);
	}
	if (argc > 9)
		nulevery = atoll(argv[9]);
	if (pad < 0 || piecelen < 0 || (longevery > 0 && piecelen == 0))
		return 100;
	cap = (size_t)pad + 4 * (size_t)piecelen + 128;
	if ((text = malloc(cap)) == NULL)
		fail("allocate memory");
	g.lastname = -1;
	open_current(&g);
	for (i = 1; i <= lines; i++) {
		us = start * 1000000 + (i - 1) * step;
		len = (size_t)snprintf(text, cap, "line %lld req-%llx ", i,
		    (i * 2654435761LL) % 4294967296LL);
		if (nulevery > 0 && i % nulevery == 0) {
			len = (size_t)snprintf(text, cap, "line %lld nul", i);
			memcpy(text + len, "\0after", 6);
			len += 6;
		} else if (longevery > 0 && i % longevery == 0) {
			for (; len < 3 * (size_t)piecelen + (size_t)piecelen / 2;
			    len++)
				text[len] = "long"[len % 4];
		} else {
			memset(text + len, 'x', (size_t)pad);
			len += (size_t)pad;
		}
		if (longevery > 0 && len > (size_t)piecelen) {
			for (off = 0; off < len; off += n) {
				n = len - off;
				if (n > (size_t)piecelen)
					n = (size_t)piecelen;
				piece(&g, us, off == 0 ? ' ' : '+', text + off, n);
			}
		} else
			piece(&g, us, ' ', text, len);
	}
	if (fclose(g.cur) == EOF)
		fail("write current");
	free(text);
	return 0;
}
