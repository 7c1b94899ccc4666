/* diag: the one diagnostic format and the exit codes shared by every program.
 *
 *   prog: fatal: unable to VERB OBJ: strerror
 *   prog: warning: ...
 *   prog: info: ...          (only where asked for, e.g. svscan -v)
 *
 * The prefix is set once at startup (diag_init) and never changed after;
 * each message goes out in a single write(2) and errno is preserved.
 *
 * Every program's command line follows one convention: -h prints the usage
 * on stdout and exits 0 (diag_help), -V prints "PROG (tend) VERSION" and
 * exits 0 (diag_version), a usage error prints why and the usage on stderr
 * and exits 100 (die_usage, die_usage_why). svc is the one exception: its
 * -h is the hangup command, as in daemontools. */
#ifndef DIAG_H
#define DIAG_H

#define EXIT_USAGE	100	/* usage error or bad input */
#define EXIT_TEMP	111	/* system or temporary failure */
#define EXIT_BUG	101	/* internal error */

void	diag_init(const char *);
const char *diag_prefix(void);
void	die_sys(int, const char *, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
void	die_x(int, const char *, ...)
	    __attribute__((noreturn, format(printf, 2, 3)));
void	warn_sys(const char *, ...) __attribute__((format(printf, 1, 2)));
void	warn_x(const char *, ...) __attribute__((format(printf, 1, 2)));
void	info_x(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fail_x(const char *, ...) __attribute__((format(printf, 1, 2)));
void	die_usage(const char *) __attribute__((noreturn));
void	diag_help(const char *) __attribute__((noreturn));
void	diag_version(const char *) __attribute__((noreturn));
void	die_usage_why(const char *, const char *, int)
	    __attribute__((noreturn));
const char *diag_errstr(int);
const char *diag_errname(int);

#endif
