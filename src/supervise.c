/*
 * supervise DIR: keep one service directory's ./run, and its log/run if
 * DIR/log exists, running.
 *
 * Owns, under DIR/supervise/ (and DIR/log/supervise/ for the logger):
 * lock, control and ok FIFOs, status, stat, pid, history; and
 * DIR/supervise/logpipe, the named FIFO from the service's stdout to the
 * logger's stdin. supervise holds both ends of it for its whole life, so
 * that neither side's restart loses a line or raises SIGPIPE.
 *
 * Each supervised process (service, logger) is a small state machine
 * (doc/HACKING.md, "supervise's states"): its decisions are pure functions
 * in src/lib/svfsm.c, its bookkeeping in src/lib/svproc.c, its ./check in
 * svhealth.c, runit's control/ scripts in svcustom.c; this file carries
 * out the actions (signals, spawns, timers). One poll() loop over the
 * self-pipe, the control FIFOs and the readiness pipes drives it, with a
 * deadline from the processes' timers; with none armed, it sleeps without
 * a timeout: an idle supervise makes no system call.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "diag.h"
#include "fdutil.h"
#include "logpipe.h"
#include "path.h"
#include "selfpipe.h"
#include "spawn.h"
#include "svcheck.h"
#include "svconf.h"
#include "svcustom.h"
#include "svfsm.h"
#include "svhealth.h"
#include "svproc.h"
#include "svstatus.h"
#include "timefmt.h"

#define USAGE	"supervise DIR"
#define DRAIN_MS	1000	/* exiting: how often to look at the log pipe */
#define LAZY_MS		10	/* a stopping run's status waits this long */

struct sv {
	struct svproc	 svc, log;
	int		 haslog;
	int		 pipew;		/* our write end of the log pipe */
	int		 pipeheld;	/* at start, someone else read it */
	int64_t		 drainat;	/* exiting: check the logger then */
	int		 devnull;
};

static void	proc_start(struct sv *, struct svproc *, int64_t);
static void	proc_stop(struct svproc *, int, int64_t);

/* Append p's queued history, then write its status record if out of
 * date (and not held back by lazyat), each failure warned once per
 * episode: both after the action they tell of, the history first, so
 * that a reader who sees the status finds the records that led to it. */
static void
write_status(struct svproc *p, int64_t now)
{
	struct svstatus st;

	if (p->lazyat != NOTIME && p->lazyat > now)
		return;		/* held back; its history with it */
	p->lazyat = NOTIME;
	if (svproc_flush(p) == -1)
		warn_sys("unable to append to %s/history", p->sdir);
	if (!p->dirty)
		return;
	svproc_status(p, &st);
	/* A directory removed under an exiting supervise (svscan saw it
	 * go) is expected, not worth a word. */
	if (svstatus_write_cached(p->sdir, &st, &p->statcache) == -1) {
		if (!p->statuserr && !(p->want == SVW_EXIT && errno == ENOENT))
			warn_sys("unable to write %s/status", p->sdir);
		p->statuserr = 1;
	} else
		p->statuserr = 0;
	p->dirty = 0;
}

/* The run, its finish and its process group are all gone: carry out what
 * svfsm_settle decides (start again, wait, or stay down). */
static void
proc_settle(struct sv *sv, struct svproc *p, int64_t now)
{
	struct svfacts f;
	struct svnext n;

	p->pgid = 0;
	p->pid = 0;
	p->killat = NOTIME;
	p->timer = NOTIME;
	svproc_facts(p, &f);
	n = svfsm_settle(&f);
	p->want = n.want;
	switch (n.what) {
	case SVE_DONE:
		p->done = 1;
		break;
	case SVE_FAILED:
		p->failed = 1;
		svproc_record(p, "failed", "shortruns=%u", p->shortruns);
		warn_x("%s failed %u times in a row, leaving it down", p->name,
		    p->shortruns);
		break;
	case SVE_START:
		proc_start(sv, p, now);
		return;
	case SVE_DELAY:
		svproc_delay(p, n.delay, now);
		return;
	case SVE_DOWN:
		break;
	}
	svproc_enter(p, SVS_DOWN);
}

