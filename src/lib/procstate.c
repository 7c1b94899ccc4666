/* procstate: env dirs, user and group specs, limits and the PATH search
 * of svrun; see procstate.h for the rules. Owns no file. */
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdutil.h"
#include "num.h"
#include "procstate.h"

#define DEFAULT_PATH	"/usr/local/bin:/usr/bin:/bin"

/* Turn the n bytes read from an env file into its value, in place: the
 * first line, NULs as newlines, trailing spaces and tabs removed. Returns
 * the value's length; buf[len] is set to NUL (buf holds n + 1 bytes). */
size_t
procstate_env_value(char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n && buf[i] != '\n'; i++)
		if (buf[i] == '\0')
			buf[i] = '\n';
	while (i > 0 && (buf[i - 1] == ' ' || buf[i - 1] == '\t'))
		i--;
	buf[i] = '\0';
	return i;
}

/* Read the first line of the env file at dfd/name into buf (len bytes).
 * 1 with a value, 0 when the file is empty (unset), 2 when it vanished
 * (a dangling symlink: skipped, as envdir and chpst do), -1 on error
 * (E2BIG: the first line does not fit). */
static int
read_envfile(int dfd, const char *name, char *buf, size_t len)
{
	struct stat st;
	size_t n = 0;
	ssize_t r;
	int fd;

	do
		fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd == -1 && errno == EINTR);
	if (fd == -1)
		return errno == ENOENT ? 2 : -1;
	if (fstat(fd, &st) == -1)
		goto fail;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	while (n < len - 1) {
		if ((r = fd_read(fd, buf + n, len - 1 - n)) == -1)
			goto fail;
		if (r == 0)
			break;
		if (memchr(buf + n, '\n', (size_t)r) != NULL) {
			n += (size_t)r;
			break;
		}
		n += (size_t)r;
	}
	/* A full buffer without a newline: the line fits only if the next
	 * byte ends it (or there is none). */
	if (n == len - 1 && memchr(buf, '\n', n) == NULL) {
		char c;

		if ((r = fd_read(fd, &c, 1)) == -1)
			goto fail;
		if (r == 1 && c != '\n') {
			errno = E2BIG;
			goto fail;
		}
	}
	close(fd);
	if (n == 0)
		return 0;
	(void)procstate_env_value(buf, n);
	return 1;
fail:
	fd_close(fd);
	return -1;
}

/* Apply the env dir dir through fn, using buf (len bytes, at least 2) to
 * read each file. On failure, bad (badlen bytes) names the file at fault
 * ("" when it is the directory itself). A name holding '=' is EINVAL. */
int
procstate_envdir(const char *dir, procstate_env_fn fn, void *ctx, char *buf,
    size_t len, char *bad, size_t badlen)
{
	struct dirent *de;
	DIR *d;
	int dfd, r, e;

	if (badlen > 0)
		bad[0] = '\0';
	do
		dfd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (dfd == -1 && errno == EINTR);
	if (dfd == -1)
		return -1;
	if ((d = fdopendir(dfd)) == NULL) {
		fd_close(dfd);
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0)
				goto fail;
			break;
		}
		if (de->d_name[0] == '.')
			continue;
		if (badlen > 0)
			snprintf(bad, badlen, "%s", de->d_name);
		if (strchr(de->d_name, '=') != NULL) {
			errno = EINVAL;
			goto fail;
		}
		if ((r = read_envfile(dfd, de->d_name, buf, len)) == -1)
			goto fail;
		if (r == 2)
			continue;
		if (fn(ctx, de->d_name, r == 1 ? buf : NULL) == -1)
			goto fail;
	}
	closedir(d);
	if (badlen > 0)
		bad[0] = '\0';
	return 0;
fail:
	e = errno;
	closedir(d);
	errno = e;
	return -1;
}

/* Copy the element of spec up to the next ':' (or the end) into out;
 * returns a pointer past it and its ':' or NULL when empty or too long. */
static const char *
next_field(const char *p, char *out, size_t len)
{
	size_t n = strcspn(p, ":");

	if (n == 0 || n >= len)
		return NULL;
	memcpy(out, p, n);
	out[n] = '\0';
	return p[n] == ':' ? p + n + 1 : p + n;
}

/* A lookup that returned NULL: was it "no such entry" or a failure of the
 * system? getpwnam(3) allows several errnos for the former. */
static int
lookup_failed(void)
{
	return errno == EIO || errno == EINTR || errno == EMFILE ||
	    errno == ENFILE || errno == ENOMEM || errno == ERANGE;
}

/* Parse a -u/-U spec into ids. -1 with EINVAL (malformed), ENOENT (a name
 * not found, in ids->bad), E2BIG (too many groups) or a lookup's errno. */
