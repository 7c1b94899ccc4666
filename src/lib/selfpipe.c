/* selfpipe: a handler writes the signal number to a non-blocking pipe; the
 * loop polls the read end and drains it with selfpipe_read(). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "selfpipe.h"

/* Signal numbers 1 to 64 as bits 0 to 63: glibc's sigset_t refuses its
 * own 32 and 33, which an inherited SIG_IGN can still hold. */
#define BIT(sig)	((uint64_t)1 << ((sig) - 1))
typedef char nsig_fits[NSIG <= 65 ? 1 : -1];

static int pipefd[2] = { -1, -1 };
static uint64_t nondefault;	/* trapped or ignored through us */
static int queried;		/* and the others looked at */

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

/* Which signals are not at SIG_DFL now: those inherited ignored (a shell
 * ignores SIGINT for a background job, GNU make 32 and 33), and any a
 * failed query leaves in doubt. */
static uint64_t
query(void)
{
	struct sigaction old;
	uint64_t m = 0;
	int i;

	for (i = 1; i < NSIG; i++) {
		if (i == SIGKILL || i == SIGSTOP)
			continue;
		if (sigaction(i, NULL, &old) == -1 ||
		    old.sa_handler != SIG_DFL)
			m |= BIT(i);
	}
	return m;
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
	nondefault |= BIT(sig);
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
	nondefault |= BIT(sig);
	return sigaction(sig, &sa, NULL);
}

/* The signals whose disposition may not be SIG_DFL, signal n as bit n-1:
 * those found so at the first call (64 queries, once: a program that
 * never spawns makes none), and every one trapped or ignored since. */
uint64_t
selfpipe_nondefault(void)
{
	if (!queried) {
		nondefault |= query();
		queried = 1;
	}
	return nondefault;
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
