/* svcheck: the checks of a service directory, shared by the svcheck
 * program and supervise. Reads, never writes; owns no file. */
#include <sys/types.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fdutil.h"
#include "svcheck.h"
#include "svconf.h"

#define PATHLEN		4096
#define VALUE_SHOWN	40	/* bytes of a bad value quoted in a problem */
#define CONTROL_SCRIPTS	"udpchaiq12tkx"	/* the control/ names supervise
					 * runs: o runs control/u */
#define CONTROL_ODD	32	/* other names in control/ reported */

enum kind {
	K_MS,		/* a number of ms (or a count), 0 to SVCONF_MS_MAX */
	K_FD,		/* a descriptor number, 3 to SVCONF_FD_MAX */
	K_SIGNAL,	/* a signal name or number */
	K_RESTART	/* always, on-failure, never */
};

/* The one-value files of DESIGN.md section 2, in the order reported. */
static const struct {
	const char	*name;
	int		 kind;
} conffiles[] = {
	{ "timeout-finish", K_MS }, { "down-signal", K_SIGNAL },
	{ "timeout-kill", K_MS }, { "restart", K_RESTART },
	{ "min-uptime", K_MS }, { "backoff-max", K_MS },
	{ "max-restarts", K_MS }, { "notification-fd", K_FD },
	{ "check-interval", K_MS }, { "check-timeout", K_MS },
	{ "check-failures", K_MS }, { "ready-timeout", K_MS },
};

struct ctx {
	svcheck_fn	 fn;
	void		*arg;
	int		 count;
};

static void
problem(struct ctx *c, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report one problem of file. */
static void
problem(struct ctx *c, const char *file, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	c->count++;
	c->fn(c->arg, file, buf);
}

/* dir/name into buf; -1 (ENAMETOOLONG) if it does not fit. */
static int
join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* Copy s into out, at most VALUE_SHOWN bytes, non-printing bytes and
 * quotes as '?', so that a problem stays one line. */
static void
shown(char *out, const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < VALUE_SHOWN; i++)
		out[i] = (s[i] < ' ' || s[i] == '"' || s[i] == 0x7f) ? '?' :
		    s[i];
	out[i] = '\0';
	if (s[i] != '\0')
		memcpy(out + i, "...", 4);
}

/* Rewrite s (len bytes) with its control bytes, quotes and backslashes as
 * \xHH, so that it can be shown on one line and in a history record: the
 * "#!/bin/sh\r" of a script saved with CRLF line ends shows its \x0d. */
static void
escape_interp(char *s, size_t len)
{
	char raw[SVCHECK_INTERP_MAX];
	size_t i, n = 0;
	unsigned char c;

	snprintf(raw, sizeof raw, "%s", s);
	for (i = 0; raw[i] != '\0'; i++) {
		c = (unsigned char)raw[i];
		if (c < ' ' || c == 0x7f || c == '"' || c == '\\' || c == ' ') {
			if (n + 5 > len)
				break;
			snprintf(s + n, len - n, "\\x%02x", c);
			n += 4;
		} else {
			if (n + 2 > len)
				break;
			s[n++] = (char)c;
		}
	}
	s[n] = '\0';
}

/* Whether name, run in dir, can be executed: present, a regular file,
 * executable, and so is the interpreter its "#!" names (a relative one
 * is taken from dir, as the kernel would from the cwd supervise gives).
 * 0 with p->problem set; -1 if it could not be checked. */
