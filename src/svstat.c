/* svstat: print the status of each service directory, one line per
 * directory, in daemontools' format (-j: one JSON object per line).
 *
 *   svstat [-j] DIR...
 *
 * Reads DIR/supervise/ok (is a supervise running?), DIR/supervise/status
 * (18 bytes from daemontools, 20 from runit, 64 from tend), DIR/down, and
 * the same under DIR/log/ when DIR/log/supervise exists. Writes nothing.
 * Exit: 0, or the number of directories not reported as supervised (at
 * most 99). */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "svconf.h"
#include "svcontrol.h"
#include "svstatus.h"
#include "timefmt.h"
#include "version.h"

#define USAGE	"svstat [-j] DIR..."
#define MAXFAIL	99

/* What one supervise directory said, or why it said nothing. */
struct view {
	int		ok;		/* st is valid */
	char		err[256];	/* otherwise: why not */
	struct svstatus	st;
	int		normallyup;	/* no ./down file */
};

static int	path2(char *, const char *, const char *);
static int	exists(const char *, const char *);
static void	look(struct view *, const char *, const char *);
static int64_t	elapsed(const struct timespec *, const struct timespec *);
static int64_t	due_in(const struct timespec *, const struct timespec *);
static void	human(const struct view *, const struct timespec *);
static void	json_str(const char *);
static const char *want_word(const struct svstatus *);
static void	json_view(const struct view *, const struct timespec *);
static int	report(const char *, int, const struct timespec *);

