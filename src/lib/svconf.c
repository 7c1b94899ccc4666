/* svconf: one-value config files and signal names. */
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "fdutil.h"
#include "num.h"
#include "path.h"
#include "svconf.h"

static const struct {
	const char	*name;
	int		 num;
} signames[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "BUS", SIGBUS }, { "FPE", SIGFPE }, { "KILL", SIGKILL },
	{ "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "SYS", SIGSYS },
#ifdef SIGPWR
	{ "PWR", SIGPWR },
#endif
};

/* "TERM", "SIGTERM", "term" or "15" into a number; -1 if unknown. */
int
svconf_signal_parse(const char *s)
{
	size_t i;
	int64_t v;

	if (*s >= '0' && *s <= '9')
		return num_parse(s, 1, NSIG - 1, &v) == 0 ? (int)v : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof signames / sizeof signames[0]; i++)
		if (strcasecmp(s, signames[i].name) == 0)
			return signames[i].num;
	return -1;
}

/* "TERM" for 15; NULL when the signal has no name here. */
const char *
svconf_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < sizeof signames / sizeof signames[0]; i++)
		if (signames[i].num == sig)
			return signames[i].name;
	return NULL;
}

/* Read the first line of a one-value file, trimmed of surrounding blanks.
 * 1 when read, 0 when the file does not exist, -1 on error. */
int
svconf_read_line(const char *path, char *buf, size_t len)
{
	ssize_t n;
	size_t i, j;

	if ((n = fd_read_file(path, buf, len - 1)) == -1)
		return errno == ENOENT ? 0 : -1;
	buf[n] = '\0';
	for (i = 0; buf[i] == ' ' || buf[i] == '\t'; i++)
		;
	for (j = i; buf[j] != '\0' && buf[j] != '\n'; j++)
		;
	while (j > i && (buf[j - 1] == ' ' || buf[j - 1] == '\t' ||
	    buf[j - 1] == '\r'))
		j--;
	memmove(buf, buf + i, j - i);
	buf[j - i] = '\0';
	return 1;
}

/* A non-negative integer of ms. 1 read, 0 absent, -1 invalid (EINVAL). */
int
svconf_read_ms(const char *path, int64_t max, int64_t *out)
{
	char buf[64];
	int r;

	if ((r = svconf_read_line(path, buf, sizeof buf)) <= 0)
		return r;
	if (num_parse(buf, 0, max, out) == -1) {
		errno = EINVAL;
		return -1;
	}
	return 1;
}

/* "always", "on-failure" or "never" into enum restart_policy; -1 if none. */
int
svconf_restart_parse(const char *s)
{
	if (strcmp(s, "always") == 0)
		return RESTART_ALWAYS;
	if (strcmp(s, "on-failure") == 0)
		return RESTART_ON_FAILURE;
	if (strcmp(s, "never") == 0)
		return RESTART_NEVER;
	return -1;
}

/* Record file (at path) as invalid: its name, and its first line with
 * anything but printable non-blank ASCII shown as '?' (so that it fits in
 * a history record and a warning), cut at SVCONF_VALUE_MAX with "...". */
static void
note_bad(struct svconf *c, const char *path, const char *file)
{
	char buf[256];
	char *v;
	size_t i;

	if (c->bad[0] == '\0')
		snprintf(c->bad, sizeof c->bad, "%s", file);
	if (c->nbad >= SVCONF_NFILES)
		return;
	snprintf(c->bads[c->nbad].file, sizeof c->bads[c->nbad].file, "%s",
	    file);
	v = c->bads[c->nbad].value;
	if (svconf_read_line(path, buf, sizeof buf) != 1)
		buf[0] = '\0';
	for (i = 0; buf[i] != '\0' && i < SVCONF_VALUE_MAX; i++)
		v[i] = buf[i] > ' ' && buf[i] < 0x7f && buf[i] != '"' &&
		    buf[i] != '\\' ? buf[i] : '?';
	v[i] = '\0';
	if (buf[i] != '\0')
		memcpy(v + i, "...", 4);
	c->nbad++;
}


