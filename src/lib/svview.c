/* svview: read DIR/supervise (and DIR/log/supervise) as daemontools'
 * svstat does (is ok open, then the status record, then ./down), and
 * format the result as svstat's line or its -j object. Reads only: the
 * ok FIFO, status and down files; writes nothing. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "sbuf.h"
#include "svconf.h"
#include "svcontrol.h"
#include "svstatus.h"
#include "svview.h"

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

/* A tend record saying a config file was invalid at the last start. */
static int
st_conferr(const struct svstatus *st)
{
	return st->version >= 1 && (st->flags & SVF_CONFERR);
}

/* Read the supervise directory sub ("supervise" or "log/supervise") of
 * dir into v: is ok open, then the status. */
static void
look(struct svview *v, const char *dir, const char *sub)
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
	v->essential = exists(dir, strcmp(sub, "supervise") == 0 ?
	    "essential" : "log/essential");
	if (st_conferr(&v->st) && path2(sdir, dir,
	    strcmp(sub, "supervise") == 0 ? "." : "log") == 0)
		(void)svconf_load(sdir, &v->conf);
	v->checkmax = 3;
	if (path2(sdir, dir, strcmp(sub, "supervise") == 0 ? "check-failures" :
	    "log/check-failures") == 0)
		(void)svconf_read_ms(sdir, SVCONF_MS_MAX, &v->checkmax);
	v->ok = 1;
}

/* Read the service directory dir into d. 0 if its supervise runs and was
 * read, -1 if not (d->main.err says why). */
int
svview_read(struct svview_dir *d, const char *dir)
{
	struct stat sb;

	memset(d, 0, sizeof *d);
	if (stat(dir, &sb) == -1)
		snprintf(d->main.err, sizeof d->main.err,
		    "unable to chdir: %s", diag_errstr(errno));
	else if (!S_ISDIR(sb.st_mode))
		snprintf(d->main.err, sizeof d->main.err,
		    "unable to chdir: %s", diag_errstr(ENOTDIR));
	else
		look(&d->main, dir, "supervise");
	d->haslog = d->main.ok && exists(dir, "log/supervise");
	if (d->haslog)
		look(&d->log, dir, "log/supervise");
	return d->main.ok ? 0 : -1;
}

/* Whole seconds from then to now, never negative. */
int64_t
svview_elapsed(const struct timespec *then, const struct timespec *now)
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

/* "up", "down", "once" or "exit": what supervise wants. */
const char *
svview_want(const struct svstatus *st)
{
	if (st->flags & SVF_EXIT)
		return "exit";
	if (st->flags & SVF_ONCE)
		return "once";
	return st->want == 'u' ? "up" : "down";
}

/* How the last run ended: 0 unknown, 1 exit code in *code, 2 signal
 * number in *sig. */
int
svview_lastexit(const struct svview *v, int *code, int *sig)
{
	const struct svstatus *st = &v->st;

	if (!v->ok || st->version < 1 || !(st->flags & SVF_EXITED))
		return 0;
	if (WIFSIGNALED(st->wstatus)) {
		*sig = WTERMSIG(st->wstatus);
		return 2;
	}
	*code = WEXITSTATUS(st->wstatus);
	return 1;
}

/* "up (pid 4242) 17 seconds, want down, ready" and so on, no newline. */
static void
human(struct sbuf *b, const struct svview *v, const struct timespec *now)
{
	const struct svstatus *st = &v->st;
	long long secs = (long long)svview_elapsed(&st->stamp, now);

	switch (st->state) {
	case SV_RUN:
		sbuf_printf(b, "up (pid %lu) %lld seconds",
		    (unsigned long)st->pid, secs);
		break;
	case SV_FINISH:
		sbuf_printf(b, "finishing (pid %lu) %lld seconds",
		    (unsigned long)st->pid, secs);
		break;
	default:
		sbuf_printf(b, "down %lld seconds", secs);
		break;
	}
	if (st->pid != 0 && !v->normallyup)
		sbuf_puts(b, ", normally down");
	if (st->pid == 0 && v->normallyup)
		sbuf_puts(b, ", normally up");
	if (st->pid == 0 && st->want == 'u')
		sbuf_puts(b, ", want up");
	if (st->pid != 0 && (st->flags & SVF_EXIT))
		sbuf_puts(b, ", want exit");
	else if (st->pid != 0 && st->want == 'd' && !(st->flags & SVF_ONCE))
		sbuf_puts(b, ", want down");
	if (st->paused)
		sbuf_puts(b, ", paused");
	if (st->flags & SVF_READY)
		sbuf_puts(b, ", ready");
	else if (st->version >= 1 && st->state == SV_RUN)
		sbuf_puts(b, ", starting");	/* not ready yet */
	if (st->version >= 1 && st->checkfailures > 0)
		sbuf_printf(b, ", check failing %u/%lld", st->checkfailures,
		    (long long)v->checkmax);
	if (st->flags & SVF_FAILED)
		sbuf_puts(b, ", failed");
	if (st->flags & SVF_CONFERR)
		sbuf_puts(b, ", bad config");
	if (st->flags & SVF_WAITING)
		sbuf_printf(b, ", restart in %lld seconds",
		    (long long)due_in(&st->due, now));
	if (st->gotterm)
		sbuf_puts(b, ", got TERM");
}

