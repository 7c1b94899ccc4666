/* svproc: one supervised process's state changes and status record. */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "diag.h"
#include "fdutil.h"
#include "lock.h"
#include "path.h"
#include "procinfo.h"
#include "svcheck.h"
#include "svproc.h"
#include "timefmt.h"

/* Queue "event kv" for p's history, stamped now; svproc_flush writes it
 * once the action it tells of is done. */
void
svproc_record(struct svproc *p, const char *event, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (history_vqueue(&p->hist, event, fmt, ap) == -1 &&
	    p->histerrno == 0)
		p->histerrno = errno;
	va_end(ap);
}

/* Append p's queued records. -1 (errno set) when appending failed, once
 * per episode of failure: a full disk is one warning, not one per event. */
int
svproc_flush(struct svproc *p)
{
	int e = p->histerrno;

	if (p->hist.npend == 0 && e == 0)
		return 0;	/* nothing written: the episode goes on */
	p->histerrno = 0;
	if (history_flush(&p->hist) == -1)
		e = errno;
	if (e == 0) {
		p->histerr = 0;
		return 0;
	}
	if (p->histerr)
		return 0;
	p->histerr = 1;
	errno = e;
	return -1;
}

/* Queue how a run or finish (event) ended: pid, wait status st (-1:
 * unknown), runtime ms. */
void
svproc_record_end(struct svproc *p, const char *event, pid_t pid, int st,
    int64_t runtime)
{
	char kv[128];

	(void)history_end_kv(kv, sizeof kv, pid, st, runtime);
	svproc_record(p, event, "%s", kv);
}

/* ./run could not be started (errno e): recorded in history as broken
 * when svcheck sees why (missing, not executable, its interpreter
 * missing), once per episode, not at every retry, else as spawnfail. 1
 * if why now says it for the caller's warning, 0 if it was said already,
 * -1 if only e tells. */
int
svproc_startfail(struct svproc *p, int e, char *why, size_t len)
{
	struct svcheck_prog chk;
	int was = p->broken;

	if (svcheck_prog(p->dir, "run", &chk) == 0 &&
	    chk.problem != SVCHECK_OK) {
		p->broken = 1;
		if (was)
			return 0;
		svcheck_prog_kv(&chk, "run", why, len);
		svproc_record(p, "broken", "%s", why);
		svcheck_prog_text(&chk, why, len);
		return 1;
	}
	if (diag_errname(e) != NULL)
		svproc_record(p, "spawnfail", "error=%s", diag_errname(e));
	else
		svproc_record(p, "spawnfail", "error=%d", e);
	return -1;
}

/* A start failed: it counts as a short run, down. */
void
svproc_nostart(struct svproc *p)
{
	p->exited = 0;
	p->shortruns++;
	p->pgid = 0;
	svproc_enter(p, SVS_DOWN);
}

/* The run ended at now: what is left of its process group gets TERM (and
 * CONT) now and KILL after timeout-kill, so that no stray child outlives
 * its service; 1 if there was something left. */
int
svproc_cleanup(struct svproc *p, int64_t now)
{
	if (p->pgid <= 0 || kill(-p->pgid, 0) == -1) {
		p->pgid = 0;	/* nothing left: no need to ask again */
		return 0;
	}
	svproc_record(p, "cleanup", "pgid=%d", (int)p->pgid);
	(void)kill(-p->pgid, SIGTERM);
	(void)kill(-p->pgid, SIGCONT);
	if (p->conf.timeout_kill > 0)
		p->killat = now + p->conf.timeout_kill;
	p->cleanupby = now + p->conf.timeout_kill + 2000;
	return 1;
}

/* Set up p's own directory sdir, for the process in dir: created
 * (following a dangling symlink, as runit does), locked for our whole
 * life, its FIFOs and history opened. 0, or the step that failed
 * (errno set). A history that cannot be opened is not fatal: the first
 * append says so. */