/* dir/name into buf (PATH_MAX); -1 with ENAMETOOLONG if it does not fit. */
static int
path2(char *buf, const char *dir, const char *name)
{
	int k;

	k = snprintf(buf, PATH_MAX, "%s/%s", dir, name);
	if (k < 0 || k >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat sb;

	return path2(path, dir, name) == 0 && stat(path, &sb) == 0;
}

/* Read the supervise directory sub ("supervise" or "log/supervise") of
 * dir into v, as daemontools' svstat does: is ok open, then the status. */
static void
look(struct view *v, const char *dir, const char *sub)
{
	char sdir[PATH_MAX];

	memset(v, 0, sizeof *v);
	if (path2(sdir, dir, sub) == -1) {
		snprintf(v->err, sizeof v->err, "unable to chdir: %s",
		    diag_errstr(errno));
		return;
	}
	if (svcontrol_ok(sdir) == -1) {
		if (errno == ENXIO || errno == ENOENT)
			snprintf(v->err, sizeof v->err,
			    "supervise not running");
		else
			snprintf(v->err, sizeof v->err,
			    "unable to open supervise/ok: %s",
			    diag_errstr(errno));
		return;
	}
	if (svstatus_read(sdir, &v->st) == -1) {
		snprintf(v->err, sizeof v->err,
		    "unable to read supervise/status: %s",
		    errno == EINVAL ? "bad format" : diag_errstr(errno));
		return;
	}
	/* sub's parent holds ./down: dir itself, or dir/log. */
	v->normallyup = !exists(dir, strcmp(sub, "supervise") == 0 ? "down" :
	    "log/down");
	v->ok = 1;
}

/* Whole seconds from then to now, never negative. */
static int64_t
elapsed(const struct timespec *then, const struct timespec *now)
{
	int64_t s;

	s = (int64_t)now->tv_sec - (int64_t)then->tv_sec;
	if (now->tv_nsec < then->tv_nsec)
		s--;
	return s < 0 ? 0 : s;
}

/* Seconds from now until due, rounded up, never negative. */
static int64_t
due_in(const struct timespec *due, const struct timespec *now)
{
	int64_t ms;

	ms = ((int64_t)due->tv_sec - (int64_t)now->tv_sec) * 1000 +
	    ((long)due->tv_nsec - (long)now->tv_nsec) / 1000000;
	return ms <= 0 ? 0 : (ms + 999) / 1000;
}

/* "up (pid 4242) 17 seconds, want down, ready" and so on, no newline. */
static void
human(const struct view *v, const struct timespec *now)
{
	const struct svstatus *st = &v->st;
	long long secs = (long long)elapsed(&st->stamp, now);

	switch (st->state) {
	case SV_RUN:
		printf("up (pid %lu) %lld seconds", (unsigned long)st->pid,
		    secs);
		break;
	case SV_FINISH:
		printf("finishing (pid %lu) %lld seconds",
		    (unsigned long)st->pid, secs);
		break;
	default:
		printf("down %lld seconds", secs);
		break;
	}
	if (st->pid != 0 && !v->normallyup)
		printf(", normally down");
	if (st->pid == 0 && v->normallyup)
		printf(", normally up");
	if (st->pid == 0 && st->want == 'u')
		printf(", want up");
	if (st->pid != 0 && (st->flags & SVF_EXIT))
		printf(", want exit");
	else if (st->pid != 0 && st->want == 'd' && !(st->flags & SVF_ONCE))
		printf(", want down");
	if (st->paused)
		printf(", paused");
	if (st->flags & SVF_READY)
		printf(", ready");
	if (st->flags & SVF_FAILED)
		printf(", failed");
	if (st->flags & SVF_CONFERR)
		printf(", bad config");
	if (st->flags & SVF_WAITING)
		printf(", restart in %lld seconds",
		    (long long)due_in(&st->due, now));
	if (st->gotterm)
		printf(", got TERM");
}

/* s as a JSON string: quotes, backslashes and control characters escaped,
 * other bytes (UTF-8 or not) passed through. */
static void
json_str(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static const char *
want_word(const struct svstatus *st)
{
	if (st->flags & SVF_EXIT)
		return "exit";
	if (st->flags & SVF_ONCE)
		return "once";
	return st->want == 'u' ? "up" : "down";
}

/* The members of one view, without braces: "state":"up",... */
static void
json_view(const struct view *v, const struct timespec *now)
{
	static const char *states[] = { "down", "up", "finish" };
	const struct svstatus *st = &v->st;
	const char *sig;
	int tend = st->version >= 1;

	if (!v->ok) {
		printf("\"error\":");
		json_str(v->err);
		return;
	}
	printf("\"state\":\"%s\",", states[st->state]);
	if (st->pid != 0)
		printf("\"pid\":%lu,", (unsigned long)st->pid);
	else
		printf("\"pid\":null,");
	printf("\"seconds\":%lld,\"want\":\"%s\",\"normally\":\"%s\","
	    "\"paused\":%s,\"ready\":%s,\"failed\":%s,\"gotterm\":%s,"
	    "\"configerror\":%s,",
	    (long long)elapsed(&st->stamp, now), want_word(st),
	    v->normallyup ? "up" : "down", st->paused ? "true" : "false",
	    (st->flags & SVF_READY) ? "true" : "false",
	    (st->flags & SVF_FAILED) ? "true" : "false",
	    st->gotterm ? "true" : "false",
	    (st->flags & SVF_CONFERR) ? "true" : "false");
	/* A foreign record (daemontools, runit) does not know these. */
	if (tend)
		printf("\"restarts\":%lu,\"starts\":%lu,",
		    (unsigned long)st->shortruns, (unsigned long)st->starts);
	else
		printf("\"restarts\":null,\"starts\":null,");
	if (!tend || !(st->flags & SVF_EXITED))
		printf("\"lastexit\":null");
	else if (WIFSIGNALED(st->wstatus)) {
		sig = svconf_signal_name(WTERMSIG(st->wstatus));
		if (sig != NULL)
			printf("\"lastexit\":{\"signal\":\"%s\"}", sig);
		else
			printf("\"lastexit\":{\"signal\":\"%d\"}",
			    WTERMSIG(st->wstatus));
	} else
		printf("\"lastexit\":{\"code\":%d}", WEXITSTATUS(st->wstatus));
}

/* One line for dir. 0 if its supervise runs and was read, -1 if not. */
static int
report(const char *dir, int json, const struct timespec *now)
{
	struct view v, lv;
	struct stat sb;
	int haslog;

	memset(&v, 0, sizeof v);
	if (stat(dir, &sb) == -1)
		snprintf(v.err, sizeof v.err, "unable to chdir: %s",
		    diag_errstr(errno));
	else if (!S_ISDIR(sb.st_mode))
		snprintf(v.err, sizeof v.err, "unable to chdir: %s",
		    diag_errstr(ENOTDIR));
	else
		look(&v, dir, "supervise");
	haslog = v.ok && exists(dir, "log/supervise");
	if (haslog)
		look(&lv, dir, "log/supervise");
	if (json) {
		printf("{\"dir\":");
		json_str(dir);
		putchar(',');
		json_view(&v, now);
		if (v.ok) {
			printf(",\"log\":");
			if (haslog) {
				putchar('{');
				json_view(&lv, now);
				putchar('}');
			} else
				printf("null");
		}
		printf("}\n");
	} else {
		printf("%s: ", dir);
		if (v.ok)
			human(&v, now);
		else
			printf("%s", v.err);
		if (haslog) {
			printf("; log: ");
			if (lv.ok)
				human(&lv, now);
			else
				printf("%s", lv.err);
		}
		putchar('\n');
	}
	return v.ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct timespec now;
	int c, i, json = 0, failed = 0;

	diag_init("svstat");
	opterr = 0;
	while ((c = getopt(argc, argv, ":jhV")) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			printf("usage: %s\n", USAGE);
			return fflush(stdout) == 0 ? 0 : EXIT_TEMP;
		case 'V':
			printf("svstat (tend) %s\n", TEND_VERSION);
			return fflush(stdout) == 0 ? 0 : EXIT_TEMP;
		default:
			die_usage_why(USAGE, "unknown option", optopt);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		die_usage_why(USAGE, "no directory given", 0);
	timefmt_now(&now);
	for (i = 0; i < argc; i++)
		if (report(argv[i], json, &now) == -1)
			failed++;
	if (fflush(stdout) == EOF || ferror(stdout))
		die_sys(EXIT_TEMP, "unable to write to stdout");
	return failed > MAXFAIL ? MAXFAIL : failed;
}