int
svcheck_prog(const char *dir, const char *name, struct svcheck_prog *p)
{
	char path[PATHLEN], head[SVCHECK_INTERP_MAX + 2], ipath[PATHLEN];
	struct stat st;
	ssize_t n;
	size_t i, j;

	p->problem = SVCHECK_OK;
	p->interp[0] = '\0';
	if (join(path, sizeof path, dir, name) == -1)
		return -1;
	if (stat(path, &st) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		p->problem = SVCHECK_MISSING;
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		p->problem = SVCHECK_NOTFILE;
		return 0;
	}
	if (access(path, X_OK) == -1) {
		p->problem = SVCHECK_NOTEXEC;
		return 0;
	}
	/* Unreadable (mode 0711): a binary may still run; nothing to see. */
	if ((n = fd_read_file(path, head, sizeof head - 1)) < 2 ||
	    head[0] != '#' || head[1] != '!')
		return 0;
	head[n] = '\0';
	for (i = 2; head[i] == ' ' || head[i] == '\t'; i++)
		;
	for (j = i; head[j] != '\0' && head[j] != ' ' && head[j] != '\t' &&
	    head[j] != '\n'; j++)
		;
	if (j - i >= sizeof p->interp) {
		/* Longer than the kernel reads: it would not run either. */
		p->problem = SVCHECK_NOINTERP;
		memcpy(p->interp, head + i, sizeof p->interp - 1);
		p->interp[sizeof p->interp - 1] = '\0';
		return 0;
	}
	memcpy(p->interp, head + i, j - i);
	p->interp[j - i] = '\0';
	if (p->interp[0] == '/')
		snprintf(ipath, sizeof ipath, "%s", p->interp);
	else if (join(ipath, sizeof ipath, dir, p->interp) == -1)
		return -1;
	if (p->interp[0] == '\0' || stat(ipath, &st) == -1)
		p->problem = SVCHECK_NOINTERP;
	else if (!S_ISREG(st.st_mode) || access(ipath, X_OK) == -1)
		p->problem = SVCHECK_INTERPNOTEXEC;
	escape_interp(p->interp, sizeof p->interp);
	return 0;
}

/* One word for a problem of svcheck_prog, for history records. */
const char *
svcheck_prog_word(int problem)
{
	switch (problem) {
	case SVCHECK_OK:
		return "ok";
	case SVCHECK_MISSING:
		return "missing";
	case SVCHECK_NOTFILE:
		return "notfile";
	case SVCHECK_NOTEXEC:
		return "notexec";
	case SVCHECK_NOINTERP:
		return "nointerp";
	default:
		return "interpnotexec";
	}
}

/* The problem of p as a phrase ("interpreter not found: \"/x\""), into
 * buf of len bytes. */
void
svcheck_prog_text(const struct svcheck_prog *p, char *buf, size_t len)
{
	switch (p->problem) {
	case SVCHECK_OK:
		snprintf(buf, len, "ok");
		break;
	case SVCHECK_MISSING:
		snprintf(buf, len, "missing");
		break;
	case SVCHECK_NOTFILE:
		snprintf(buf, len, "not a regular file");
		break;
	case SVCHECK_NOTEXEC:
		snprintf(buf, len, "not executable");
		break;
	case SVCHECK_NOINTERP:
		snprintf(buf, len, "interpreter not found: \"%s\"", p->interp);
		break;
	default:
		snprintf(buf, len, "interpreter not executable: \"%s\"",
		    p->interp);
		break;
	}
}

/* Check program name of dir (reported as pre/name); a missing one is a
 * problem only if required. -1 if it could not be checked. */
static int
check_prog(struct ctx *c, const char *dir, const char *pre, const char *name,
    int required)
{
	struct svcheck_prog p;
	char file[64], text[SVCHECK_INTERP_MAX + 64];

	snprintf(file, sizeof file, "%s%s", pre, name);
	if (svcheck_prog(dir, name, &p) == -1)
		return -1;
	if (p.problem == SVCHECK_OK || (p.problem == SVCHECK_MISSING &&
	    !required))
		return 0;
	svcheck_prog_text(&p, text, sizeof text);
	if (p.problem == SVCHECK_NOTEXEC && !required)
		problem(c, file, "%s (supervise skips it)", text);
	else
		problem(c, file, "%s", text);
	return 0;
}