int
svproc_open(struct svproc *p)
{
	char path[64];

	if (fd_mkdir_follow(p->sdir, p->dir, 0700) == -1)
		return SVPROC_EMKDIR;
	if (path_join(path, sizeof path, p->sdir, "lock") == -1 ||
	    lock_acquire_grace(path, LOCK_GRACE_MS) == -1)
		return errno == EWOULDBLOCK ? SVPROC_EBUSY : SVPROC_ELOCK;
	if (svcontrol_open(p->sdir, &p->fifo) == -1)
		return SVPROC_EFIFO;
	if (history_open(&p->hist, p->sdir, HISTORY_BOUND) == -1)
		p->histerrno = errno;
	return 0;
}

/* Read p's config files (svconf_load) for a start: each invalid one is
 * recorded at every start; 1 if the caller should warn of them (the
 * first start of an episode), else 0. */
int
svproc_loadconf(struct svproc *p)
{
	unsigned i;
	int was = p->conferr;

	p->conferr = svconf_load(p->dir, &p->conf) == -1;
	for (i = 0; p->conferr && i < p->conf.nbad; i++)
		svproc_record(p, "config", "file=%s error=invalid value=%s",
		    p->conf.bads[i].file, p->conf.bads[i].value);
	return p->conferr && !was;
}

/* What a control byte's action m does to p's own fields: what is wanted,
 * the failed and paused marks, the TERM sent. The signals, stops and
 * starts are the caller's. */
void
svproc_apply(struct svproc *p, const struct svcmd *m)
{
	if ((m->act & ~(unsigned)SVA_SIGNAL) != 0 || m->want != p->want)
		p->dirty = 1;
	p->want = m->want;
	if (m->act & SVA_UNFAIL)
		p->failed = 0;
	if (m->act & SVA_GOTTERM)
		p->gotterm = 1;
	if (m->act & SVA_PAUSE)
		p->paused = 1;
	if (m->act & SVA_UNPAUSE)
		p->paused = 0;
}

/* The earliest of p's deadlines (NOTIME: none): its state's timer, the
 * KILL, its ./check's and its control/ script's. */
int64_t
svproc_deadline(const struct svproc *p)
{
	int64_t t = deadline_earliest(p->timer, p->killat);

	t = deadline_earliest(t, p->lazyat);
	t = deadline_earliest(t, p->checkat);
	t = deadline_earliest(t, svscript_deadline(&p->chk));
	return deadline_earliest(t, svscript_deadline(&p->ctl));
}

/* timeout-kill passed at now: KILL to the run's whole group. */
void
svproc_killtimer(struct svproc *p, int64_t now)
{
	if (p->killat > now)
		return;
	p->killat = NOTIME;
	if (p->pgid > 0 && kill(-p->pgid, SIGKILL) == 0)
		svproc_record(p, "kill", "pgid=%d", (int)p->pgid);
}

/* The next start comes after delay ms (backoff): WAIT, its due time in
 * the status record. */
void
svproc_delay(struct svproc *p, int64_t delay, int64_t now)
{
	struct timespec ts;

	svproc_record(p, "restart", "delay=%lld", (long long)delay);
	timefmt_now(&ts);
	p->due = ts;
	deadline_ts_add_ms(&p->due, delay);
	p->timer = now + delay;
	svproc_state(p, SVS_WAIT, &ts);
}

/* Change p's state now (svproc_state, stamped with the time of day). */
void
svproc_enter(struct svproc *p, enum svfsm_state s)
{
	struct timespec ts;

	timefmt_now(&ts);
	svproc_state(p, s, &ts);
}

/* Send sig to p's run, if one runs. */
void
svproc_signal(const struct svproc *p, int sig)
{
	if (svfsm_running(p->state) && p->pid > 0)
		(void)kill(p->pid, sig);
}

/* What the status record shows for state s: SV_DOWN, SV_RUN, SV_FINISH. */
int
svproc_visible(enum svfsm_state s)
{
	return svfsm_running(s) ? SV_RUN : s == SVS_FINISH ? SV_FINISH :
	    SV_DOWN;
}

