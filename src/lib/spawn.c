/* spawn: vfork+exec that reports an exec failure back, so that the caller
 * learns "unable to start ./run: access denied" at once instead of seeing
 * an anonymous exit 127. vfork, because it copies nothing: a restart is
 * that much quicker, and a large svscan pays no more than a small one.
 * The child only makes system calls until it execs or _exits, with every
 * signal blocked until its dispositions are back to the defaults, so no
 * handler of ours ever runs in it. It resets only the signals selfpipe
 * knows are not at their default: a handful of system calls, not 64, on
 * every start. */
#include <sys/types.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "selfpipe.h"
#include "spawn.h"
#include "timefmt.h"

/* Reset sig to SIG_DFL. The C library refuses the signals it keeps for
 * itself (glibc's 32 and 33, which GNU make ignores and its children
 * inherit), so those go through the system call: an all-zero kernel
 * sigaction is SIG_DFL, no flags, empty mask, whatever its layout. */
static void
default_signal(int sig, const struct sigaction *sa)
{
	unsigned long ksa[8] = { 0 };

	if (sigaction(sig, sa, NULL) == 0 || sig == SIGKILL || sig == SIGSTOP)
		return;
#ifdef SYS_rt_sigaction
	(void)syscall(SYS_rt_sigaction, sig, ksa, NULL, (size_t)(NSIG - 1) / 8);
#else
	(void)ksa;
#endif
}

/* In the vforked child: set up and exec, or leave errno in *err (the
 * parent's memory) and _exit. */
static void
child(const struct spawn *sp, uint64_t reset, volatile int *err)
{
	struct sigaction sa;
	sigset_t set;
	int i, low, src[4];

	/* The group first, and the terminal while SIGTTOU is still blocked:
	 * tcsetpgrp() from a background group would stop us otherwise. */
	if (sp->pgroup && setpgid(0, 0) == -1)
		goto fail;
	if (sp->pgroup && sp->ttyfg) {
		sigemptyset(&set);
		sigaddset(&set, SIGTTOU);
		(void)sigprocmask(SIG_BLOCK, &set, NULL);
		(void)tcsetpgrp(0, getpid());
	}
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	for (i = 1; i < NSIG; i++)
		if (reset & (uint64_t)1 << (i - 1))
			default_signal(i, &sa);
	sigemptyset(&set);
	(void)sigprocmask(SIG_SETMASK, &set, NULL);
	if (sp->setsid && setsid() == -1)
		goto fail;
	if (sp->cwd != NULL && chdir(sp->cwd) == -1)
		goto fail;
	/* Every source first goes at or above "low", past every target;
	 * then each source is placed. Any overlap between sources and
	 * targets (a swap, /dev/null sitting on the number asked for the
	 * readiness pipe) then comes out right. */
	low = 3;
	if (sp->extrafd != -1 && sp->extrato >= low)
		low = sp->extrato + 1;
	for (i = 0; i < 4; i++) {
		src[i] = i < 3 ? sp->fd[i] : sp->extrafd;
		if (src[i] != -1 && src[i] < low &&
		    (src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, low)) == -1)
			goto fail;
	}
	for (i = 0; i < 4; i++)
		if (src[i] != -1 &&
		    dup2(src[i], i < 3 ? i : sp->extrato) == -1)
			goto fail;
	if (sp->usepath)
		execvp(sp->path, sp->argv);
	else
		execv(sp->path, sp->argv);
fail:
	*err = errno != 0 ? errno : EINVAL;
	_exit(127);
}

/* A spawn of path with argv that changes nothing: every descriptor kept
 * (-1), no extra one, no session or group, path not searched. Callers set
 * what they need on top; none builds a struct spawn by hand. */
void
spawn_init(struct spawn *sp, const char *path, char *const *argv)
{
	memset(sp, 0, sizeof *sp);
	sp->path = path;
	sp->argv = argv;
	sp->fd[0] = sp->fd[1] = sp->fd[2] = -1;
	sp->extrafd = sp->extrato = -1;
}

