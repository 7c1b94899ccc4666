/* history: supervise/history, one flat text record per event:
 *
 *   2026-11-22T03:14:15.123456Z exit pid=4242 code=1 runtime=345.876
 *
 * Appended, never rewritten; past a size bound the file is renamed to
 * history.1 (one old generation) and a new one begun. */
#ifndef HISTORY_H
#define HISTORY_H

#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define HISTORY_MAX_LINE	512
#define HISTORY_BOUND		65536
#define HISTORY_MAX_FIELDS	8

/* Room for supervise's own paths ("log/supervise/history.1") and then
 * some: this sits in supervise's memory twice, and every page of it that
 * is touched stays dirty. */
#define HISTORY_PATH_MAX	256

struct history {
	char	path[HISTORY_PATH_MAX];	/* .../history */
	int	fd;		/* -1 until opened */
	off_t	size;
	off_t	bound;
	char	pend[HISTORY_MAX_LINE];	/* records queued, not yet appended */
	size_t	npend;
};

struct history_rec {
	struct timespec	ts;
	char		event[32];
	int		nfields;
	struct {
		char	key[32];
		char	val[128];
	} field[HISTORY_MAX_FIELDS];
};

/* Counts restarts since a time (history_restarts_add). */
struct history_restarts {
	struct timespec	since;
	int		exited;		/* an exit since the last start */
	unsigned long	n;
};

size_t	history_format(char *, size_t, const struct timespec *, const char *,
	    const char *);
int	history_open(struct history *, const char *, off_t);
int	history_append(struct history *, const char *, size_t);
int	history_vrecord(struct history *, const char *, const char *, va_list);
int	history_vqueue(struct history *, const char *, const char *, va_list);
int	history_flush(struct history *);
int	history_end_kv(char *, size_t, pid_t, int, int64_t);
void	history_close(struct history *);
int	history_parse(const char *, size_t, struct history_rec *);
const char *history_get(const struct history_rec *, const char *);
int	history_read(const char *, int (*)(void *, const char *, size_t),
	    void *);
void	history_restarts_init(struct history_restarts *,
	    const struct timespec *);
void	history_restarts_add(struct history_restarts *,
	    const struct history_rec *);
int	history_runtime(const struct history_rec *, int64_t *);

#endif