/* The one state change: the status stamp moves to now only when the
 * visible state or the pid changes (a new run or finish), so "N seconds"
 * means what it means in runit; becoming ready (STARTING to RUN) keeps
 * it. */
void
svproc_state(struct svproc *p, enum svfsm_state s, const struct timespec *now)
{
	int before = svproc_visible(p->state);
	int readied = p->state == SVS_STARTING && s == SVS_RUN;

	p->state = s;
	if (svproc_visible(s) != before || (s == SVS_RUN && !readied) ||
	    s == SVS_FINISH)
		p->stamp = *now;
	p->dirty = 1;
	p->lazyat = NOTIME;	/* a new state is written at once */
}

/* The status record of p (svstatus.h). */
void
svproc_status(const struct svproc *p, struct svstatus *st)
{
	int up = svfsm_running(p->state) || p->state == SVS_FINISH;

	memset(st, 0, sizeof *st);
	st->stamp = p->stamp;
	st->state = svproc_visible(p->state);
	st->pid = (uint32_t)(svfsm_running(p->state) ? p->pid :
	    p->state == SVS_FINISH ? p->fpid : 0);
	st->runpid = (uint32_t)(up ? p->pid : 0);
	st->paused = p->paused;
	st->want = (char)svfsm_wantbyte(p->want);
	st->gotterm = p->gotterm;
	st->flags = (p->ready ? SVF_READY : 0) | (p->failed ? SVF_FAILED : 0) |
	    (p->want == SVW_ONCE ? SVF_ONCE : 0) |
	    (p->normallyup ? SVF_NORMALLYUP : 0) |
	    (p->want == SVW_EXIT ? SVF_EXIT : 0) |
	    (p->exited ? SVF_EXITED : 0) |
	    (p->conferr || p->broken ? SVF_CONFERR : 0) |
	    (p->state == SVS_WAIT ? SVF_WAITING : 0);
	st->xflags = p->done ? SVX_DONE : 0;
	st->wstatus = (uint32_t)p->wstatus;
	st->readystamp = p->readystamp;
	st->due = p->due;
	st->shortruns = p->shortruns;
	st->starts = p->starts;
	st->checkfailures = p->failures;
}

/* The facts svfsm decides on. */
void
svproc_facts(const struct svproc *p, struct svfacts *f)
{
	f->state = p->state;
	f->want = p->want;
	f->islog = p->islog;
	f->restart = p->conf.restart;
	f->max_restarts = p->conf.max_restarts;
	f->backoff_max = p->conf.backoff_max;
	f->shortruns = p->shortruns;
	f->cleanexit = p->exited && WIFEXITED(p->wstatus) &&
	    WEXITSTATUS(p->wstatus) == 0;
	f->checkdelay = p->checkdelay;
	f->check_interval = p->conf.check_interval;
	f->check_failures = p->conf.check_failures;
	f->failures = p->failures;
}

/* An adopted run carries on what the status record of an earlier
 * supervise said of it. */
void
svproc_resume(struct svproc *p, const struct svstatus *st)
{
	p->stamp = st->stamp;
	p->ready = (st->flags & SVF_READY) != 0;
	p->readystamp = st->readystamp;
	p->starts = st->starts;
	p->paused = st->paused;
	p->want = svfsm_want_from(st->want, (st->flags & SVF_ONCE) != 0);
	p->dirty = 1;
}

/* A process not yet started: down, wanted up unless ./down exists. */
void
svproc_init(struct svproc *p, const char *dir, const char *sdir,
    const char *name, int normallyup, const struct timespec *now)
{
	p->dir = dir;
	p->sdir = sdir;
	p->name = name;
	p->normallyup = normallyup;
	p->want = normallyup ? SVW_UP : SVW_DOWN;
	p->state = SVS_DOWN;
	p->timer = p->killat = p->lazyat = NOTIME;
	p->checkat = NOTIME;
	svscript_init(&p->chk);
	svscript_init(&p->ctl);
	p->notifyfd = -1;
	p->pidfd = -1;
	p->stamp = *now;
	p->dirty = 1;
}

