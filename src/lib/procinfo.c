/* procinfo: facts about other processes, read from /proc (Linux). */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fdutil.h"
#include "num.h"
#include "procinfo.h"
#include "timefmt.h"

/* Seconds since the epoch at which pid started; -1 if unknown. The start
 * is in clock ticks since boot (/proc/PID/stat field 22); the boot is
 * now minus /proc/uptime, a file of a few bytes (/proc/stat's btime can
 * sit past many kilobytes of interrupt counts). */
long long
procinfo_starttime(pid_t pid)
{
	char path[64], buf[512], *p;
	uint64_t ticks;
	struct timespec now;
	double up;
	ssize_t n;
	size_t used;
	int field;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((n = fd_read_file(path, buf, sizeof buf - 1)) <= 0)
		return -1;
	buf[n] = '\0';
	/* Field 2 (comm) may hold spaces: count from the last ')'. */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	for (field = 2; *p != '\0' && field < 22; p++)
		if (*p == ' ')
			field++;
	if (num_scan(p, strlen(p), UINT64_MAX, &ticks, &used) == -1)
		return -1;
	if ((n = fd_read_file("/proc/uptime", buf, sizeof buf - 1)) <= 0)
		return -1;
	buf[n] = '\0';
	up = strtod(buf, NULL);
	timefmt_now(&now);
	return (long long)((double)now.tv_sec + now.tv_nsec / 1e9 - up +
	    (double)ticks / (double)sysconf(_SC_CLK_TCK));
}

/*
 * Find the session leaders whose descriptor fdnum is the file (dev, ino):
 * a run or logger whose supervise was killed before it wrote the pid down
 * is one of those, its end of the log pipe being that FIFO. Returns how
 * many there are (the first in *pid), or -1 if /proc cannot be read.
 * Processes of other users are not seen (their fd links are not ours to
 * follow), nor is this one.
 */
int
procinfo_find_fd(int fdnum, dev_t dev, ino_t ino, pid_t *pid)
{
	char path[64];
	struct dirent *de;
	struct stat sb;
	DIR *d;
	pid_t p, self = getpid();
	int64_t v;
	int n = 0;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (num_parse(de->d_name, 1, INT_MAX, &v) == -1 ||
		    (p = (pid_t)v) == self)
			continue;
		snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)p, fdnum);
		if (stat(path, &sb) == -1 || sb.st_dev != dev ||
		    sb.st_ino != ino || getsid(p) != p)
			continue;
		if (n++ == 0)
			*pid = p;
	}
	closedir(d);
	return n;
}

/* 1 if pid is the run a status record stamped at sec speaks of: alive, a
 * session leader (supervise setsids every run) and started within 2 s of
 * sec; else 0. */
int
procinfo_is_run(pid_t pid, long long sec)
{
	long long start;

	if (pid <= 0 || kill(pid, 0) == -1 || getsid(pid) != pid)
		return 0;
	start = procinfo_starttime(pid);
	return start >= 0 && start >= sec - 2 && start <= sec + 2;
}

/* A close-on-exec pidfd for pid, readable when it exits; -1 where the
 * kernel has none. */
int
procinfo_pidfd(pid_t pid)
{
	int fd = -1;

#ifdef SYS_pidfd_open
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd != -1)
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
#else
	(void)pid;
	errno = ENOSYS;
#endif
	return fd;
}
