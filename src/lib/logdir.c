/* logdir: naming, finding and trimming the rotated files of a log
 * directory. Owns nothing on disk but the @* names it deletes. */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "path.h"
#include "fdutil.h"
#include "logdir.h"
#include "timefmt.h"

/* "@20261122T031415.123456Z.s" (kind 's' or 'u') into out, which must
 * hold LOGDIR_NAMELEN + 1 bytes. Returns the length. */
size_t
logdir_name(char *out, const struct timespec *ts, char kind)
{
	out[0] = '@';
	timefmt_iso_compact(out + 1, ts);
	out[24] = '.';
	out[25] = kind;
	out[26] = '\0';
	return LOGDIR_NAMELEN;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Is name a rotated file: "@<compact ISO>.s|.u" (svlog) or "@<TAI64N>.s|.u"
 * (multilog, svlogd)? 0 with *ts and *kind set, -1 if not. */
int
logdir_name_parse(const char *name, struct timespec *ts, char *kind)
{
	unsigned char label[TAI64N_LEN];
	size_t len = strlen(name);
	int i, hi, lo;

	if (name[0] != '@')
		return -1;
	if (len == LOGDIR_NAMELEN && name[24] == '.' &&
	    (name[25] == 's' || name[25] == 'u') && name[9] == 'T' &&
	    name[23] == 'Z') {
		if (timefmt_iso_parse(name + 1, 23, ts) == -1)
			return -1;
		*kind = name[25];
		return 0;
	}
	if (len == 27 && name[25] == '.' && (name[26] == 's' ||
	    name[26] == 'u')) {
		for (i = 0; i < TAI64N_LEN; i++) {
			hi = hexval((unsigned char)name[1 + 2 * i]);
			lo = hexval((unsigned char)name[2 + 2 * i]);
			if (hi == -1 || lo == -1)
				return -1;
			label[i] = (unsigned char)(hi << 4 | lo);
		}
		timefmt_tai64n_unpack(label, ts);
		*kind = name[26];
		return 0;
	}
	return -1;
}


/* Order two rotated names by their stamps (then by name): oldest first. */
int
logdir_name_cmp(const char *a, const char *b)
{
	struct timespec ta, tb;
	char ka, kb;
	int c;

	if (logdir_name_parse(a, &ta, &ka) == 0 &&
	    logdir_name_parse(b, &tb, &kb) == 0 && (c = deadline_ts_cmp(&ta, &tb)) != 0)
		return c;
	return strcmp(a, b);
}

/* Make *ts later than *last (by 1 us at least) at microsecond precision,
 * the precision of the names, so a new name sorts after every older one. */
void
logdir_next_stamp(struct timespec *ts, const struct timespec *last)
{
	ts->tv_nsec -= ts->tv_nsec % 1000;
	if (deadline_ts_cmp(ts, last) > 0)
		return;
	*ts = *last;
	ts->tv_nsec -= ts->tv_nsec % 1000;
	ts->tv_nsec += 1000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* Count the rotated files in dir and find the oldest and the newest. */
int
logdir_scan(const char *dir, struct logdir_scan *sc)
{
	DIR *d;
	struct dirent *de;
	struct timespec ts;
	char kind;
	int e;

	memset(sc, 0, sizeof *sc);
	if ((d = opendir(dir)) == NULL)
		return -1;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) >= LOGDIR_NAMEMAX ||
		    logdir_name_parse(de->d_name, &ts, &kind) == -1)
			continue;
		if (sc->count == 0 || logdir_name_cmp(de->d_name,
		    sc->oldest) < 0) {
			strcpy(sc->oldest, de->d_name);
			sc->oldest_ts = ts;
		}
		if (sc->count == 0 || logdir_name_cmp(de->d_name,
		    sc->newest) > 0) {
			strcpy(sc->newest, de->d_name);
			sc->newest_ts = ts;
		}
		sc->count++;
		errno = 0;
	}
	e = errno;
	closedir(d);
	errno = e;
	return e != 0 ? -1 : 0;
}

/* Must the oldest rotated file go: more than keep files, or (maxage_ms
 * > 0) rotated more than maxage_ms before now? */