/* ./run started as pid at now (ms; ts the same as a stamp), with the read
 * end of its readiness pipe or -1, and hascheck if ./check says when it is
 * ready; with neither it counts as ready at once. */
void
svproc_started(struct svproc *p, pid_t pid, int notifyfd, int hascheck,
    int64_t now, const struct timespec *ts)
{
	enum svfsm_state s = svfsm_startstate(hascheck, notifyfd != -1);

	p->pid = p->pgid = pid;
	p->broken = 0;
	p->notifyfd = notifyfd;
	p->started = now;
	p->starts++;
	p->gotterm = p->paused = 0;
	p->failed = p->done = 0;
	p->hascheck = hascheck;
	p->ready = s == SVS_RUN;
	if (p->ready)
		p->readystamp = *ts;
	p->killat = NOTIME;
	p->timer = NOTIME;
	p->checkat = NOTIME;
	p->checkdelay = 0;
	p->failures = 0;
	svproc_state(p, s, ts);
	p->stamp = *ts;		/* a new run, whatever came before */
	svproc_rearm(p, now);	/* its ready-timeout */
	svproc_record(p, "start", "pid=%d", (int)pid);
}

/* The run became ready at ts (its check passed, or its notification-fd
 * spoke). */
void
svproc_isready(struct svproc *p, const struct timespec *ts)
{
	p->ready = 1;
	p->readystamp = *ts;
	svproc_state(p, SVS_RUN, ts);
}

/* The run ended at now (ms) with wait status st (-1: unknown): what it
 * leaves behind. Its descriptors are the caller's to close. */
void
svproc_ended(struct svproc *p, int st, int64_t now)
{
	p->wstatus = st == -1 ? 0 : st;
	p->exited = st != -1;
	p->adopted = 0;
	p->shortruns = svfsm_shortruns(p->shortruns, now - p->started,
	    p->conf.min_uptime);
	p->ready = 0;
	p->paused = 0;
	p->gotterm = 0;
	p->failures = 0;
	p->killat = NOTIME;
}

/* Watch pid, a run that is not our child, as p's run: through a pidfd, or
 * where there is none, by a look every SVPROC_POLL_MS. */
static void
take(struct svproc *p, pid_t pid, int64_t now, const struct timespec *ts)
{
	p->pidfd = procinfo_pidfd(pid);
	p->pid = p->pgid = pid;
	p->adopted = 1;
	svproc_state(p, SVS_RUN, ts);
	svproc_rearm(p, now);
}

/* A previous supervise died and left its run going: take it over rather
 * than start a second instance. The run must still be the process the
 * status names: alive, a session leader (supervise setsids every run) and
 * started when the status says. Its exit status cannot be known, since it
 * is not our child. now in ms, ts the same as a stamp. The pid taken, or
 * 0. */
pid_t
svproc_adopt(struct svproc *p, int64_t now, const struct timespec *ts)
{
	struct svstatus st;
	int64_t age;
	pid_t pid;

	if (svstatus_read(p->sdir, &st) == -1 || st.version < 1 ||
	    st.state != SV_RUN || st.runpid == 0)
		return 0;
	pid = (pid_t)st.runpid;
	if (!procinfo_is_run(pid, (long long)st.stamp.tv_sec))
		return 0;
	(void)svconf_load(p->dir, &p->conf);
	take(p, pid, now, ts);
	svproc_resume(p, &st);
	/* When it started, to the millisecond: its ready-timeout and
	 * min-uptime count from there. */
	age = ((int64_t)ts->tv_sec - (int64_t)st.stamp.tv_sec) * 1000 +
	    ((int64_t)ts->tv_nsec - (int64_t)st.stamp.tv_nsec) / 1000000;
	p->started = now - (age > 0 ? age : 0);
	svproc_record(p, "adopt", "pid=%d", (int)pid);
	return pid;
}

