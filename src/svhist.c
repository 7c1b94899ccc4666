/*
 * svhist [-n N] [-s] [-r] DIR...: read the history of services.
 *
 * Reads DIR/supervise/history.1 then DIR/supervise/history (one old
 * generation and the current file, oldest first), or DIR itself when it is
 * a history file. Without -s, prints the last N records (all by default),
 * several services merged by time with the directory in front, times in
 * local time (-r: as stored). With -s, prints one line of statistics per
 * directory: starts, exits, failed runs (a non-zero exit code, or a signal
 * other than the TERM or KILL tend itself sends), mean and longest runtime,
 * and the time of the last start. Records with an impossible time (before
 * 1970, not the stamp supervise writes) are skipped like torn lines; an
 * impossible runtime (negative, not a number) is counted, never averaged.
 *
 * Files are read once, whole records at a time; nothing is written.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "history.h"
#include "num.h"
#include "path.h"
#include "timefmt.h"
#include "version.h"

#define USAGE	"svhist [-n N] [-s] [-r] DIR..."

struct rec {
	struct timespec	 ts;
	size_t		 dir;		/* index into argv */
	char		*line;		/* without its newline */
};

struct recs {
	struct rec	*r;
	size_t		 n, cap;
};

struct stats {
	unsigned long	 starts, exits, failed, adopts, spawnfails;
	double		 runtime, longest;
	unsigned long	 timed, badtimes;
	struct timespec	 laststart;
	int		 started;
};

static int
add(struct recs *rs, size_t dir, const char *line, size_t len)
{
	struct history_rec hr;
	struct rec *r;
	size_t cap;

	if (history_parse(line, len, &hr) == -1)
		return 0;	/* a torn or foreign line: skip it */
	if (rs->n == rs->cap) {
		cap = rs->cap ? rs->cap * 2 : 256;
		if ((r = realloc(rs->r, cap * sizeof *r)) == NULL)
			return -1;
		rs->r = r;
		rs->cap = cap;
	}
	r = &rs->r[rs->n];
	if ((r->line = malloc(len + 1)) == NULL)
		return -1;
	memcpy(r->line, line, len);
	r->line[len] = '\0';
	r->ts = hr.ts;
	r->dir = dir;
	rs->n++;
	return 0;
}

/* Append every record of path to rs. 0, or -1 with errno (ENOENT is not an
 * error for history.1). */