/* svstat's line for dir, with its newline. */
void
svview_line(struct sbuf *b, const char *dir, const struct svview_dir *d,
    const struct timespec *now)
{
	sbuf_printf(b, "%s: ", dir);
	if (d->main.ok)
		human(b, &d->main, now);
	else
		sbuf_puts(b, d->main.err);
	if (d->haslog) {
		sbuf_puts(b, "; log: ");
		if (d->log.ok)
			human(b, &d->log, now);
		else
			sbuf_puts(b, d->log.err);
	}
	sbuf_putc(b, '\n');
}

/* The members of one view, without braces: "state":"up",... */
static void
json_view(struct sbuf *b, const struct svview *v, const struct timespec *now)
{
	static const char *states[] = { "down", "up", "finish" };
	const struct svstatus *st = &v->st;
	const char *name;
	int code, sig;
	unsigned i;

	if (!v->ok) {
		sbuf_puts(b, "\"error\":");
		sbuf_json_str(b, v->err, strlen(v->err));
		return;
	}
	sbuf_printf(b, "\"state\":\"%s\",", states[st->state]);
	if (st->pid != 0)
		sbuf_printf(b, "\"pid\":%lu,", (unsigned long)st->pid);
	else
		sbuf_puts(b, "\"pid\":null,");
	sbuf_printf(b, "\"seconds\":%lld,\"want\":\"%s\",\"normally\":\"%s\","
	    "\"essential\":%s,\"paused\":%s,\"ready\":%s,\"failed\":%s,\"gotterm\":%s,"
	    "\"configerror\":%s,",
	    (long long)svview_elapsed(&st->stamp, now), svview_want(st),
	    v->normallyup ? "up" : "down", v->essential ? "true" : "false",
	    st->paused ? "true" : "false",
	    (st->flags & SVF_READY) ? "true" : "false",
	    (st->flags & SVF_FAILED) ? "true" : "false",
	    st->gotterm ? "true" : "false",
	    (st->flags & SVF_CONFERR) ? "true" : "false");
	/* A foreign record (daemontools, runit) does not know these. */
	if (st->version >= 1)
		sbuf_printf(b, "\"restarts\":%lu,\"starts\":%lu,",
		    (unsigned long)st->shortruns, (unsigned long)st->starts);
	else
		sbuf_puts(b, "\"restarts\":null,\"starts\":null,");
	if (st->version >= 1) {
		/* The config files invalid now, of a run that started with
		 * one invalid. */
		sbuf_puts(b, "\"configerrors\":[");
		for (i = 0; st_conferr(st) && i < v->conf.nbad; i++) {
			if (i > 0)
				sbuf_putc(b, ',');
			sbuf_json_str(b, v->conf.bads[i].file,
			    strlen(v->conf.bads[i].file));
		}
		sbuf_puts(b, "],");
	} else
		sbuf_puts(b, "\"configerrors\":null,");
	if (st->version >= 1 && (st->flags & SVF_READY))
		sbuf_printf(b, "\"readysince\":%lld,",
		    (long long)svview_elapsed(&st->readystamp, now));
	else
		sbuf_puts(b, "\"readysince\":null,");
	/* The streak, and the check-failures that would end the run. */
	if (st->version >= 1)
		sbuf_printf(b, "\"checkfailures\":%u,\"checklimit\":%lld,",
		    st->checkfailures, (long long)v->checkmax);
	else
		sbuf_puts(b, "\"checkfailures\":null,\"checklimit\":null,");
	switch (svview_lastexit(v, &code, &sig)) {
	case 1:
		sbuf_printf(b, "\"lastexit\":{\"code\":%d}", code);
		break;
	case 2:
		if ((name = svconf_signal_name(sig)) != NULL)
			sbuf_printf(b, "\"lastexit\":{\"signal\":\"%s\"}",
			    name);
		else
			sbuf_printf(b, "\"lastexit\":{\"signal\":\"%d\"}",
			    sig);
		break;
	default:
		sbuf_puts(b, "\"lastexit\":null");
		break;
	}
}

/* svstat -j's object for dir, without a newline. */
void
svview_json(struct sbuf *b, const char *dir, const struct svview_dir *d,
    const struct timespec *now)
{
	sbuf_puts(b, "{\"dir\":");
	sbuf_json_str(b, dir, strlen(dir));
	sbuf_putc(b, ',');
	json_view(b, &d->main, now);
	if (d->main.ok) {
		sbuf_puts(b, ",\"log\":");
		if (d->haslog) {
			sbuf_putc(b, '{');
			json_view(b, &d->log, now);
			sbuf_putc(b, '}');
		} else
			sbuf_puts(b, "null");
	}
	sbuf_putc(b, '}');
}
