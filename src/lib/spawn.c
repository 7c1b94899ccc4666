/* spawn: fork+exec that reports exec failure through a close-on-exec pipe,
 * so that the caller learns "unable to start ./run: access denied" at once
 * instead of seeing an anonymous exit 127. */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "fdutil.h"
#include "spawn.h"

static void
child(const struct spawn *sp, int errfd)
{
	struct sigaction sa;
	sigset_t set;
	int e, i, sig;

	sa.sa_handler = SIG_DFL;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&set);
	(void)sigprocmask(SIG_SETMASK, &set, NULL);
	if (sp->setsid && setsid() == -1)
		goto fail;
	if (sp->cwd != NULL && chdir(sp->cwd) == -1)
		goto fail;
	/* The exec-error pipe may have got the number extrato (or one of
	 * 0..2 when we run with them closed): move it out of the way, or
	 * placing the descriptors would clobber it and hide exec errors. */
	if (errfd < 3 || (sp->extrafd != -1 && errfd == sp->extrato)) {
		i = sp->extrafd != -1 && sp->extrato >= 3 ? sp->extrato + 1 : 3;
		if ((e = fcntl(errfd, F_DUPFD_CLOEXEC, i)) == -1)
			goto fail;
		errfd = e;
	}
	/* Move the extra fd out of the way of 0..2 first, then place 0..2. */
	if (sp->extrafd != -1) {
		for (i = 0; i < 3; i++)
			if (sp->fd[i] == sp->extrato)
				goto badfd;
		if (fd_move(sp->extrato, sp->extrafd) == -1)
			goto fail;
	}
	for (i = 0; i < 3; i++)
		if (sp->fd[i] != -1 && fd_move(i, sp->fd[i]) == -1)
			goto fail;
	if (sp->usepath)
		execvp(sp->path, sp->argv);
	else
		execv(sp->path, sp->argv);
fail:
	e = errno;
	(void)!write(errfd, &e, sizeof e);
	_exit(127);
badfd:
	e = EBADF;
	(void)!write(errfd, &e, sizeof e);
	_exit(127);
}

/* Start sp. Returns the pid; -1 with errno set when fork failed or the
 * program could not be executed (the failed child is reaped here). */
pid_t
spawn_run(const struct spawn *sp)
{
	int p[2], e, st;
	pid_t pid;
	ssize_t r;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	pid = fork();
	if (pid == -1) {
		e = errno;
		close(p[0]);
		close(p[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(sp, p[1]);
	}
	close(p[1]);
	r = fd_read(p[0], &e, sizeof e);
	close(p[0]);
	if (r == (ssize_t)sizeof e) {
		while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
			;
		errno = e;
		return -1;
	}
	return pid;
}