/* After the run and any ./finish: empty the process group, then settle.
 * The wait is bounded, 2 s past the SIGKILL (or past the TERM with
 * timeout-kill 0): members that ignore TERM when we may not KILL, or
 * zombies of a parent that never reaps, would hold it forever. */
static void
proc_after(struct sv *sv, struct svproc *p, int64_t now)
{
	p->fpid = 0;
	if (p->pgid > 0 && kill(-p->pgid, 0) == -1)
		p->pgid = 0;		/* the group is empty */
	if (p->pgid > 0 && now >= p->cleanupby) {
		warn_x("process group %d of %s is still not empty, going on",
		    (int)p->pgid, p->name);
		p->pgid = 0;
	}
	if (p->pgid > 0) {
		if (p->state != SVS_CLEANUP) {
			svproc_enter(p, SVS_CLEANUP);
			p->timer = now + SVPROC_POLL_MS;
		}
		return;
	}
	proc_settle(sv, p, now);
}

/* ./run could not be started (errno e): say why, once per episode when
 * svcheck can tell (svproc_startfail). */
static void
start_failed(struct svproc *p, int e)
{
	char why[SVCHECK_INTERP_MAX + 64];
	int r = svproc_startfail(p, e, why, sizeof why);

	errno = e;
	if (r == 1)
		warn_x("unable to start %s: %s", p->name, why);
	else if (r == -1)
		warn_sys("unable to start %s", p->name);
}

/* ./check ended with wait status st (svhealth_ended; -1: it could not
 * run): an unhealthy run is stopped as by t. */
static void
check_ended(struct svproc *p, int st, int64_t now)
{
	if (svhealth_ended(p, st, now))
		proc_stop(p, 0, now);
}

/* Run ./check for p now. */
static void
check_run(struct sv *sv, struct svproc *p, int64_t now)
{
	if (svhealth_run(p, sv->devnull, now) == -1) {
		warn_sys("unable to start %s/check", p->dir);
		check_ended(p, -1, now);
	}
}

/* Start control/LETTER for control byte c (svcustom_start); 1 if it
 * runs. */
static int
script_start(struct svproc *p, int letter, int c, int64_t now)
{
	int r = svcustom_start(p, letter, c, now);

	if (r == -1)
		warn_sys("unable to start control/%c", letter);
	return r == 1;
}

/* Start ./run (or log/run), after control/u if there is one (as in
 * runit, before every start). While a control/ script runs, the start
 * waits for it in WAIT with no timer. A failure to execute counts as a
 * short run. */
static void
proc_start(struct sv *sv, struct svproc *p, int64_t now)
{
	char *argv[] = { "./run", NULL };
	struct timespec ts;
	struct spawn sp;
	int np[2] = { -1, -1 };
	pid_t pid;
	unsigned i;
	int chk, warn;

	if (p->ctl.pid > 0 || (!p->prestarted && script_start(p, 'u', 0, now))) {
		p->timer = NOTIME;
		if (p->state != SVS_WAIT)
			svproc_enter(p, SVS_WAIT);
		return;
	}
	p->prestarted = 0;
	for (i = 0, warn = svproc_loadconf(p); warn && i < p->conf.nbad; i++)
		warn_x("invalid %s/%s \"%s\", using its default", p->dir,
		    p->conf.bads[i].file, p->conf.bads[i].value);
	if (p->conf.notification_fd >= 0 &&
	    pipe2(np, O_CLOEXEC | O_NONBLOCK) == -1) {
		warn_sys("unable to create the readiness pipe");
		np[0] = np[1] = -1;
	}
	svproc_spawn(p, &sp, argv);
	sp.extrafd = np[1];
	sp.extrato = p->conf.notification_fd;
	pid = spawn_run(&sp);
	if (np[1] != -1)
		close(np[1]);
	if (pid == -1) {
		int e = errno;

		if (np[0] != -1)
			close(np[0]);
		start_failed(p, e);
		svproc_nostart(p);
		proc_settle(sv, p, now);
		return;
	}
	timefmt_now(&ts);
	chk = svhealth_exists(p);
	svproc_started(p, pid, np[0], chk && np[0] == -1, now, &ts);
	if (svhealth_started(p, chk, now))
		check_run(sv, p, now);
}