/* Start sp. Returns the pid; -1 with errno set when vfork failed or the
 * program could not be executed (the failed child is reaped here). */
pid_t
spawn_run(const struct spawn *sp)
{
	volatile int err = 0;
	uint64_t reset = selfpipe_nondefault();
	sigset_t all, old;
	pid_t pid;
	int e, st;

	sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0)
		child(sp, reset, &err);
	e = errno;
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid == -1) {
		errno = e;
		return -1;
	}
	/* The child has exec'd or _exited by now. Also here, as shells
	 * do: the group exists once we return. EACCES (it has exec'd) is
	 * fine. */
	if (sp->pgroup && err == 0)
		(void)setpgid(pid, pid);
	if (err != 0) {
		e = err;
		(void)spawn_wait(pid, &st);
		errno = e;
		return -1;
	}
	/* The child is past the point where vfork lets us go on, but its
	 * exec is not finished: the ELF is still being loaded. Woken on the
	 * same CPU, we would preempt it and do all our bookkeeping (the
	 * history, status and pid files) first, while the other CPU idles:
	 * 0.15 to 0.22 ms off every restart (perf sched timehist). Yield,
	 * so that the new program runs first; with nothing else to run on
	 * this CPU, this returns at once. */
	(void)sched_yield();
	return pid;
}

/* Wait for child pid to end, through signals (EINTR), its status in *st
 * (NULL: not wanted). Returns pid, or -1 with errno (ECHILD: not ours, or
 * reaped already). The event loops reap with WNOHANG instead: this is for
 * a child whose end the caller has nothing else to do but wait for. */
pid_t
spawn_wait(pid_t pid, int *st)
{
	pid_t r;

	while ((r = waitpid(pid, st, 0)) == -1 && errno == EINTR)
		;
	return r;
}

/*
 * Run sp to its end in the foreground. Returns its wait status, or -1 with
 * errno when it could not be started or poll() failed. Every other child
 * that ends meanwhile is reaped and ignored (a subreaper's orphans).
 * Signals come from the self-pipe sigfd, which must trap SIGCHLD (or the
 * end is never seen): one that stops(sig) names is passed on as SIGTERM
 * and *stopped set; the others are dropped. limit ms after the start (0:
 * none), its process group (set sp->pgroup) is killed and *killed set.
 */
int
spawn_foreground(const struct spawn *sp, int sigfd, int64_t limit,
    int (*stops)(int), int *stopped, int *killed)
{
	struct pollfd pfd;
	int64_t end, now;
	pid_t pid, r;
	int st = 0, ws, sig, gone = 0;

	if ((pid = spawn_run(sp)) == -1)
		return -1;
	end = limit > 0 ? timefmt_now_ms() + limit : NOTIME;
	while (!gone) {
		now = timefmt_now_ms();
		if (now >= end) {
			(void)kill(-pid, SIGKILL);
			*killed = 1;
			end = NOTIME;
		}
		pfd.fd = sigfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, deadline_timeout(end, now)) == -1 &&
		    errno != EINTR)
			return -1;
		while ((sig = selfpipe_read()) > 0)
			if (stops(sig)) {
				*stopped = 1;
				(void)kill(pid, SIGTERM);
			}
		while ((r = waitpid(-1, &ws, WNOHANG)) > 0)
			if (r == pid) {
				st = ws;
				gone = 1;
			}
	}
	return st;
}

/* Take the terminal's foreground back for our process group, from a
 * child given it (ttyfg) that has ended. SIGTTOU is blocked meanwhile: a
 * background group's tcsetpgrp() would stop us otherwise. */
void
spawn_tty_back(void)
{
	sigset_t set, old;

	sigemptyset(&set);
	sigaddset(&set, SIGTTOU);
	(void)sigprocmask(SIG_BLOCK, &set, &old);
	(void)tcsetpgrp(0, getpgrp());
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
}
