/* svconf: one-value config files and signal names. */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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


/* Load every config file of service directory dir ("." or "log"), with the
 * defaults of DESIGN.md section 2. -1 if any file was invalid (named in
 * c->bad); the defaults stand in for what could not be read. */
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
	char path[4096], buf[64];
	int64_t v, *dst;
	size_t i;
	int r;

	path[0] = '\0';
	c->bad[0] = '\0';
	c->nbad = 0;
	for (i = 0; i < sizeof ms / sizeof ms[0]; i++) {
		dst = (int64_t *)(void *)((char *)c + ms[i].off);
		*dst = ms[i].def;
		r = path_join(path, sizeof path, dir, ms[i].file) == -1 ? -1 :
		    svconf_read_ms(path, SVCONF_MS_MAX, &v);
		if (r == 1)
			*dst = v;
		else if (r == -1)
			note_bad(c, path, ms[i].file);
	}
	c->down_signal = SIGTERM;
	r = path_join(path, sizeof path, dir, "down-signal") == -1 ? -1 :
	    svconf_read_line(path, buf, sizeof buf);
	if (r == 1) {
		if ((c->down_signal = svconf_signal_parse(buf)) == -1) {
			c->down_signal = SIGTERM;
			note_bad(c, path, "down-signal");
		}
	} else if (r == -1)
		note_bad(c, path, "down-signal");
	c->restart = RESTART_ALWAYS;
	r = path_join(path, sizeof path, dir, "restart") == -1 ? -1 :
	    svconf_read_line(path, buf, sizeof buf);
	if (r == 1) {
		if ((c->restart = svconf_restart_parse(buf)) == -1) {
			c->restart = RESTART_ALWAYS;
			note_bad(c, path, "restart");
		}
	} else if (r == -1)
		note_bad(c, path, "restart");
	c->notification_fd = -1;
	r = path_join(path, sizeof path, dir, "notification-fd") == -1 ? -1 :
	    svconf_read_ms(path, SVCONF_FD_MAX, &v);
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