int
logdir_expired(const struct logdir_scan *sc, size_t keep, int64_t maxage_ms,
    const struct timespec *now)
{
	int64_t age;

	if (sc->count == 0)
		return 0;
	if (sc->count > keep)
		return 1;
	if (maxage_ms <= 0)
		return 0;
	age = ((int64_t)now->tv_sec - (int64_t)sc->oldest_ts.tv_sec) * 1000 +
	    (now->tv_nsec - sc->oldest_ts.tv_nsec) / 1000000;
	return age > maxage_ms;
}

/* Delete the oldest rotated files of dir while logdir_expired() says so.
 * Returns how many were deleted, -1 with errno on failure; *sc holds the
 * last scan (what is left). */
int
logdir_trim(const char *dir, size_t keep, int64_t maxage_ms,
    const struct timespec *now, struct logdir_scan *sc)
{
	char path[4096];
	int n = 0;

	for (;;) {
		if (logdir_scan(dir, sc) == -1)
			return -1;
		if (!logdir_expired(sc, keep, maxage_ms, now))
			return n;
		if (path_join(path, sizeof path, dir, sc->oldest) == -1)
			return -1;
		if (unlink(path) == -1 && errno != ENOENT)
			return -1;
		n++;
	}
}

/* The last len bytes (or fewer) of the file at path into buf; *whole is
 * set when that is the whole file. A gzip archive (a processor's output)
 * reads as empty. */
static ssize_t
tail_file(const char *path, char *buf, size_t len, int *whole)
{
	unsigned char magic[2];
	struct stat sb;
	off_t from;
	ssize_t r;
	size_t n = 0;
	int fd;

	if ((fd = fd_open_read(path)) == -1)
		return -1;
	if (fstat(fd, &sb) == -1) {
		fd_close(fd);
		return -1;
	}
	from = sb.st_size > (off_t)len ? sb.st_size - (off_t)len : 0;
	*whole = from == 0;
	if (pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f &&
	    magic[1] == 0x8b) {
		*whole = 1;
		fd_close(fd);
		return 0;
	}
	if (lseek(fd, from, SEEK_SET) == -1) {
		fd_close(fd);
		return -1;
	}
	while (n < len && (r = fd_read(fd, buf + n, len - n)) > 0)
		n += (size_t)r;
	fd_close(fd);
	return (ssize_t)n;
}

/* The last nlines lines of log directory dir (from current, and from the
 * newest rotated file when current holds fewer), in buf, oldest first,
 * at most len bytes: a line cut by the bound is left out. Returns the
 * byte count, or -1 with errno (ENOENT: no current). */
ssize_t
logdir_tail(const char *dir, size_t nlines, char *buf, size_t len)
{
	char path[4096];
	struct logdir_scan sc;
	ssize_t n, m;
	size_t i, lines, total;
	int whole, rwhole;

	if (path_join(path, sizeof path, dir, "current") == -1)
		return -1;
	if ((n = tail_file(path, buf, len, &whole)) == -1)
		return -1;
	for (lines = 0, i = 0; i < (size_t)n; i++)
		lines += buf[i] == '\n';
	if (n > 0 && buf[n - 1] != '\n')
		lines++;
	total = (size_t)n;
	if (whole && lines < nlines && (size_t)n < len &&
	    logdir_scan(dir, &sc) == 0 && sc.count > 0 &&
	    path_join(path, sizeof path, dir, sc.newest) == 0) {
		/* The rotated file's tail goes in front of current's. */
		memmove(buf + (len - (size_t)n), buf, (size_t)n);
		m = tail_file(path, buf, len - (size_t)n, &rwhole);
		if (m == -1)
			m = 0;
		memmove(buf + m, buf + (len - (size_t)n), (size_t)n);
		total = (size_t)m + (size_t)n;
		whole = rwhole || m == 0;
	}
	/* Back from the end over nlines line ends (not counting the last
	 * byte's own). */
	for (lines = 0, i = total; i > 0; i--) {
		if (buf[i - 1] == '\n' && i != total && ++lines == nlines)
			break;
	}
	if (i == 0 && !whole) {
		/* Ran out of bytes before nlines lines: the first is cut. */
		while (i < total && buf[i] != '\n')
			i++;
		if (i < total)
			i++;
	}
	memmove(buf, buf + i, total - i);
	return (ssize_t)(total - i);
}