/* Check every one-value file of dir with svconf's parsers. */
static void
check_conf(struct ctx *c, const char *dir, const char *pre)
{
	char path[PATHLEN], buf[64], val[VALUE_SHOWN + 4], file[64];
	int64_t v;
	size_t i;
	int r;

	for (i = 0; i < sizeof conffiles / sizeof conffiles[0]; i++) {
		snprintf(file, sizeof file, "%s%s", pre, conffiles[i].name);
		if (join(path, sizeof path, dir, conffiles[i].name) == -1)
			continue;
		if ((r = svconf_read_line(path, buf, sizeof buf)) == 0)
			continue;
		if (r == -1) {
			problem(c, file, "unable to read: %s",
			    diag_errstr(errno));
			continue;
		}
		shown(val, buf);
		switch (conffiles[i].kind) {
		case K_MS:
			if (svconf_read_ms(path, SVCONF_MS_MAX, &v) == 1)
				break;
			if (buf[0] != '\0' && strspn(buf, "0123456789") ==
			    strlen(buf))
				problem(c, file, "out of range: \"%s\"", val);
			else
				problem(c, file, "not a number: \"%s\"", val);
			break;
		case K_FD:
			if (svconf_read_ms(path, SVCONF_FD_MAX, &v) != 1 ||
			    v < 3)
				problem(c, file, "not a descriptor from 3 to "
				    "%d: \"%s\"", SVCONF_FD_MAX, val);
			break;
		case K_SIGNAL:
			if (svconf_signal_parse(buf) == -1)
				problem(c, file, "not a known signal: \"%s\"",
				    val);
			break;
		case K_RESTART:
			if (svconf_restart_parse(buf) == -1)
				problem(c, file, "not always, on-failure or "
				    "never: \"%s\"", val);
			break;
		}
	}
}

/* Settings that do nothing as the directory stands: the liveness ones
 * without an executable check, ready-timeout with no way to become ready
 * late (neither check nor notification-fd), essential on a logger. */
static int
check_health(struct ctx *c, const char *dir, const char *pre, int islog)
{
	static const char *needcheck[] = {
		"check-interval", "check-timeout", "check-failures"
	};
	struct svcheck_prog p;
	char path[PATHLEN], file[64];
	struct stat st;
	int64_t v;
	size_t i;
	int hascheck, hasfd;

	if (svcheck_prog(dir, "check", &p) == -1)
		return -1;
	/* With a missing interpreter supervise still runs it (and it
	 * fails): then the settings are not ignored. */
	hascheck = p.problem != SVCHECK_MISSING &&
	    p.problem != SVCHECK_NOTFILE && p.problem != SVCHECK_NOTEXEC;
	for (i = 0; !hascheck && i < sizeof needcheck / sizeof needcheck[0];
	    i++) {
		snprintf(file, sizeof file, "%s%s", pre, needcheck[i]);
		if (join(path, sizeof path, dir, needcheck[i]) == 0 &&
		    svconf_read_ms(path, SVCONF_MS_MAX, &v) == 1)
			problem(c, file, "ignored: no executable check");
	}
	hasfd = join(path, sizeof path, dir, "notification-fd") == 0 &&
	    svconf_read_ms(path, SVCONF_FD_MAX, &v) == 1 && v >= 3;
	snprintf(file, sizeof file, "%sready-timeout", pre);
	if (!hascheck && !hasfd && join(path, sizeof path, dir,
	    "ready-timeout") == 0 && svconf_read_ms(path, SVCONF_MS_MAX,
	    &v) == 1 && v > 0)
		problem(c, file, "ignored: ready at once without a check or "
		    "notification-fd");
	snprintf(file, sizeof file, "%sessential", pre);
	if (islog && join(path, sizeof path, dir, "essential") == 0 &&
	    lstat(path, &st) == 0)
		problem(c, file, "ignored: only a service is essential, not "
		    "its logger");
	return 0;
}

static int
cmpname(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The scripts of dir/control/ (DESIGN.md section 3): each one supervise
 * would run checked like finish; a name it never runs (control/o, a word,
 * a letter that is no command) reported, in name order. Dot files are
 * left alone (an editor's). -1 if it could not be checked. */
static int
check_control(struct ctx *c, const char *dir)
{
	char path[PATHLEN], name[16];
	char (*odd)[NAME_MAX + 1];
	struct dirent *e;
	struct stat st;
	size_t i, n = 0, more = 0;
	DIR *d;

	if (join(path, sizeof path, dir, "control") == -1)
		return -1;
	if (stat(path, &st) == -1)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	if (!S_ISDIR(st.st_mode)) {
		problem(c, "control", "not a directory");
		return 0;
	}
	for (i = 0; CONTROL_SCRIPTS[i] != '\0'; i++) {
		snprintf(name, sizeof name, "control/%c", CONTROL_SCRIPTS[i]);
		if (check_prog(c, dir, "", name, 0) == -1)
			return -1;
	}
	if ((d = opendir(path)) == NULL) {
		problem(c, "control", "unable to read: %s",
		    diag_errstr(errno));
		return 0;
	}
	if ((odd = calloc(CONTROL_ODD, sizeof *odd)) == NULL) {
		closedir(d);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || (e->d_name[1] == '\0' &&
		    strchr(CONTROL_SCRIPTS, e->d_name[0]) != NULL))
			continue;
		if (n < CONTROL_ODD)
			snprintf(odd[n++], sizeof odd[0], "%s", e->d_name);
		else
			more++;
	}
	closedir(d);
	qsort(odd, n, sizeof odd[0], cmpname);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "control/%s", odd[i]);
		if (strcmp(odd[i], "o") == 0)
			problem(c, path, "never run: o runs control/u");
		else
			problem(c, path, "never run: not a control letter "
			    "(one of %s)", CONTROL_SCRIPTS);
	}
	if (more > 0)
		problem(c, "control", "%zu more names that are never run",
		    more);
	free(odd);
	return 0;
}