static int
load(struct recs *rs, size_t dir, const char *path)
{
	char buf[HISTORY_MAX_LINE * 2];
	FILE *f;
	size_t len;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(buf, sizeof buf, f) != NULL) {
		len = strlen(buf);
		if (len > 0 && buf[len - 1] == '\n')
			len--;
		else if (!feof(f)) {
			/* Longer than any record: skip the rest of it. */
			int c;

			while ((c = getc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (add(rs, dir, buf, len) == -1) {
			fclose(f);
			return -1;
		}
	}
	if (ferror(f)) {
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	return 0;
}

/* The records of one DIR: its history.1 and history, or DIR as a file. */
static int
load_dir(struct recs *rs, size_t dir, const char *arg)
{
	char path[4096];
	struct stat sb;

	if (stat(arg, &sb) == 0 && S_ISREG(sb.st_mode))
		return load(rs, dir, arg);
	if (path_join(path, sizeof path, arg, "supervise/history.1") == -1)
		return -1;
	if (load(rs, dir, path) == -1 && errno != ENOENT)
		return -1;
	if (path_join(path, sizeof path, arg, "supervise/history") == -1)
		return -1;
	return load(rs, dir, path);
}

static int
cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	if (x->ts.tv_sec != y->ts.tv_sec)
		return x->ts.tv_sec < y->ts.tv_sec ? -1 : 1;
	if (x->ts.tv_nsec != y->ts.tv_nsec)
		return x->ts.tv_nsec < y->ts.tv_nsec ? -1 : 1;
	/* Same instant: keep file order (records of one dir are in order). */
	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* "2026-11-22 04:14:15.123456" in local time. */
static void
localstamp(char *out, size_t len, const struct timespec *ts)
{
	struct tm tm;
	time_t t = ts->tv_sec;
	size_t n;

	if (localtime_r(&t, &tm) == NULL ||
	    (n = strftime(out, len, "%Y-%m-%d %H:%M:%S", &tm)) == 0) {
		snprintf(out, len, "?");
		return;
	}
	snprintf(out + n, len - n, ".%06ld", ts->tv_nsec / 1000);
}

static void
print_rec(const struct rec *r, char **dirs, int ndirs, int raw)
{
	char stamp[64];

	if (ndirs > 1)
		printf("%s: ", dirs[r->dir]);
	if (raw) {
		printf("%s\n", r->line);
		return;
	}
	localstamp(stamp, sizeof stamp, &r->ts);
	printf("%s%s\n", stamp, r->line + ISO_LEN);
}

static void
count(struct stats *st, const struct rec *r)
{
	struct history_rec hr;
	const char *v;
	int64_t ms;
	int k;

	if (history_parse(r->line, strlen(r->line), &hr) == -1)
		return;
	if (strcmp(hr.event, "start") == 0) {
		st->starts++;
		st->laststart = hr.ts;
		st->started = 1;
	} else if (strcmp(hr.event, "adopt") == 0)
		st->adopts++;
	else if (strcmp(hr.event, "spawnfail") == 0 ||
	    strcmp(hr.event, "broken") == 0)
		st->spawnfails++;
	else if (strcmp(hr.event, "exit") == 0) {
		st->exits++;
		if ((v = history_get(&hr, "code")) != NULL && strcmp(v, "0") != 0)
			st->failed++;
		if ((v = history_get(&hr, "signal")) != NULL &&
		    strcmp(v, "TERM") != 0 && strcmp(v, "KILL") != 0)
			st->failed++;
		/* A runtime no supervise writes (negative, not a number,
		 * longer than the time since 1970) is counted, not averaged. */
		if ((k = history_runtime(&hr, &ms)) == 0) {
			double rt = (double)ms / 1000.0;

			st->runtime += rt;
			st->timed++;
			if (rt > st->longest)
				st->longest = rt;
		} else if (k == -1)
			st->badtimes++;
	}
}

static void
print_stats(const char *dir, const struct stats *st, int raw)
{
	char stamp[64];

	printf("%s: starts %lu, exits %lu, failed %lu", dir, st->starts,
	    st->exits, st->failed);
	if (st->spawnfails)
		printf(", could not start %lu", st->spawnfails);
	if (st->adopts)
		printf(", adopted %lu", st->adopts);
	if (st->timed)
		printf(", mean runtime %.3f s, longest %.3f s",
		    st->runtime / (double)st->timed, st->longest);
	if (st->badtimes)
		printf(", %lu impossible runtimes ignored", st->badtimes);
	if (st->started) {
		if (raw) {
			timefmt_iso(stamp, &st->laststart);
			stamp[ISO_LEN] = '\0';
		} else
			localstamp(stamp, sizeof stamp, &st->laststart);
		printf(", last start %s", stamp);
	}
	printf("\n");
}

int
main(int argc, char **argv)
{
	struct recs rs;
	struct stats *st;
	size_t i, first;
	int64_t n = -1;
	int c, stats = 0, raw = 0, failed = 0, ndirs;

	diag_init("svhist");
	while ((c = getopt(argc, argv, ":n:srhV")) != -1)
		switch (c) {
		case 'n':
			if (num_parse(optarg, 0, INT64_MAX, &n) == -1)
				die_usage_why(USAGE, "bad number for -n", 0);
			break;
		case 's':
			stats = 1;
			break;
		case 'r':
			raw = 1;
			break;
		case 'h':
			diag_help(USAGE);
		case 'V':
			diag_version("svhist");
		case ':':
			die_usage_why(USAGE, "missing argument for option",
			    optopt);
		default:
			die_usage_why(USAGE, "unknown option", optopt);
		}
	argv += optind;
	ndirs = argc - optind;
	if (ndirs < 1)
		die_usage_why(USAGE, "no directory given", 0);
	memset(&rs, 0, sizeof rs);
	for (i = 0; i < (size_t)ndirs; i++)
		if (load_dir(&rs, i, argv[i]) == -1) {
			if (errno == ENOMEM)
				die_sys(EXIT_TEMP, "unable to read %s", argv[i]);
			warn_sys("unable to read the history of %s", argv[i]);
			failed++;
		}
	if (rs.n > 0)
		qsort(rs.r, rs.n, sizeof *rs.r, cmp);
	if (stats) {
		if ((st = calloc((size_t)ndirs, sizeof *st)) == NULL)
			die_sys(EXIT_TEMP, "unable to allocate");
		for (i = 0; i < rs.n; i++)
			count(&st[rs.r[i].dir], &rs.r[i]);
		for (i = 0; i < (size_t)ndirs; i++)
			print_stats(argv[i], &st[i], raw);
		free(st);
	} else {
		first = n >= 0 && (uint64_t)n < rs.n ? rs.n - (size_t)n : 0;
		for (i = first; i < rs.n; i++)
			print_rec(&rs.r[i], argv, ndirs, raw);
	}
	for (i = 0; i < rs.n; i++)
		free(rs.r[i].line);
	free(rs.r);
	if (fflush(stdout) == EOF)
		die_sys(EXIT_TEMP, "unable to write the output");
	return failed > 99 ? 99 : failed;
}