/* Is a the same time as b? */
static int
same_time(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

/* Is t at least SVCONF_SETTLE_MS before now? */
static int
settled(const struct timespec *t, const struct timespec *now)
{
	int64_t ms;

	ms = ((int64_t)now->tv_sec - (int64_t)t->tv_sec) * 1000 +
	    ((int64_t)now->tv_nsec - (int64_t)t->tv_nsec) / 1000000;
	return ms >= SVCONF_SETTLE_MS;
}

/* Look at dir before a load: returns the set of files that must be read
 * (all of them, or those present last time when the directory has not
 * changed since a load that could trust its mtime), and refreshes c->seen.
 * The names in a directory change only with its mtime (and ctime), but a
 * change within the same timestamp as the last one leaves them as they
 * were: a load right after a change cannot vouch for what it did not find.
 * Bit i of the result: file i of svconf_load. */
static unsigned
seen_update(const char *dir, struct svconf_seen *s)
{
	struct timespec now;
	struct stat sb;
	unsigned all = (1u << SVCONF_NFILES) - 1, want = all;

	if (clock_gettime(CLOCK_REALTIME, &now) == -1 ||
	    stat(dir, &sb) == -1) {
		s->magic = 0;
		s->trusted = 0;
		s->opened = 0;
		return all;
	}
	if (s->magic == SVCONF_SEEN_MAGIC && s->trusted &&
	    s->dev == sb.st_dev && s->ino == sb.st_ino &&
	    same_time(&s->mtim, &sb.st_mtim) && same_time(&s->ctim, &sb.st_ctim))
		want = s->present;
	s->magic = SVCONF_SEEN_MAGIC;
	s->dev = sb.st_dev;
	s->ino = sb.st_ino;
	s->mtim = sb.st_mtim;
	s->ctim = sb.st_ctim;
	/* Any change of names sets both to the time of the change: with
	 * mtim settled, the next one cannot leave mtim as it is. ctim is in
	 * the key for utimensat(), which can put mtim back (cp -a, rsync). */
	s->trusted = settled(&sb.st_mtim, &now);
	s->present = 0;
	s->opened = 0;
	return want;
}

/* Read file i of dir (path) unless want says it was absent: 1 read, 0
 * absent (or skipped), -1 invalid or unreadable; notes presence in s. */
static int
read_one(const char *dir, const char *file, unsigned i, unsigned want,
    struct svconf_seen *s, char *path, size_t len, int64_t max, int64_t *v,
    char *buf, size_t buflen)
{
	struct stat sb;
	int r;

	if (!(want & (1u << i)))
		return 0;
	s->opened++;
	if (path_join(path, len, dir, file) == -1) {
		path[0] = '\0';
		r = -1;
	} else if (buf != NULL)
		r = svconf_read_line(path, buf, buflen);
	else
		r = svconf_read_ms(path, max, v);
	/* A dangling symlink reads as absent, but its target can appear
	 * without the directory changing: it counts as present. (Only a
	 * trusted load's set is ever used.) */
	if (r != 0 || (s->trusted && path[0] != '\0' && lstat(path, &sb) == 0))
		s->present |= 1u << i;
	return r;
}

/* Load every config file of service directory dir ("." or "log"), with the
 * defaults of DESIGN.md section 2. -1 if any file was invalid (named in
 * c->bad); the defaults stand in for what could not be read. c->seen must
 * be zero or what the last load of c left (it skips the files that were
 * absent then, if dir has not changed since). */
int
svconf_load(const char *dir, struct svconf *c)
{
	static const struct {
		const char	*file;
		size_t		 off;
		int64_t		 def;
	} ms[] = {
		{ "timeout-finish", offsetof(struct svconf, timeout_finish), 5000 },
		{ "timeout-kill", offsetof(struct svconf, timeout_kill), 7000 },
		{ "min-uptime", offsetof(struct svconf, min_uptime), 1000 },
		{ "backoff-max", offsetof(struct svconf, backoff_max), 60000 },
		{ "max-restarts", offsetof(struct svconf, max_restarts), 0 },
		{ "check-timeout", offsetof(struct svconf, check_timeout), 5000 },
		{ "check-interval", offsetof(struct svconf, check_interval), 0 },
		{ "check-failures", offsetof(struct svconf, check_failures), 3 },
		{ "ready-timeout", offsetof(struct svconf, ready_timeout), 0 },
	};
	enum { F_DOWNSIG = 9, F_RESTART, F_NOTIFY };	/* after ms[] */
	char path[4096], buf[64];
	int64_t v, *dst;
	unsigned want;
	size_t i;
	int r;

	path[0] = '\0';
	c->bad[0] = '\0';
	c->nbad = 0;
	want = seen_update(dir, &c->seen);
	for (i = 0; i < sizeof ms / sizeof ms[0]; i++) {
		dst = (int64_t *)(void *)((char *)c + ms[i].off);
		*dst = ms[i].def;
		r = read_one(dir, ms[i].file, (unsigned)i, want, &c->seen, path,
		    sizeof path, SVCONF_MS_MAX, &v, NULL, 0);
		if (r == 1)
			*dst = v;
		else if (r == -1)
			note_bad(c, path, ms[i].file);
	}
	c->down_signal = SIGTERM;
	r = read_one(dir, "down-signal", F_DOWNSIG, want, &c->seen, path,
	    sizeof path, 0, NULL, buf, sizeof buf);
	if (r == 1) {
		if ((c->down_signal = svconf_signal_parse(buf)) == -1) {
			c->down_signal = SIGTERM;
			note_bad(c, path, "down-signal");
		}
	} else if (r == -1)
		note_bad(c, path, "down-signal");
	c->restart = RESTART_ALWAYS;
	r = read_one(dir, "restart", F_RESTART, want, &c->seen, path,
	    sizeof path, 0, NULL, buf, sizeof buf);
	if (r == 1) {
		if ((c->restart = svconf_restart_parse(buf)) == -1) {
			c->restart = RESTART_ALWAYS;
			note_bad(c, path, "restart");
		}
	} else if (r == -1)
		note_bad(c, path, "restart");
	c->notification_fd = -1;
	r = read_one(dir, "notification-fd", F_NOTIFY, want, &c->seen, path,
	    sizeof path, SVCONF_FD_MAX, &v, NULL, 0);
	if (r == 1) {
		if (v < 3)
			note_bad(c, path, "notification-fd");
		else
			c->notification_fd = (int)v;
	} else if (r == -1)
		note_bad(c, path, "notification-fd");
	if (c->bad[0] != '\0') {
		errno = EINVAL;
		return -1;
	}
	return 0;
}
