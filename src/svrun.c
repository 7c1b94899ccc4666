/*
 * svrun [options] PROG ARG...: set up the process state a run script asks
 * for, then exec PROG. The option letters and their meanings are runit's
 * chpst's (which covers daemontools' setuidgid, envuidgid, envdir,
 * softlimit, setlock and pgrphack); invoked as "chpst" it behaves the same.
 *
 * The steps run in one fixed order, each failure naming its step (exit
 * 111): names are resolved, the environment is built (-E, -e, -U), the
 * lock taken (-l, -L), limits set, nice changed, a session created (-P),
 * then chroot (-/) and chdir (-C), then setgroups, setgid, setuid (-u),
 * then 0, 1, 2 closed (-0 -1 -2) and PROG executed with the PATH of the
 * new environment (127 not found, 126 not executable). Limits and nice
 * come before the privileges are dropped, so that root may still set
 * them; the lock and the env dir are opened before chroot, so their paths
 * are the caller's. Owns no file (the lock file is the caller's).
 */
#include <sys/types.h>
#include <sys/resource.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fdutil.h"
#include "lock.h"
#include "procstate.h"
#include "version.h"

#define USAGE	"svrun [-vP012E] [-u user[:group...]] [-U user[:group]] " \
	"[-b argv0] [-e dir] [-/ root] [-C dir] [-n inc] [-l|-L lock] " \
	"[-m bytes] [-d bytes] [-o n] [-p n] [-f bytes] [-c bytes] [-r bytes] " \
	"[-t secs] PROG [ARG...]"
#define NLIMITS	10	/* the resources below, each set once */

extern char **environ;

struct opts {
	const char	*user;		/* -u */
	const char	*envuser;	/* -U */
	const char	*argv0;		/* -b */
	const char	*envdir;	/* -e */
	const char	*root;		/* -/ */
	const char	*dir;		/* -C */
	const char	*lock;		/* -l or -L */
	int		 lockwait;	/* -l */
	int		 nice, setnice;	/* -n */
	int		 setsid;	/* -P */
	int		 clearenv;	/* -E */
	int		 close[3];	/* -0 -1 -2 */
	struct procstate_limit limit[NLIMITS];
	size_t		 nlimit;
};

static const char *
limit_name(int resource)
{
	switch (resource) {
	case RLIMIT_DATA:
		return "data";
	case RLIMIT_STACK:
		return "stack";
	case RLIMIT_AS:
		return "address space";
	case RLIMIT_MEMLOCK:
		return "locked memory";
	case RLIMIT_NOFILE:
		return "open files";
	case RLIMIT_NPROC:
		return "processes";
	case RLIMIT_FSIZE:
		return "file size";
	case RLIMIT_CORE:
		return "core size";
	case RLIMIT_RSS:
		return "resident set";
	case RLIMIT_CPU:
		return "cpu time";
	default:
		return "resource";
	}
}

/* Record one limit option; a later one for the same resource wins. */
static void
add_limit(struct opts *o, int resource, const char *arg, int opt)
{
	struct procstate_limit l;
	size_t i;

	if (procstate_limit_parse(arg, resource, &l) == -1)
		die_usage_why(USAGE, "not a number of bytes or \"=\" after", opt);
	for (i = 0; i < o->nlimit; i++)
		if (o->limit[i].resource == resource) {
			o->limit[i] = l;
			return;
		}
	o->limit[o->nlimit++] = l;
}

/* Resolve a -u/-U spec, or die naming what was wrong with it. */
static void
resolve(const char *spec, struct procstate_ids *ids)
{
	if (procstate_ids_parse(spec, ids) == 0)
		return;
	if (errno == ENOENT)
		die_x(EXIT_TEMP, "unable to find %s %s: no such %s",
		    ids->badgroup ? "group" : "user", ids->bad,
		    ids->badgroup ? "group" : "user");
	if (errno == EINVAL)
		die_x(EXIT_USAGE, "invalid user spec: \"%s\" (want "
		    "user[:group...] or :uid:gid[:gid...])", spec);
	if (errno == E2BIG)
		die_x(EXIT_USAGE, "invalid user spec: \"%s\": more than %d "
		    "groups", spec, PROCSTATE_GROUPS_MAX);
	die_sys(EXIT_TEMP, "unable to look up %s", spec);
}

/* procstate_envdir's callback: the variables go into our own environ. */
static int
env_set(void *ctx, const char *name, const char *value)
{
	(void)ctx;
	return value == NULL ? unsetenv(name) : setenv(name, value, 1);
}

