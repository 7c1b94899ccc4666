/* svscanopt: svscan's options over its environment, and the -h text. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "num.h"
#include "sbuf.h"
#include "svscanopt.h"

/* A number of ms (or an exit code) from an option or a variable named
 * what; SVSCANOPT_BAD with the reason in why if it is none. */
static int
number(const char *what, const char *s, int64_t max, int64_t *v,
    char *why, size_t len)
{
	if (num_parse(s, 0, max, v) == 0)
		return 0;
	snprintf(why, len, "invalid %s: \"%s\" (a number from 0 to %lld)",
	    what, s, (long long)max);
	return SVSCANOPT_BAD;
}

/* One more exit code of CMD that means 0. */
static int
exitok(struct svscanopt *o, const char *what, const char *s, char *why,
    size_t len)
{
	int64_t v;

	if (number(what, s, 255, &v, why, len) != 0)
		return SVSCANOPT_BAD;
	if (o->nexitok == SVSCANOPT_EXITOK_MAX) {
		snprintf(why, len, "more than %d exit codes for -e",
		    SVSCANOPT_EXITOK_MAX);
		return SVSCANOPT_BAD;
	}
	o->exitok[o->nexitok++] = (int)v;
	return 0;
}

/* 1 for a variable set to anything but "" and "0". */
static int
env_flag(const char *name)
{
	const char *s = getenv(name);

	return s != NULL && s[0] != '\0' && strcmp(s, "0") != 0;
}

/* The variables, before the options. */
static int
environment(struct svscanopt *o, char *why, size_t len)
{
	char buf[256], *s, *tok, *save;

	if ((s = getenv("SVSCAN_WAIT_READY")) != NULL && *s != '\0' &&
	    number("SVSCAN_WAIT_READY", s, INT_MAX, &o->readyms, why,
	    len) != 0)
		return SVSCANOPT_BAD;
	o->readyreq = env_flag("SVSCAN_READY_REQUIRED");
	if ((s = getenv("SVSCAN_KILL_TIMEOUT")) != NULL && *s != '\0' &&
	    number("SVSCAN_KILL_TIMEOUT", s, INT_MAX, &o->killms, why,
	    len) != 0)
		return SVSCANOPT_BAD;
	if ((s = getenv("SVSCAN_EXIT_OK")) != NULL) {
		if (strlen(s) >= sizeof buf) {
			snprintf(why, len, "invalid SVSCAN_EXIT_OK: too long");
			return SVSCANOPT_BAD;
		}
		strcpy(buf, s);
		for (tok = strtok_r(buf, " \t,", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t,", &save))
			if (exitok(o, "SVSCAN_EXIT_OK", tok, why, len) != 0)
				return SVSCANOPT_BAD;
	}
	o->sigpid = env_flag("SVSCAN_SIGNAL_PID");
	o->verbose = env_flag("SVSCAN_VERBOSE");
	return 0;
}

/* A usage error: why, then the usage. */
static int
badusage(char *why, size_t len, const char *what, int opt)
{
	if (opt != 0)
		snprintf(why, len, "%s -%c", what, opt);
	else
		snprintf(why, len, "%s", what);
	return SVSCANOPT_BADUSAGE;
}

/*
 * Fill o from the environment, then argv (argv[i] of the first "--" is
 * set to NULL: CMD follows it). 0, SVSCANOPT_VERSION for -V (nothing after
 * it is looked at), or SVSCANOPT_BAD / SVSCANOPT_BADUSAGE with one line in
 * why (len bytes) at the first error.
 */
int
svscanopt_parse(struct svscanopt *o, int argc, char **argv, char *why,
    size_t len)
{
	int c, i, r;

	memset(o, 0, sizeof *o);
	o->killms = SVSCANOPT_KILL_MS;
	o->dir = ".";
	if ((r = environment(o, why, len)) != 0)
		return r;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			o->cmd = argv + i + 1;
			argv[i] = NULL;
			argc = i;
			if (o->cmd[0] == NULL)
				return badusage(why, len,
				    "no command after --", 0);
			break;
		}
	opterr = 0;
	while ((c = getopt(argc, argv, "+:r:Rk:e:gvhV")) != -1) {
		switch (c) {
		case 'r':
			r = number("-r", optarg, INT_MAX, &o->readyms, why,
			    len);
			break;
		case 'R':
			o->readyreq = 1;
			break;
		case 'k':
			r = number("-k", optarg, INT_MAX, &o->killms, why,
			    len);
			break;
		case 'e':
			r = exitok(o, "-e", optarg, why, len);
			break;
		case 'g':
			o->sigpid = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'h':
			o->help = 1;
			break;
		case 'V':
			return SVSCANOPT_VERSION;
		case ':':
			return badusage(why, len, "option needs an argument",
			    optopt);
		default:
			return badusage(why, len, "unknown option", optopt);
		}
		if (r != 0)
			return r;
	}
	if (argc - optind > 1)
		return badusage(why, len, "more than one directory", 0);
	if (argc - optind == 1)
		o->dir = argv[optind];
	if (o->readyreq && o->readyms == 0)
		o->readyms = SVSCANOPT_READY_MS;
	return 0;
}

/* The -h text into buf (len bytes): the usage and each option with the
 * value in effect and its variable, NUL-terminated. Its length, or -1
 * with ENOSPC when it does not fit. */
int
svscanopt_help(const struct svscanopt *o, char *buf, size_t len)
{
	struct sbuf b;
	size_t k;

	sbuf_wrap(&b, buf, len);
	sbuf_printf(&b, "usage: %s\n"
	    "  -r ms  before CMD, wait this long for every service to be "
	    "ready (SVSCAN_WAIT_READY): %lld\n"
	    "  -R     not ready in time: shut down, exit 111 "
	    "(SVSCAN_READY_REQUIRED): %s\n"
	    "  -k ms  overall shutdown deadline (SVSCAN_KILL_TIMEOUT): %lld\n"
	    "  -e N   CMD exit code N means 0 (SVSCAN_EXIT_OK):",
	    SVSCANOPT_USAGE, (long long)o->readyms,
	    o->readyreq ? "yes" : "no", (long long)o->killms);
	for (k = 0; k < o->nexitok; k++)
		sbuf_printf(&b, " %d", o->exitok[k]);
	sbuf_printf(&b, "%s\n"
	    "  -g     signals to CMD's pid, not its process group "
	    "(SVSCAN_SIGNAL_PID): %s\n"
	    "  -v     say each step on stderr (SVSCAN_VERBOSE): %s\n",
	    o->nexitok == 0 ? " none" : "", o->sigpid ? "yes" : "no",
	    o->verbose ? "yes" : "no");
	if (b.err != 0) {
		errno = ENOSPC;
		return -1;
	}
	return (int)b.len;
}
