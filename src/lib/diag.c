/* diag: one-line diagnostics on stderr and the program-wide exit codes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "version.h"

/* Set once by diag_init() before anything else runs, read-only after. */
static const char *prefix = "tend";

void
diag_init(const char *p)
{
	prefix = p;
}

const char *
diag_prefix(void)
{
	return prefix;
}

/* strerror() with lower-case messages for the common cases, as the lineage
 * prints them ("file does not exist"), so that tests can match them. */
const char *
diag_errstr(int e)
{
	switch (e) {
	case ENOENT:
		return "file does not exist";
	case EACCES:
		return "access denied";
	case EAGAIN:
		return "temporary failure";
	case ENXIO:
		return "device not configured";
	case ENOSPC:
		return "out of disk space";
	case ENOTDIR:
		return "not a directory";
	case ENOEXEC:
		return "exec format error";
	default:
		return strerror(e);
	}
}

static void
emit(const char *kind, int witherr, int e, const char *fmt, va_list ap)
{
	char buf[1024];
	size_t n;
	int r;

	r = snprintf(buf, sizeof buf, "%s: %s: ", prefix, kind);
	n = r < 0 ? 0 : (size_t)r;
	if (n < sizeof buf) {
		r = vsnprintf(buf + n, sizeof buf - n, fmt, ap);
		n += r < 0 ? 0 : (size_t)r;
	}
	if (witherr && n < sizeof buf) {
		r = snprintf(buf + n, sizeof buf - n, ": %s", diag_errstr(e));
		n += r < 0 ? 0 : (size_t)r;
	}
	if (n >= sizeof buf - 1) {
		/* Truncated: still end the line so the next one stays whole. */
		n = sizeof buf - 5;
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n++] = '\n';
	(void)!write(2, buf, n);
}

void
die_sys(int code, const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	emit("fatal", 1, e, fmt, ap);
	va_end(ap);
	exit(code);
}

void
die_x(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("fatal", 0, 0, fmt, ap);
	va_end(ap);
	exit(code);
}

void
warn_sys(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	emit("warning", 1, e, fmt, ap);
	va_end(ap);
	errno = e;
}

void
warn_x(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	emit("warning", 0, 0, fmt, ap);
	va_end(ap);
	errno = e;
}

/* "prog: fatal: ..." without exiting: one of several items failed for
 * good and the program goes on with the next (svc, one directory of
 * several; its exit status counts them). */
void
fail_x(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	emit("fatal", 0, 0, fmt, ap);
	va_end(ap);
	errno = e;
}

/* An informational line (svscan -v): "prog: info: ...". */
void
info_x(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	emit("info", 0, 0, fmt, ap);
	va_end(ap);
	errno = e;
}

/* -h: the usage on standard output, exit 0 (111 if it cannot be
 * written). */
void
diag_help(const char *usage)
{
	printf("usage: %s\n", usage);
	exit(fflush(stdout) == 0 ? 0 : EXIT_TEMP);
}

/* -V: "PROG (tend) VERSION" on standard output, exit 0. */
void
diag_version(const char *prog)
{
	printf("%s (tend) %s\n", prog, TEND_VERSION);
	exit(fflush(stdout) == 0 ? 0 : EXIT_TEMP);
}

void
die_usage(const char *usage)
{
	char buf[512];
	int r;

	r = snprintf(buf, sizeof buf, "usage: %s\n", usage);
	if (r > 0)
		(void)!write(2, buf, (size_t)r < sizeof buf ? (size_t)r :
		    sizeof buf - 1);
	exit(EXIT_USAGE);
}

/* "prog: fatal: WHY -OPT" (without the option if opt is 0), then the usage
 * line; exit 100. */
void
die_usage_why(const char *usage, const char *why, int opt)
{
	char buf[256];
	int r;

	if (opt != 0)
		r = snprintf(buf, sizeof buf, "%s: fatal: %s -%c\n", prefix, why,
		    opt);
	else
		r = snprintf(buf, sizeof buf, "%s: fatal: %s\n", prefix, why);
	if (r > 0 && (size_t)r < sizeof buf)
		(void)!write(2, buf, (size_t)r);
	die_usage(usage);
}

/* The symbolic name of an errno value ("ENOENT"), for machine-readable
 * records; NULL for the ones not listed. */
const char *
diag_errname(int e)
{
	switch (e) {
	case ENOENT:
		return "ENOENT";
	case EACCES:
		return "EACCES";
	case ENOEXEC:
		return "ENOEXEC";
	case ENOMEM:
		return "ENOMEM";
	case EAGAIN:
		return "EAGAIN";
	case ENOTDIR:
		return "ENOTDIR";
	case ETXTBSY:
		return "ETXTBSY";
	case ELOOP:
		return "ELOOP";
	case E2BIG:
		return "E2BIG";
	case EBADF:
		return "EBADF";
	case EPERM:
		return "EPERM";
	case EINVAL:
		return "EINVAL";
	case EMFILE:
		return "EMFILE";
	case ENFILE:
		return "ENFILE";
	case EISDIR:
		return "EISDIR";
	case ENAMETOOLONG:
		return "ENAMETOOLONG";
	default:
		return NULL;
	}
}
