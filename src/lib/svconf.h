/* svconf: the one-value files of a service directory (timeout-kill,
 * down-signal, restart...) and signal names. Read at each start; a missing
 * file gives the default, an invalid one the default and an error. A file
 * that was absent at the last load is not looked for again while the
 * directory is unchanged (struct svconf_seen): present files are always
 * re-read, since their contents can change in place. */
#ifndef SVCONF_H
#define SVCONF_H

#include <sys/types.h>

#include <stdint.h>
#include <time.h>

#define SVCONF_MS_MAX	((int64_t)1 << 40)	/* about 35 years */
#define SVCONF_FD_MAX	1024			/* highest notification-fd */
#define SVCONF_NFILES	13	/* one-value files read by svconf_load */
#define SVCONF_VALUE_MAX 40	/* bytes of a bad value kept */
#define SVCONF_SETTLE_MS 3000	/* a directory changed more recently than
				 * this may change again within the same
				 * timestamp (1 or 2 s granularity on some
				 * filesystems, a clock tick on others) */
#define SVCONF_SEEN_MAGIC 0x73656e31u

enum restart_policy {
	RESTART_ALWAYS,
	RESTART_ON_FAILURE,
	RESTART_NEVER
};

/* The service directory as the last svconf_load found it. */
struct svconf_seen {
	unsigned	magic;		/* SVCONF_SEEN_MAGIC once filled in */
	dev_t		dev;
	ino_t		ino;
	struct timespec	mtim, ctim;
	unsigned	present;	/* bit i: file i existed, or could not
					 * be read */
	int		trusted;	/* mtim was older than
					 * SVCONF_SETTLE_MS at that load */
	unsigned	opened;		/* files looked for by that load */
};

struct svconf {
	int64_t	timeout_finish;		/* ms, 0 = unlimited */
	int64_t	timeout_kill;		/* ms, 0 = never */
	int	down_signal;
	int	restart;		/* enum restart_policy */
	int64_t	min_uptime;		/* ms */
	int64_t	backoff_max;		/* ms */
	int64_t	max_restarts;		/* 0 = never give up */
	int	notification_fd;	/* -1 = none */
	int64_t	check_timeout;		/* ms one run of ./check may take */
	int64_t	check_interval;		/* ms between liveness checks, 0 =
					 * readiness only */
	int64_t	check_failures;		/* failed checks in a row: unhealthy */
	int64_t	ready_timeout;		/* ms to become ready, 0 = forever */
	char	bad[64];		/* first invalid file, "" if none */
	unsigned nbad;			/* invalid files, in reading order */
	struct {
		char	file[24];
		char	value[SVCONF_VALUE_MAX + 4];	/* shown safely */
	} bads[SVCONF_NFILES];
	struct svconf_seen seen;	/* kept by svconf_load between loads */
};

int	svconf_load(const char *, struct svconf *);
int	svconf_read_ms(const char *, int64_t, int64_t *);
int	svconf_read_line(const char *, char *, size_t);
int	svconf_signal_parse(const char *);
int	svconf_restart_parse(const char *);
const char *svconf_signal_name(int);

#endif
