/* svcontrol: write commands to a supervise, test that one runs, and create
 * and open the FIFOs on the supervise side. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "path.h"
#include "svcontrol.h"

int
svcontrol_valid(int c)
{
	return c != '\0' && strchr(SVCONTROL_BYTES, c) != NULL;
}

/* The signal a control byte sends to the service, or 0 for the others. */
int
svcontrol_signal(int c)
{
	switch (c) {
	case 'p':
		return SIGSTOP;
	case 'c':
		return SIGCONT;
	case 'h':
		return SIGHUP;
	case 'a':
		return SIGALRM;
	case 'i':
		return SIGINT;
	case 'q':
		return SIGQUIT;
	case '1':
		return SIGUSR1;
	case '2':
		return SIGUSR2;
	case 't':
		return SIGTERM;
	case 'k':
		return SIGKILL;
	default:
		return 0;
	}
}

static int
openfifo(const char *sdir, const char *name, int flags)
{
	char path[4096];
	int fd;

	if (path_join(path, sizeof path, sdir, name) == -1)
		return -1;
	do
		fd = openat(AT_FDCWD, path, flags | O_CLOEXEC | O_NOCTTY);
	while (fd == -1 && errno == EINTR);
	return fd;
}

/* Write cmds to sdir/control in one write. -1 with ENXIO (or ENOENT) when
 * no supervise runs there. */
int
svcontrol_send(const char *sdir, const char *cmds, size_t n)
{
	int fd, r;

	if ((fd = openfifo(sdir, "control", O_WRONLY | O_NONBLOCK)) == -1)
		return -1;
	r = fd_write_all(fd, cmds, n);
	fd_close(fd);
	return r;
}

/* 0 if a supervise holds sdir/ok open, -1 with errno otherwise. */
int
svcontrol_ok(const char *sdir)
{
	int fd;

	if ((fd = openfifo(sdir, "ok", O_WRONLY | O_NONBLOCK)) == -1)
		return -1;
	close(fd);
	return 0;
}

static int
mkfifo_once(const char *sdir, const char *name)
{
	char path[4096];
	struct stat sb;

	if (path_join(path, sizeof path, sdir, name) == -1)
		return -1;
	if (mkfifo(path, 0600) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (stat(path, &sb) == -1)
		return -1;
	if (S_ISFIFO(sb.st_mode))
		return 0;
	/* Something else sits there: replace it with a FIFO. */
	if (unlink(path) == -1 || mkfifo(path, 0600) == -1)
		return -1;
	return 0;
}

/* Supervise side: create sdir/control and sdir/ok if needed and open them. */
int
svcontrol_open(const char *sdir, struct svfifos *f)
{
	f->ctl = f->ctlw = f->ok = -1;
	if (mkfifo_once(sdir, "control") == -1 || mkfifo_once(sdir, "ok") == -1)
		return -1;
	if ((f->ctl = openfifo(sdir, "control", O_RDONLY | O_NONBLOCK)) == -1 ||
	    (f->ctlw = openfifo(sdir, "control", O_WRONLY | O_NONBLOCK)) == -1 ||
	    (f->ok = openfifo(sdir, "ok", O_RDONLY | O_NONBLOCK)) == -1) {
		svcontrol_close(f);
		return -1;
	}
	return 0;
}

void
svcontrol_close(struct svfifos *f)
{
	if (f->ctl != -1)
		fd_close(f->ctl);
	if (f->ctlw != -1)
		fd_close(f->ctlw);
	if (f->ok != -1)
		fd_close(f->ok);
	f->ctl = f->ctlw = f->ok = -1;
}
