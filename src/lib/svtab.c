/* svtab: the service table, sorted by (device, inode) for each scan so
 * that a scan of n services costs O(n log n); and the status judgements
 * svscan makes on an entry (readiness for -r, essential services). */
#include <sys/types.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"
#include "path.h"
#include "shutdown.h"
#include "svstatus.h"
#include "svtab.h"

/* Order by (device, inode), a live entry before a removed one. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct svtab_entry *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->removed - y->removed;
}

/* The live entry for sb among the first n, which are sorted; or NULL. */
static struct svtab_entry *
entry_find(struct svtab *t, size_t n, const struct stat *sb)
{
	struct svtab_entry key;

	if (n == 0)
		return NULL;
	memset(&key, 0, sizeof key);
	key.dev = sb->st_dev;
	key.ino = sb->st_ino;
	return bsearch(&key, t->e, n, sizeof key, entry_cmp);
}

/* A new entry for directory name (sb), at the end; NULL (ENOMEM). */
static struct svtab_entry *
entry_add(struct svtab *t, const struct stat *sb, const char *name)
{
	struct svtab_entry *e;
	size_t cap;

	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 64;
		if ((e = realloc(t->e, cap * sizeof *e)) == NULL)
			return NULL;
		t->e = e;
		t->cap = cap;
	}
	e = &t->e[t->n];
	memset(e, 0, sizeof *e);
	if ((e->name = strdup(name)) == NULL)
		return NULL;
	e->dev = sb->st_dev;
	e->ino = sb->st_ino;
	e->ctlfd = -1;
	e->wd = -1;
	e->retry = NOTIME;
	t->n++;
	return e;
}

/*
 * Read dir: each subdirectory (or symlink to one) whose name does not
 * start with '.' is a service. Marks the entries still there seen (the
 * others are not) and adds the new ones at the end, from *first on;
 * *failed counts those that could not be added (ENOMEM). 0, or -1 with
 * errno when dir could not be read: then some entries may be unseen
 * though still there, and none must be taken as gone (the new ones are
 * valid).
 */
int
svtab_scan(struct svtab *t, const char *dir, size_t *first, size_t *failed)
{
	struct dirent *de;
	struct stat sb;
	struct svtab_entry *e;
	size_t i, sorted;
	DIR *d;
	int e2;

	*first = t->n;
	*failed = 0;
	if ((d = opendir(dir)) == NULL)
		return -1;
	if (t->n > 0)
		qsort(t->e, t->n, sizeof *t->e, entry_cmp);
	sorted = t->n;
	for (i = 0; i < t->n; i++)
		t->e[i].seen = 0;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(d), de->d_name, &sb, 0) == -1 ||
		    !S_ISDIR(sb.st_mode))
			continue;
		if ((e = entry_find(t, sorted, &sb)) == NULL &&
		    (e = entry_add(t, &sb, de->d_name)) == NULL) {
			(*failed)++;
			continue;
		}
		e->seen = 1;
	}
	e2 = errno;
	closedir(d);
	if (e2 != 0) {
		errno = e2;
		return -1;
	}
	return 0;
}

/* Forget entry i (the last one takes its place): close its FIFO, drop
 * its watch from ifd (-1: none). */
void
svtab_free(struct svtab *t, size_t i, int ifd)
{
	struct svtab_entry *e = &t->e[i];

	if (e->ctlfd != -1)
		close(e->ctlfd);
	if (e->wd != -1 && ifd != -1)
		(void)inotify_rm_watch(ifd, e->wd);
	free(e->name);
	t->e[i] = t->e[--t->n];
}

/* Forget every entry and the table's storage. */
void
svtab_clear(struct svtab *t, int ifd)
{
	while (t->n > 0)
		svtab_free(t, t->n - 1, ifd);
	free(t->e);
	t->e = NULL;
	t->cap = 0;
}

/*
 * Read e's status record into st. A record left by an earlier run (a
 * container restarted on the same disk) must not say "ready" or "down for
 * good" for this one: with a supervise we started, 1 means the record's
 * stamp (the last start or end) is since then, 2 that only the file was
 * written since (a run it adopted), 0 that it may be stale. An adopted
 * supervise's record is current (1). -1 if there is none.
 */
int
svtab_status(const struct svtab_entry *e, struct svstatus *st)
{
	char sdir[PATH_MAX], path[PATH_MAX];
	struct timespec since;
	struct stat sb;

	if (path_join(sdir, sizeof sdir, e->name, "supervise") == -1 ||
	    path_join(path, sizeof path, sdir, "status") == -1 ||
	    svstatus_read(sdir, st) == -1)
		return -1;
	if (e->pid == 0 || deadline_ts_cmp(&st->stamp, &e->startwall) >= 0)
		return 1;
	since = e->startwall;
	deadline_ts_add_ms(&since, -SVTAB_FRESH_MS);
	if (stat(path, &sb) == 0 && deadline_ts_cmp(&sb.st_mtim, &since) >= 0)
		return 2;
	return 0;
}

/* Is e ready, as svscan -r wants it? A normally down service counts as
 * ready; a foreign record (no readiness field) once it runs. */
int
svtab_ready(const struct svtab_entry *e)
{
	struct svstatus st;

	if (path_exists(e->name, "down"))
		return 1;
	if (svtab_status(e, &st) <= 0)
		return 0;
	if (st.version >= 1 && !(st.flags & SVF_NORMALLYUP))
		return 1;
	return st.state == SV_RUN &&
	    (st.version < 1 || (st.flags & SVF_READY) != 0);
}

/* Is e down for good (marked failed, or kept down by its restart
 * policy)? 1 with the exit code it stands for in *code (its run's, or 1),
 * else 0. */
int
svtab_down_for_good(const struct svtab_entry *e, int *code)
{
	struct svstatus st;

	/* Down for good is always a fresh stamp: the run's end. */
	if (svtab_status(e, &st) != 1 || st.version < 1)
		return 0;
	if (st.state != SV_DOWN ||
	    !((st.flags & SVF_FAILED) || (st.xflags & SVX_DONE)))
		return 0;
	*code = st.flags & SVF_EXITED ? shutdown_exitcode((int)st.wstatus) : 1;
	return 1;
}

/* SIGKILL to the process groups that the status record in name/sub
 * (NAME/supervise, NAME/log/supervise) names: the run and, while it
 * finishes, ./finish. 1 if something was killed. */
int
svtab_kill(const char *name, const char *sub)
{
	char path[PATH_MAX];
	struct svstatus st;
	int any = 0;

	if (path_join(path, sizeof path, name, sub) == -1 ||
	    svstatus_read(path, &st) == -1 ||
	    st.state == SV_DOWN)
		return 0;
	if (st.runpid > 0 && kill(-(pid_t)st.runpid, SIGKILL) == 0)
		any = 1;
	if (st.pid > 0 && kill(-(pid_t)st.pid, SIGKILL) == 0)
		any = 1;
	return any;
}