/* Send the down signal (none when quiet: a control/t stood in for it),
 * then CONT, to a run and arm SIGKILL after timeout-kill. */
static void
proc_stop(struct svproc *p, int quiet, int64_t now)
{
	if (!svfsm_running(p->state))
		return;
	if (!quiet) {
		svproc_signal(p, p->conf.down_signal);
		p->gotterm = 1;
	}
	svproc_signal(p, SIGCONT);
	p->paused = 0;
	p->dirty = 1;
	if (p->conf.timeout_kill > 0 && p->killat == NOTIME)
		p->killat = now + p->conf.timeout_kill;
}

/* Carry out what svfsm_control decides control byte c does to p, quiet
 * when a control/ script stood in for its signal; then the control/ script
 * that follows the action, if any. */
static void
command_do(struct sv *sv, struct svproc *p, int c, int quiet, int64_t now)
{
	struct svfacts f;
	struct svcmd m;
	int post;

	svproc_facts(p, &f);
	m = svfsm_control(&f, c);
	post = svfsm_postscript(&f, &m);
	if (quiet)
		m = svfsm_quiet(m);
	svproc_apply(p, &m);
	if (m.event != NULL && (m.act & SVA_SIGNAL))
		svproc_record(p, m.event, "sig=%s pid=%d", svconf_signal_name(m.sig),
		    (int)p->pid);
	else if (m.event != NULL)
		svproc_record(p, m.event, NULL);
	if (m.act & SVA_SIGNAL)
		svproc_signal(p, m.sig);
	if (m.act & SVA_STOP)
		proc_stop(p, (m.act & SVA_QUIET) != 0, now);
	if (m.act & SVA_CANCEL) {
		p->timer = NOTIME;
		svproc_enter(p, SVS_DOWN);
	}
	if (m.act & SVA_START)
		proc_start(sv, p, now);
	if (post != 0)
		(void)script_start(p, post, 0, now);
	/* A run told to stop usually ends within moments: its end is then
	 * the one status written, not "got TERM" just before it. */
	if ((m.act & (SVA_STOP | SVA_GOTTERM)) && svfsm_running(p->state))
		p->lazyat = now + LAZY_MS;
}

/* Control byte c for p: its control/ script first, if one stands in for
 * its signal (command_do follows when it ends), else its action now. */
static void
command(struct sv *sv, struct svproc *p, int c, int64_t now)
{
	struct svfacts f;
	struct svcmd m;
	int pre;

	svproc_facts(p, &f);
	m = svfsm_control(&f, c);
	if ((pre = svfsm_prescript(&f, c, &m)) == 0 ||
	    !script_start(p, pre, c, now))
		command_do(sv, p, c, 0, now);
}

/* Handle p's control bytes until none is left or a control/ script
 * runs (svcustom_next). */
static void
control(struct sv *sv, struct svproc *p, int64_t now)
{
	int c;

	while ((c = svcustom_next(p)) != -1)
		command(sv, p, c, now);
}

/* A control/ script ended: carry out the byte c it stood in for, then
 * the start that waited for it (after control/u: the start it ran
 * before), then the bytes that waited, as runsv would have. */
static void
script_ended(struct sv *sv, struct svproc *p, int c, int quiet, int64_t now)
{
	if (c != 0)
		command_do(sv, p, c, quiet, now);
	if (p->ctl.pid == 0 && p->state == SVS_WAIT && p->timer == NOTIME)
		proc_start(sv, p, now);
	p->prestarted = 0;	/* used, or the start is off */
	control(sv, p, now);
}

/* The run ended: record it, clean its process group, run ./finish.
 * st is the wait status, or -1 when unknown (an adopted run). */
