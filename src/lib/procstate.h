/* procstate: the parts of a process's state that svrun sets up, parsed and
 * applied apart from the program so that they can be tested:
 *
 *   environment directories  envdir's rules: each file NAME sets NAME to
 *                            its first line, NULs read as newlines, spaces
 *                            and tabs at the end removed; an empty file
 *                            unsets NAME; names starting with '.' skipped
 *   user and group specs     "user[:group[:group...]]" (looked up with
 *                            getpwnam/getgrnam) or ":uid:gid[:gid...]"
 *   resource limits          softlimit's rule: the soft limit is set, at
 *                            most the hard one ("=" means the hard one)
 *   exec                     a PATH search with the environment in effect
 *
 * Nothing here prints or exits: -1 and errno, as everywhere in src/lib. */
#ifndef PROCSTATE_H
#define PROCSTATE_H

#include <sys/types.h>
#include <sys/resource.h>

#include <limits.h>
#include <stddef.h>

#define PROCSTATE_GROUPS_MAX	64	/* groups in one spec */
#define PROCSTATE_NAME_MAX	256	/* a user or group name */
/* Linux's MAX_ARG_STRLEN: no longer NAME=value string survives execve. */
#define PROCSTATE_VALUE_MAX	131072

struct procstate_ids {
	uid_t	uid;
	gid_t	gid;			/* groups[0] */
	size_t	ngroups;		/* >= 1 */
	gid_t	groups[PROCSTATE_GROUPS_MAX];
	int	named;			/* the user came from the passwd file */
	char	user[PROCSTATE_NAME_MAX];	/* its name, if named */
	char	home[PATH_MAX];		/* its home directory, if named */
	char	bad[PROCSTATE_NAME_MAX];	/* the name not found (ENOENT) */
	int	badgroup;		/* bad is a group, not a user */
};

struct procstate_limit {
	int	resource;		/* RLIMIT_* */
	int	tohard;			/* "=": the hard limit */
	rlim_t	value;
};

/* Called for each variable of an env dir: value NULL unsets name. */
typedef int	(*procstate_env_fn)(void *, const char *, const char *);

size_t	procstate_env_value(char *, size_t);
int	procstate_envdir(const char *, procstate_env_fn, void *, char *,
	    size_t, char *, size_t);
int	procstate_ids_parse(const char *, struct procstate_ids *);
int	procstate_limit_parse(const char *, int, struct procstate_limit *);
int	procstate_limit_apply(const struct procstate_limit *);
int	procstate_nice_parse(const char *, int *);
int	procstate_exec(const char *, char *const *, const char *);

#endif
