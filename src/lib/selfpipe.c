/* selfpipe: a handler writes the signal number to a non-blocking pipe; the
 * loop polls the read end and drains it with selfpipe_read(). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "selfpipe.h"

static int pipefd[2] = { -1, -1 };

static void
handler(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;

	/* A full pipe already holds a wakeup: losing this byte is harmless
	 * for SIGCHLD (the loop reaps everything); for others the loop
	 * drains often enough that the pipe (64 KiB) never fills. */
	(void)!write(pipefd[1], &c, 1);
	errno = e;
}

/* Create the pipe. Returns the descriptor to poll for reading. */
int
selfpipe_init(void)
{
	if (pipefd[0] != -1)
		return pipefd[0];
	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	return pipefd[0];
}

/* Catch sig into the pipe. Caught (not ignored) signals reset to the
 * default on exec, so children start clean. */
int
selfpipe_trap(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sa.sa_flags = SA_RESTART | (sig == SIGCHLD ? SA_NOCLDSTOP : 0);
	sigfillset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/* Ignore sig (children get default dispositions back from spawn). */
int
selfpipe_ignore(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

/* Next pending signal number, 0 when none is pending, -1 on error. */
int
selfpipe_read(void)
{
	unsigned char c;
	ssize_t r;

	do
		r = read(pipefd[0], &c, 1);
	while (r == -1 && errno == EINTR);
	if (r == 1)
		return c;
	if (r == -1 && errno == EAGAIN)
		return 0;
	return -1;
}