/* -E, -e, -U: build the environment PROG will get. */
static void
build_env(const struct opts *o, const struct procstate_ids *eids)
{
	char bad[PROCSTATE_NAME_MAX], num[32];
	char *buf;

	if (o->clearenv && clearenv() != 0)
		die_sys(EXIT_TEMP, "unable to clear the environment");
	if (o->envdir != NULL) {
		if ((buf = malloc(PROCSTATE_VALUE_MAX)) == NULL)
			die_sys(EXIT_TEMP, "unable to read env dir %s",
			    o->envdir);
		if (procstate_envdir(o->envdir, env_set, NULL, buf,
		    PROCSTATE_VALUE_MAX, bad, sizeof bad) == -1) {
			if (bad[0] == '\0')
				die_sys(EXIT_TEMP, "unable to read env dir %s",
				    o->envdir);
			if (errno == EINVAL)
				die_x(EXIT_TEMP, "unable to read env dir %s: "
				    "file name %s contains =", o->envdir, bad);
			if (errno == E2BIG)
				die_x(EXIT_TEMP, "unable to read %s/%s: first "
				    "line longer than %d bytes", o->envdir, bad,
				    PROCSTATE_VALUE_MAX - 1);
			die_sys(EXIT_TEMP, "unable to read %s/%s", o->envdir,
			    bad);
		}
		free(buf);
	}
	if (o->envuser == NULL)
		return;
	snprintf(num, sizeof num, "%lu", (unsigned long)eids->uid);
	if (setenv("UID", num, 1) == -1)
		die_sys(EXIT_TEMP, "unable to set UID");
	snprintf(num, sizeof num, "%lu", (unsigned long)eids->gid);
	if (setenv("GID", num, 1) == -1)
		die_sys(EXIT_TEMP, "unable to set GID");
	if (eids->named && (setenv("HOME", eids->home, 1) == -1 ||
	    setenv("USER", eids->user, 1) == -1))
		die_sys(EXIT_TEMP, "unable to set HOME and USER");
}

/* -l, -L: lock o->lock, keeping the descriptor open across exec (above 2,
 * so that -0 -1 -2 cannot close it). */
static void
take_lock(const struct opts *o)
{
	int fd, hi;

	if ((fd = lock_acquire(o->lock, o->lockwait)) == -1) {
		if (errno == EWOULDBLOCK)
			die_x(EXIT_TEMP, "unable to lock %s: held by another "
			    "process", o->lock);
		die_sys(EXIT_TEMP, "unable to lock %s", o->lock);
	}
	if (fd < 3) {
		if ((hi = fcntl(fd, F_DUPFD_CLOEXEC, 3)) == -1)
			die_sys(EXIT_TEMP, "unable to lock %s", o->lock);
		close(fd);
		fd = hi;
	}
	if (fcntl(fd, F_SETFD, 0) == -1)
		die_sys(EXIT_TEMP, "unable to lock %s", o->lock);
}

/* -P: a session of our own. A process group leader (which a run script
 * started by supervise, or a shell's job, already is) cannot make one and
 * already runs in a group of its own: chpst goes on there too. */
static void
new_session(void)
{
	if (setsid() == -1 && !(errno == EPERM && getpgrp() == getpid()))
		die_sys(EXIT_TEMP, "unable to create a new session");
}

/* -u: setgroups, setgid, setuid, in that order. */
static void
drop_privileges(const char *spec, const struct procstate_ids *ids)
{
	if (setgroups(ids->ngroups, ids->groups) == -1)
		die_sys(EXIT_TEMP, "unable to setgroups for %s", spec);
	if (setgid(ids->gid) == -1)
		die_sys(EXIT_TEMP, "unable to setgid to %s", spec);
	if (setuid(ids->uid) == -1)
		die_sys(EXIT_TEMP, "unable to setuid to %s", spec);
}

/* exec PROG; on failure, exit 127 (not found) or 126 (not executable). */
static void
run(const struct opts *o, char **argv)
{
	const char *prog = argv[0];

	if (o->argv0 != NULL)
		argv[0] = (char *)o->argv0;
	procstate_exec(prog, argv, getenv("PATH"));
	switch (errno) {
	case ENOENT:
	case ENOTDIR:
	case ENAMETOOLONG:
	case ELOOP:
		die_sys(127, "unable to run %s", prog);
	case EACCES:
	case EPERM:
	case ENOEXEC:
	case EISDIR:
		die_sys(126, "unable to run %s", prog);
	default:
		die_sys(EXIT_TEMP, "unable to run %s", prog);
	}
}