/* A supervise killed between starting a run and writing its pid down
 * leaves a run no status names. Found by its end of the log pipe (pipefd,
 * as its descriptor fdnum: 1 for the service, 0 for the logger; the only
 * session leader holding it there), it is adopted rather than started a
 * second time. The pid taken, or 0. */
pid_t
svproc_orphan(struct svproc *p, int fdnum, int pipefd, int64_t now,
    const struct timespec *ts)
{
	struct svstatus st;
	struct stat sb;
	pid_t pid;

	if (p->state != SVS_DOWN || pipefd == -1 || fstat(pipefd, &sb) == -1 ||
	    procinfo_find_fd(fdnum, sb.st_dev, sb.st_ino, &pid) != 1)
		return 0;
	(void)svconf_load(p->dir, &p->conf);
	take(p, pid, now, ts);
	if (svstatus_read(p->sdir, &st) == 0)
		p->starts = st.starts;
	p->starts++;		/* the start no status counted */
	p->ready = p->conf.notification_fd < 0;
	p->stamp = p->readystamp = *ts;
	p->started = now;
	svproc_record(p, "adopt", "pid=%d found=logpipe", (int)pid);
	return pid;
}

/* When p's ready-timeout ends, for a run not ready yet and not being
 * stopped, counted from its start (an adopted run's too); else NOTIME. */
static int64_t
unready_at(const struct svproc *p)
{
	if (p->state == SVS_STARTING && !p->gotterm &&
	    p->conf.ready_timeout > 0)
		return p->started + p->conf.ready_timeout;
	return NOTIME;
}

/* p's timer while its run runs: the look at an adopted run where there is
 * no pidfd to tell of its end, and the ready-timeout, whichever comes
 * first. */
void
svproc_rearm(struct svproc *p, int64_t now)
{
	p->timer = deadline_earliest(p->adopted && p->pidfd == -1 ?
	    now + SVPROC_POLL_MS : NOTIME, unready_at(p));
}

/* Has p's ready-timeout passed, for a run not ready yet? */
int
svproc_unready(const struct svproc *p, int64_t now)
{
	int64_t t = unready_at(p);

	return t != NOTIME && now >= t;
}

/* Read p's readiness pipe: a newline means ready (s6's protocol); the
 * pipe is closed once it has said so, or closed or failed. 1 if p became
 * ready now (at ts), else 0. */
int
svproc_readiness(struct svproc *p, const struct timespec *ts)
{
	char buf[128];
	ssize_t r;

	r = fd_read(p->notifyfd, buf, sizeof buf);
	if ((r == -1 && errno == EAGAIN) ||
	    (r > 0 && memchr(buf, '\n', (size_t)r) == NULL))
		return 0;
	close(p->notifyfd);
	p->notifyfd = -1;
	if (r <= 0 || p->state != SVS_STARTING)
		return 0;
	svproc_isready(p, ts);
	p->timer = NOTIME;	/* the ready-timeout (a run with a readiness
				 * pipe is ours, never adopted) */
	svproc_record(p, "ready", "pid=%d via=fd", (int)p->pid);
	/* With notification-fd, ./check is the liveness check. */
	if (p->hascheck && p->conf.check_interval > 0)
		p->checkat = timefmt_now_ms() + p->conf.check_interval;
	return 1;
}

/* A spawn of ./run or ./finish (argv[0]) of p: in p's directory, with p's
 * stdin and stdout, in a session of its own. */
void
svproc_spawn(const struct svproc *p, struct spawn *sp, char **argv)
{
	spawn_init(sp, argv[0], argv);
	sp->cwd = p->dir;
	sp->fd[0] = p->fd[0];
	sp->fd[1] = p->fd[1];
	sp->setsid = 1;
}