/* supervise must be able to create dir/supervise (or the target of a
 * dangling symlink there) and write in it. */
static void
check_sdir(struct ctx *c, const char *dir, const char *pre)
{
	char path[PATHLEN], file[64], fpath[PATHLEN];
	static const char *fifos[] = { "control", "ok" };
	struct stat st;
	size_t i;

	snprintf(file, sizeof file, "%ssupervise", pre);
	if (join(path, sizeof path, dir, "supervise") == -1)
		return;
	if (stat(path, &st) == -1) {
		if (lstat(path, &st) == 0)	/* a dangling symlink */
			return;
		if (access(dir, W_OK | X_OK) == -1)
			problem(c, file, "cannot be created: %s",
			    diag_errstr(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		problem(c, file, "not a directory");
		return;
	}
	if (access(path, W_OK | X_OK) == -1) {
		problem(c, file, "not writable: %s", diag_errstr(errno));
		return;
	}
	for (i = 0; i < sizeof fifos / sizeof fifos[0]; i++) {
		snprintf(file, sizeof file, "%ssupervise/%s", pre, fifos[i]);
		if (join(fpath, sizeof fpath, path, fifos[i]) == -1 ||
		    stat(fpath, &st) == -1)
			continue;
		if (!S_ISFIFO(st.st_mode))
			problem(c, file, "not a FIFO");
	}
}

/* Check service directory dir, each problem through fn(arg, file, what).
 * Returns the number of problems; -1 (errno set) if dir could not be
 * checked at all (what is not there is a problem, not a failure). */
int
svcheck_dir(const char *dir, svcheck_fn fn, void *arg)
{
	char logdir[PATHLEN];
	struct ctx c;
	struct stat st;

	c.fn = fn;
	c.arg = arg;
	c.count = 0;
	if (stat(dir, &st) == -1) {
		if (errno != ENOENT && errno != ENOTDIR)
			return -1;
		problem(&c, "", "no such directory");
		return c.count;
	}
	if (!S_ISDIR(st.st_mode)) {
		problem(&c, "", "not a directory");
		return c.count;
	}
	if (check_prog(&c, dir, "", "run", 1) == -1 ||
	    check_prog(&c, dir, "", "finish", 0) == -1 ||
	    check_prog(&c, dir, "", "check", 0) == -1 ||
	    check_control(&c, dir) == -1)
		return -1;
	check_conf(&c, dir, "");
	if (check_health(&c, dir, "", 0) == -1)
		return -1;
	check_sdir(&c, dir, "");
	if (join(logdir, sizeof logdir, dir, "log") == -1)
		return -1;
	if (stat(logdir, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (check_prog(&c, logdir, "log/", "run", 1) == -1 ||
		    check_prog(&c, logdir, "log/", "finish", 0) == -1 ||
		    check_prog(&c, logdir, "log/", "check", 0) == -1)
			return -1;
		check_conf(&c, logdir, "log/");
		if (check_health(&c, logdir, "log/", 1) == -1)
			return -1;
		check_sdir(&c, logdir, "log/");
	}
	return c.count;
}

/* The fields of supervise's "broken" history event for p, whose file is
 * name: "file=NAME problem=WORD[ interpreter=PATH]". */
void
svcheck_prog_kv(const struct svcheck_prog *p, const char *name, char *buf,
    size_t len)
{
	snprintf(buf, len, "file=%s problem=%s%s%s", name,
	    svcheck_prog_word(p->problem),
	    p->interp[0] != '\0' ? " interpreter=" : "", p->interp);
}