static void
run_ended(struct sv *sv, struct svproc *p, int st, int64_t now)
{
	char code[16], sig[16];
	char *argv[] = { "./finish", code, sig, NULL };
	struct spawn sp;
	pid_t pid;

	svproc_record_end(p, "exit", p->pid, st, now - p->started);
	svproc_ended(p, st, now);
	svhealth_cancel(p);
	if (p->pidfd != -1)
		close(p->pidfd);
	if (p->notifyfd != -1)
		close(p->notifyfd);
	p->pidfd = p->notifyfd = -1;
	(void)svproc_cleanup(p, now);
	if (!path_isexec(p->dir, "finish")) {
		proc_after(sv, p, now);
		return;
	}
	snprintf(code, sizeof code, "%d",
	    st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	snprintf(sig, sizeof sig, "%d",
	    st != -1 && WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	svproc_spawn(p, &sp, argv);
	if ((pid = spawn_run(&sp)) == -1) {
		warn_sys("unable to start %s/finish", p->dir);
		proc_after(sv, p, now);
		return;
	}
	p->fpid = pid;
	p->started = now;
	p->timer = p->conf.timeout_finish > 0 ? now + p->conf.timeout_finish :
	    NOTIME;
	svproc_enter(p, SVS_FINISH);
}

/* Dispatch one reaped child. Orphans reparented to us (we are a child
 * subreaper) are reaped and otherwise ignored. */
static void
reaped(struct sv *sv, pid_t pid, int st, int64_t now)
{
	struct svproc *ps[2] = { &sv->svc, &sv->log };
	struct svproc *p;
	int i, c, quiet;

	for (i = 0; i < 2; i++) {
		p = ps[i];
		if (svfsm_running(p->state) && pid == p->pid) {
			run_ended(sv, p, st, now);
			return;
		}
		if (svscript_reaped(&p->chk, pid)) {
			check_ended(p, st, now);
			return;
		}
		if ((c = svcustom_ended(p, pid, st, now, &quiet)) != -1) {
			script_ended(sv, p, c, quiet, now);
			return;
		}
		if (p->state == SVS_FINISH && pid == p->fpid) {
			svproc_record_end(p, "finish", pid, st, now - p->started);
			p->timer = NOTIME;
			proc_after(sv, p, now);
			return;
		}
	}
}

/* Deadlines of p that have passed. */
static void
timers(struct sv *sv, struct svproc *p, int64_t now)
{
	svproc_killtimer(p, now);
	if (svcustom_overdue(p, now))
		warn_x("control/%c ran past timeout-finish, stopping it",
		    p->ctlletter);
	svscript_timers(&p->ctl, now);
	if (svhealth_due(p, now))
		check_run(sv, p, now);
	if (p->timer > now)
		return;
	p->timer = NOTIME;
	switch (p->state) {
	case SVS_WAIT:
		proc_start(sv, p, now);
		break;
	case SVS_STARTING:
	case SVS_RUN:
		/* An adopted run on a kernel without pidfd, a ready-timeout
		 * (stopped as by t, restarted by the policy), or both. */
		if (p->adopted && kill(p->pid, 0) == -1) {
			run_ended(sv, p, -1, now);
			break;
		}
		if (svproc_unready(p, now)) {
			svproc_record(p, "unready", "pid=%d after=%lld",
			    (int)p->pid, (long long)p->conf.ready_timeout);
			proc_stop(p, 0, now);
		}
		svproc_rearm(p, now);
		break;
	case SVS_FINISH:
		warn_x("%s/finish ran past timeout-finish, killing it", p->dir);
		(void)kill(-p->fpid, SIGKILL);
		break;
	case SVS_CLEANUP:
		proc_after(sv, p, now);
		if (p->state == SVS_CLEANUP)
			p->timer = now + SVPROC_POLL_MS;
		break;
	default:
		break;
	}
}

/* Take over a run an earlier supervise left (svproc_adopt), or one no
 * status names, found by its end of the log pipe (svproc_orphan): its
 * checks go on (svhealth_adopted). */
static void
proc_adopt(struct svproc *p, int fdnum, int pipefd)
{
	struct timespec ts;
	int64_t now = timefmt_now_ms();

	timefmt_now(&ts);
	if ((fdnum == -1 ? svproc_adopt(p, now, &ts) :
	    svproc_orphan(p, fdnum, pipefd, now, &ts)) > 0)
		(void)svhealth_adopted(p, now);
}

/* Set up p, for dir/run with its own directory sdir (svproc_open). */
static void
proc_init(struct svproc *p, const char *dir, const char *sdir, const char *name)
{
	struct timespec ts;

	timefmt_now(&ts);
	svproc_init(p, dir, sdir, name, !path_exists(dir, "down"), &ts);
	switch (svproc_open(p)) {
	case SVPROC_EMKDIR:
		die_sys(EXIT_TEMP, "unable to create %s", sdir);
	case SVPROC_EBUSY:
		die_x(EXIT_TEMP, "unable to acquire %s/lock: another "
		    "supervise is running", sdir);
	case SVPROC_ELOCK:
		die_sys(EXIT_TEMP, "unable to acquire %s/lock", sdir);
	case SVPROC_EFIFO:
		die_sys(EXIT_TEMP, "unable to open the FIFOs in %s", sdir);
	}
}

/* The named pipe between service and logger, both ends held by us. */
static void
pipe_setup(struct sv *sv)
{
	const char *path = "supervise/logpipe";
	int r, w;

	if (logpipe_open(path, &r, &w, &sv->pipeheld) == -1) {
		if (errno == EINVAL)
			die_x(EXIT_TEMP, "unable to use %s: not a FIFO", path);
		die_sys(EXIT_TEMP, "unable to open %s", path);
	}
	sv->log.fd[0] = r;
	sv->log.fd[1] = 1;
	sv->svc.fd[1] = w;
	sv->pipew = w;
}

/* Exiting, the logger still runs: once the pipe is empty, someone else
 * must hold its write end (a run we could not adopt), so the logger would
 * never see end of input. Stop it then rather than wait forever. */
static void
drain_check(struct sv *sv, int64_t now)
{
	if (logpipe_empty(sv->log.fd[0]) && svfsm_running(sv->log.state)) {
		warn_x("the log pipe is empty but log/run has not seen its end, "
		    "stopping it");
		proc_stop(&sv->log, 0, now);
		sv->drainat = NOTIME;
	} else
		sv->drainat = now + DRAIN_MS;
}

/* Run the loop until told to exit and everything is down. */
static void
loop(struct sv *sv, int sigfd)
{
	struct svproc *ps[2] = { &sv->svc, &sv->log };
	struct pollfd pfd[7];
	struct timespec ts;
	int64_t now, next;
	int i, n, sig, st, nfd;
	int ci[2], ni[2], pi[2];	/* each proc's slots in pfd, or -1 */
	pid_t pid;

	for (;;) {
		now = timefmt_now_ms();
		for (i = 0; i < 2; i++)
			write_status(ps[i], now);
		if (sv->svc.want == SVW_EXIT && sv->svc.state == SVS_DOWN &&
		    sv->svc.ctl.pid == 0) {
			/* Let the logger drain: our write end is the last
			 * one, so closing it gives it end of input. */
			if (sv->pipew != -1) {
				close(sv->pipew);
				sv->pipew = sv->svc.fd[1] = -1;
				if (sv->log.want == SVW_UP)
					sv->log.want = SVW_DOWN;
				sv->log.dirty = 1;
				sv->drainat = now + DRAIN_MS;
				if (sv->log.state == SVS_WAIT)
					proc_start(sv, &sv->log, now);
				continue;
			}
			if (!sv->haslog || sv->log.state == SVS_DOWN)
				return;
			if (now >= sv->drainat)
				drain_check(sv, now);
		}
		/* drainat means something only once the log pipe is closed:
		 * without a log/, pipew is -1 from the start, and a deadline
		 * of 0 would spin poll() while the service stops. */
		next = sv->svc.want == SVW_EXIT && sv->haslog && sv->pipew == -1 ?
		    sv->drainat : NOTIME;
		nfd = 0;
		pfd[nfd].fd = sigfd;
		pfd[nfd++].events = POLLIN;
		for (i = 0; i < 2; i++) {
			ci[i] = ni[i] = pi[i] = -1;
			if (i == 1 && !sv->haslog)
				break;
			next = deadline_earliest(next, svproc_deadline(ps[i]));
			/* While a control/ script runs, bytes wait in the
			 * FIFO. */
			ci[i] = fd_pollin(pfd, &nfd, ps[i]->ctl.pid > 0 ? -1 :
			    ps[i]->fifo.ctl);
			ni[i] = fd_pollin(pfd, &nfd, ps[i]->notifyfd);
			pi[i] = fd_pollin(pfd, &nfd, ps[i]->pidfd);
		}
		n = poll(pfd, (nfds_t)nfd, deadline_timeout(next, now));
		if (n == -1) {
			if (errno != EINTR)
				die_sys(EXIT_TEMP, "unable to poll");
			continue;
		}
		now = timefmt_now_ms();
		/* Only what poll() reported is read: a wakeup costs the
		 * system calls its event needs and no more. */
		if (pfd[0].revents) {
			while ((sig = selfpipe_read()) > 0)
				/* SIGTERM means x; it waits for a control/
				 * script as the FIFO's bytes do. */
				if (sig == SIGTERM &&
				    !svcustom_defer(&sv->svc, 'x'))
					command(sv, &sv->svc, 'x', now);
			while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
				reaped(sv, pid, st, now);
		}
		for (i = 0; i < (sv->haslog ? 2 : 1); i++) {
			if (ci[i] != -1 && pfd[ci[i]].revents)
				control(sv, ps[i], now);
			/* The fds checked below may have been closed (the run
			 * ended) since poll(): act only if still the same. */
			if (ni[i] != -1 && pfd[ni[i]].revents &&
			    pfd[ni[i]].fd == ps[i]->notifyfd) {
				timefmt_now(&ts);
				(void)svproc_readiness(ps[i], &ts);
			}
			if (pi[i] != -1 && pfd[pi[i]].revents &&
			    pfd[pi[i]].fd == ps[i]->pidfd &&
			    svfsm_running(ps[i]->state))
				run_ended(sv, ps[i], -1, now);
			timers(sv, ps[i], now);
			if (ps[i]->state == SVS_CLEANUP)
				proc_after(sv, ps[i], now);
		}
	}
}

int
main(int argc, char **argv)
{
	static char prefix[256];
	struct sv sv;
	struct stat sb;
	int sigfd;

	diag_init("supervise");
	if (argc == 2 && strcmp(argv[1], "-h") == 0)
		diag_help(USAGE);
	if (argc == 2 && strcmp(argv[1], "-V") == 0)
		diag_version("supervise");
	if (argc != 2 || argv[1][0] == '\0' || argv[1][0] == '-')
		die_usage(USAGE);
	snprintf(prefix, sizeof prefix, "supervise %s", argv[1]);
	diag_init(prefix);
	fd_cloexec_from(3);
	if (chdir(argv[1]) == -1)
		die_sys(EXIT_TEMP, "unable to change to %s", argv[1]);
	memset(&sv, 0, sizeof sv);
	sv.pipew = -1;
	if ((sv.devnull = openat(AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC)) == -1)
		die_sys(EXIT_TEMP, "unable to open /dev/null");
	if ((sigfd = selfpipe_init()) == -1 || selfpipe_trap(SIGCHLD) == -1 ||
	    selfpipe_trap(SIGTERM) == -1 || selfpipe_ignore(SIGPIPE) == -1)
		die_sys(EXIT_TEMP, "unable to set up signals");
#ifdef PR_SET_CHILD_SUBREAPER
	/* Orphans of the service come to us, so that we see its process
	 * group empty without polling. */
	(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#endif
	proc_init(&sv.svc, ".", "supervise", "./run");
	sv.svc.fd[0] = sv.devnull;
	sv.svc.fd[1] = -1;
	sv.haslog = stat("log", &sb) == 0 && S_ISDIR(sb.st_mode);
	if (sv.haslog) {
		proc_init(&sv.log, "log", "log/supervise", "log/run");
		sv.log.islog = 1;
		pipe_setup(&sv);
	}
	proc_adopt(&sv.svc, -1, -1);
	if (sv.haslog) {
		proc_adopt(&sv.log, -1, -1);
		if (sv.pipeheld) {
			proc_adopt(&sv.svc, 1, sv.pipew);
			proc_adopt(&sv.log, 0, sv.log.fd[0]);
		}
	}
	if (sv.haslog && sv.log.want == SVW_UP && sv.log.state == SVS_DOWN)
		proc_start(&sv, &sv.log, timefmt_now_ms());
	if (sv.svc.want == SVW_UP && sv.svc.state == SVS_DOWN)
		proc_start(&sv, &sv.svc, timefmt_now_ms());
	loop(&sv, sigfd);
	return 0;
}