int
procstate_ids_parse(const char *spec, struct procstate_ids *ids)
{
	char field[PROCSTATE_NAME_MAX];
	uint64_t v;
	const char *p = spec;
	struct passwd *pw;
	struct group *gr;
	int numeric;

	memset(ids, 0, sizeof *ids);
	/* A trailing ':' ("www:") names an empty group. */
	if (*spec == '\0' || spec[strlen(spec) - 1] == ':')
		goto invalid;
	numeric = *p == ':';
	if (numeric)
		p++;
	if ((p = next_field(p, field, sizeof field)) == NULL)
		goto invalid;
	if (numeric) {
		if (num_parse_u64(field, (uid_t)-1 - 1, &v) == -1)
			goto invalid;
		ids->uid = (uid_t)v;
		if (*p == '\0')		/* chpst too wants a gid */
			goto invalid;
	} else {
		errno = 0;
		if ((pw = getpwnam(field)) == NULL) {
			if (lookup_failed())
				return -1;
			snprintf(ids->bad, sizeof ids->bad, "%s", field);
			errno = ENOENT;
			return -1;
		}
		ids->uid = pw->pw_uid;
		ids->groups[ids->ngroups++] = pw->pw_gid;
		ids->named = 1;
		snprintf(ids->user, sizeof ids->user, "%s", pw->pw_name);
		if ((size_t)snprintf(ids->home, sizeof ids->home, "%s",
		    pw->pw_dir) >= sizeof ids->home) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (*p != '\0')
			ids->ngroups = 0;	/* the groups named replace it */
	}
	while (*p != '\0') {
		if (ids->ngroups == PROCSTATE_GROUPS_MAX) {
			errno = E2BIG;
			return -1;
		}
		if ((p = next_field(p, field, sizeof field)) == NULL)
			goto invalid;
		if (numeric) {
			if (num_parse_u64(field, (gid_t)-1 - 1, &v) == -1)
				goto invalid;
			ids->groups[ids->ngroups++] = (gid_t)v;
			continue;
		}
		errno = 0;
		if ((gr = getgrnam(field)) == NULL) {
			if (lookup_failed())
				return -1;
			snprintf(ids->bad, sizeof ids->bad, "%s", field);
			ids->badgroup = 1;
			errno = ENOENT;
			return -1;
		}
		ids->groups[ids->ngroups++] = gr->gr_gid;
	}
	ids->gid = ids->groups[0];
	return 0;
invalid:
	errno = EINVAL;
	return -1;
}

/* A limit's value: a decimal number, or "=" for the hard limit. */
int
procstate_limit_parse(const char *s, int resource, struct procstate_limit *l)
{
	uint64_t v;

	l->resource = resource;
	l->tohard = 0;
	l->value = 0;
	if (strcmp(s, "=") == 0) {
		l->tohard = 1;
		return 0;
	}
	/* RLIM_INFINITY is the largest rlim_t: keep below it. */
	if (num_parse_u64(s, (uint64_t)(RLIM_INFINITY - 1), &v) == -1)
		return -1;
	l->value = (rlim_t)v;
	return 0;
}

/* Set the soft limit to the value asked, or to the hard limit if that is
 * lower (softlimit's and chpst's rule). */
int
procstate_limit_apply(const struct procstate_limit *l)
{
	struct rlimit r;

	if (getrlimit(l->resource, &r) == -1)
		return -1;
	if (l->tohard || (r.rlim_max != RLIM_INFINITY && l->value > r.rlim_max))
		r.rlim_cur = r.rlim_max;
	else
		r.rlim_cur = l->value;
	return setrlimit(l->resource, &r);
}

/* A nice increment: an optional sign and digits, at most 40 in magnitude
 * (the whole range of nice values). */
int
procstate_nice_parse(const char *s, int *out)
{
	int64_t v;

	if (num_parse(s, -40, 40, &v) == -1) {
		errno = EINVAL;
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* execv prog, searching path (a PATH value; NULL: a default) when prog has
 * no '/'. Returns only on failure: EACCES if some candidate existed but
 * could not be run, else the last error (ENOENT when none was found). */
int
procstate_exec(const char *prog, char *const *argv, const char *path)
{
	char full[PATH_MAX];
	const char *p, *end;
	size_t dl, pl = strlen(prog);
	int seen_eacces = 0, last = ENOENT;

	if (strchr(prog, '/') != NULL) {
		execv(prog, argv);
		return -1;
	}
	if (*prog == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (path == NULL)
		path = DEFAULT_PATH;
	for (p = path;; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		dl = (size_t)(end - p);
		if (dl == 0) {		/* an empty element means "." */
			p = ".";
			dl = 1;
		}
		if (dl + 1 + pl < sizeof full) {
			memcpy(full, p, dl);
			full[dl] = '/';
			memcpy(full + dl + 1, prog, pl + 1);
			execv(full, argv);
			if (errno == EACCES)
				seen_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				last = errno;
		} else
			last = ENAMETOOLONG;
		if (*end == '\0')
			break;
	}
	errno = seen_eacces ? EACCES : last;
	return -1;
}
