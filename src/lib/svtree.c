/* svtree: list a scan directory's services and read each one's status,
 * history and log through svview, history and logdir. Reads only:
 * NAME/supervise/{ok,status,history,history.1}, NAME/down and
 * NAME/log/main/. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "path.h"
#include "logdir.h"
#include "sbuf.h"
#include "svpage.h"
#include "svtree.h"
#include "svview.h"

#define HOUR	3600

static int
cmpname(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* A directory, or a symlink to one (readdir's type saves a stat). */
static int
is_dir(const char *dir, const struct dirent *de)
{
	char path[PATH_MAX];
	struct stat sb;

	if (de->d_type == DT_DIR)
		return 1;
	if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
		return 0;
	if (path_join(path, sizeof path, dir, de->d_name) == -1)
		return 0;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* The service names in dir, sorted, at most max: every directory or
 * symlink to one whose name does not start with '.', as svscan sees them.
 * The count, or -1 with errno. */
ssize_t
svtree_list(const char *dir, svtree_name *names, size_t max)
{
	DIR *d;
	struct dirent *de;
	size_t n = 0;
	int e;

	if ((d = opendir(dir)) == NULL)
		return -1;
	errno = 0;
	while (n < max && (de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' && is_dir(dir, de))
			snprintf(names[n++], sizeof names[0], "%s", de->d_name);
		errno = 0;
	}
	e = errno;
	closedir(d);
	if (e != 0) {
		errno = e;
		return -1;
	}
	qsort(names, n, sizeof names[0], cmpname);
	return (ssize_t)n;
}

/* The name among names[0..n) equal to the len bytes at p, or NULL: what
 * a request asks for is only ever compared, never opened. */
const char *
svtree_find(svtree_name *names, size_t n, const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], p, len) == 0)
			return names[i];
	return NULL;
}

static int
count_restarts(void *arg, const char *line, size_t len)
{
	struct history_rec r;

	if (history_parse(line, len, &r) == 0)
		history_restarts_add(arg, &r);
	return 0;
}

/* Read the service name now: its status only (restarts_hour -1). */
void
svtree_read(struct svpage_svc *v, const char *name)
{
	memset(v, 0, sizeof *v);
	v->name = name;
	svview_read(&v->d, name);
	v->restarts_hour = -1;
}

/* Its restarts in the hour before now, from its history; -1 when that
 * cannot be read. A history last written before that hour holds none,
 * and is not read. */
long
svtree_restarts(const char *name, const struct timespec *now)
{
	struct history_restarts hr;
	struct timespec since = *now;
	struct stat sb;
	char sdir[PATH_MAX], path[PATH_MAX + 16];

	since.tv_sec -= HOUR;
	if (path_join(sdir, sizeof sdir, name, "supervise") == -1)
		return -1;
	snprintf(path, sizeof path, "%s/history", sdir);
	if (stat(path, &sb) == 0 && sb.st_mtime < since.tv_sec)
		return 0;
	history_restarts_init(&hr, &since);
	if (history_read(sdir, count_restarts, &hr) == -1)
		return -1;
	return (long)hr.n;
}

/* The last lines of name's log/main into buf (at most len bytes); the
 * count, 0 when there is no log. */
size_t
svtree_log(const char *name, size_t lines, char *buf, size_t len)
{
	char ldir[PATH_MAX];
	ssize_t n;

	if ((size_t)snprintf(ldir, sizeof ldir, "%s/log/main", name) >=
	    sizeof ldir)
		return 0;
	n = logdir_tail(ldir, lines, buf, len);
	return n < 0 ? 0 : (size_t)n;
}

/* What keep_line keeps: the newest lines, within a bound. */
struct keep {
	struct sbuf	*b;
	size_t		 bound;
};

static int
keep_line(void *arg, const char *line, size_t len)
{
	struct keep *k = arg;
	struct sbuf *b = k->b;
	char *nl;
	size_t cut;

	sbuf_add(b, line, len);
	sbuf_putc(b, '\n');
	/* Past the bound: drop the older half, at a line's end. */
	if (b->err == 0 && b->len > k->bound &&
	    (nl = memchr(b->p + b->len / 2, '\n', b->len - b->len / 2)) !=
	    NULL) {
		cut = (size_t)(nl - b->p) + 1;
		memmove(b->p, b->p + cut, b->len - cut);
		b->len -= cut;
	}
	return 0;
}

/* name's last history lines (history.1, then history), at most lines of
 * them, oldest first, into b (empty); *start is where they begin in b.
 * 0, or -1 if b ran out of room. */
int
svtree_history(const char *name, size_t lines, struct sbuf *b,
    size_t *start)
{
	struct keep k;
	char sdir[PATH_MAX];
	size_t e, st, n;

	k.b = b;
	k.bound = 2 * lines * HISTORY_MAX_LINE;
	if ((size_t)snprintf(sdir, sizeof sdir, "%s/supervise", name) <
	    sizeof sdir)
		(void)history_read(sdir, keep_line, &k);
	for (e = b->len, st = e, n = 0; st > 0; st--)
		if (b->p[st - 1] == '\n' && st != e && ++n == lines)
			break;
	*start = st;
	return b->err != 0 ? -1 : 0;
}
