/* svconf: the one-value files of a service directory (timeout-kill,
 * down-signal, restart...) and signal names. Read at each start; a missing
 * file gives the default, an invalid one the default and an error. */
#ifndef SVCONF_H
#define SVCONF_H

#include <stdint.h>

#define SVCONF_MS_MAX	((int64_t)1 << 40)	/* about 35 years */
#define SVCONF_FD_MAX	1024			/* highest notification-fd */
#define SVCONF_NFILES	13	/* one-value files read by svconf_load */
#define SVCONF_VALUE_MAX 40	/* bytes of a bad value kept */

enum restart_policy {
	RESTART_ALWAYS,
	RESTART_ON_FAILURE,
	RESTART_NEVER
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
};

int	svconf_load(const char *, struct svconf *);
int	svconf_read_ms(const char *, int64_t, int64_t *);
int	svconf_read_line(const char *, char *, size_t);
int	svconf_signal_parse(const char *);
int	svconf_restart_parse(const char *);
const char *svconf_signal_name(int);

#endif