/* The option letters into o; returns the index of PROG. */
static int
parse(int argc, char **argv, const char *name, struct opts *o)
{
	int c;

	opterr = 0;
	/* '+': stop at PROG, whatever GNU getopt would like to permute. */
	while ((c = getopt(argc, argv,
	    "+:hVvP012Eu:U:b:e:/:C:n:l:L:m:d:o:p:f:c:r:t:")) != -1) {
		switch (c) {
		case 'h':
			diag_help(USAGE);
		case 'V':
			diag_version(name);
		case 'v':	/* chpst's verbose: nothing more to say */
			break;
		case 'P':
			o->setsid = 1;
			break;
		case '0':
		case '1':
		case '2':
			o->close[c - '0'] = 1;
			break;
		case 'E':
			o->clearenv = 1;
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'U':
			o->envuser = optarg;
			break;
		case 'b':
			o->argv0 = optarg;
			break;
		case 'e':
			o->envdir = optarg;
			break;
		case '/':
			o->root = optarg;
			break;
		case 'C':
			o->dir = optarg;
			break;
		case 'n':
			if (procstate_nice_parse(optarg, &o->nice) == -1)
				die_usage_why(USAGE, "not a nice increment "
				    "(-40 to 40) after", c);
			o->setnice = 1;
			break;
		case 'l':
		case 'L':
			o->lock = optarg;
			o->lockwait = c == 'l';
			break;
		case 'm':
			add_limit(o, RLIMIT_DATA, optarg, c);
			add_limit(o, RLIMIT_STACK, optarg, c);
			add_limit(o, RLIMIT_MEMLOCK, optarg, c);
			add_limit(o, RLIMIT_AS, optarg, c);
			break;
		case 'd':
			add_limit(o, RLIMIT_DATA, optarg, c);
			break;
		case 'o':
			add_limit(o, RLIMIT_NOFILE, optarg, c);
			break;
		case 'p':
			add_limit(o, RLIMIT_NPROC, optarg, c);
			break;
		case 'f':
			add_limit(o, RLIMIT_FSIZE, optarg, c);
			break;
		case 'c':
			add_limit(o, RLIMIT_CORE, optarg, c);
			break;
		case 'r':
			add_limit(o, RLIMIT_RSS, optarg, c);
			break;
		case 't':
			add_limit(o, RLIMIT_CPU, optarg, c);
			break;
		case ':':
			die_usage_why(USAGE, "missing argument for", optopt);
		default:
			die_usage_why(USAGE, "unknown option", optopt);
		}
	}
	if (optind >= argc)
		die_usage_why(USAGE, "no program given", 0);
	return optind;
}

int
main(int argc, char **argv)
{
	struct procstate_ids ids, eids;
	struct opts o;
	const char *name;
	size_t i;
	int first;

	name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	name = strcmp(name, "chpst") == 0 ? "chpst" : "svrun";
	diag_init(name);
	memset(&o, 0, sizeof o);
	first = parse(argc, argv, name, &o);

	/* Names are looked up here, before any chroot: the caller's user
	 * and group databases. */
	if (o.user != NULL)
		resolve(o.user, &ids);
	if (o.envuser != NULL)
		resolve(o.envuser, &eids);
	build_env(&o, &eids);
	if (o.lock != NULL)
		take_lock(&o);
	for (i = 0; i < o.nlimit; i++)
		if (procstate_limit_apply(&o.limit[i]) == -1)
			die_sys(EXIT_TEMP, "unable to set the %s limit",
			    limit_name(o.limit[i].resource));
	if (o.setnice) {
		errno = 0;
		if (nice(o.nice) == -1 && errno != 0)
			die_sys(EXIT_TEMP, "unable to change nice by %d",
			    o.nice);
	}
	if (o.setsid)
		new_session();
	if (o.root != NULL && (chdir(o.root) == -1 || chroot(".") == -1))
		die_sys(EXIT_TEMP, "unable to chroot to %s", o.root);
	if (o.dir != NULL && chdir(o.dir) == -1)
		die_sys(EXIT_TEMP, "unable to chdir to %s", o.dir);
	if (o.user != NULL)
		drop_privileges(o.user, &ids);
	for (i = 0; i < 3; i++)
		if (o.close[i])
			close((int)i);
	run(&o, argv + first);
	return EXIT_BUG;
}
