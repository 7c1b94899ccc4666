/* check_svtab: svscan's service table (scans, renames, removals) and its
 * judgements on status records (fresh, ready, down for good, kill). */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deadline.h"
#include "svstatus.h"
#include "svtab.h"
#include "timefmt.h"

static char dir[64];

/* A scratch scan directory, the working directory of the test. */
static void
setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/check_svtab.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(chdir(dir), 0);
}

static void
teardown(void)
{
	char cmd[128];

	if (chdir("/") == 0) {
		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		(void)system(cmd);
	}
}

static void
touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	ck_assert_int_ne(fd, -1);
	close(fd);
}

static struct svtab_entry *
find(struct svtab *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->e[i].name, name) == 0)
			return &t->e[i];
	return NULL;
}

/* Directories (and symlinks to one) are services; dot names and files
 * are not. New entries come at the end, with nothing running. */
START_TEST(test_scan)
{
	struct svtab t = { NULL, 0, 0 };
	struct svtab_entry *e;
	size_t first, failed;

	ck_assert_int_eq(mkdir("a", 0755), 0);
	ck_assert_int_eq(mkdir("b", 0755), 0);
	ck_assert_int_eq(mkdir(".hidden", 0755), 0);
	touch("file");
	ck_assert_int_eq(symlink("/", "root"), 0);
	ck_assert_int_eq(symlink("nowhere", "dangling"), 0);
	ck_assert_int_eq(svtab_scan(&t, ".", &first, &failed), 0);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(failed, 0);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_ptr_nonnull(e = find(&t, "a"));
	ck_assert_int_eq(e->seen, 1);
	ck_assert_int_eq(e->pid, 0);
	ck_assert_int_eq(e->ctlfd, -1);
	ck_assert_int_eq(e->wd, -1);
	ck_assert(e->retry == NOTIME);
	ck_assert_ptr_nonnull(find(&t, "b"));
	ck_assert_ptr_nonnull(find(&t, "root"));
	/* Again: nothing new, everything seen. */
	ck_assert_int_eq(svtab_scan(&t, ".", &first, &failed), 0);
	ck_assert_uint_eq(first, 3);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_int_eq(find(&t, "b")->seen, 1);
	svtab_clear(&t, -1);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_ptr_null(t.e);
}
END_TEST

/* A renamed directory keeps its entry; a removed one is unseen; a new one
 * is added after the others. */
START_TEST(test_changes)
{
	struct svtab t = { NULL, 0, 0 };
	struct svtab_entry *e;
	size_t first, failed;

	ck_assert_int_eq(mkdir("a", 0755), 0);
	ck_assert_int_eq(mkdir("b", 0755), 0);
	ck_assert_int_eq(svtab_scan(&t, ".", &first, &failed), 0);
	ck_assert_uint_eq(t.n, 2);
	find(&t, "a")->pid = 42;
	ck_assert_int_eq(rename("a", "c"), 0);
	/* d first: made after the rmdir it could take b's inode. */
	ck_assert_int_eq(mkdir("d", 0755), 0);
	ck_assert_int_eq(rmdir("b"), 0);
	ck_assert_int_eq(svtab_scan(&t, ".", &first, &failed), 0);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_uint_eq(first, 2);
	ck_assert_str_eq(t.e[2].name, "d");
	ck_assert_int_eq(t.e[2].seen, 1);
	/* The renamed one: same entry (its supervise), still seen. */
	ck_assert_ptr_nonnull(e = find(&t, "a"));
	ck_assert_int_eq(e->pid, 42);
	ck_assert_int_eq(e->seen, 1);
	ck_assert_int_eq(find(&t, "b")->seen, 0);
	/* Freeing one moves the last into its place. */
	svtab_free(&t, (size_t)(find(&t, "b") - t.e), -1);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_ptr_null(find(&t, "b"));
	ck_assert_ptr_nonnull(find(&t, "d"));
	svtab_clear(&t, -1);
}
END_TEST

/* A removed entry whose inode comes back is not found as the live one. */
START_TEST(test_removed)
{
	struct svtab t = { NULL, 0, 0 };
	size_t first, failed;

	ck_assert_int_eq(mkdir("a", 0755), 0);
	ck_assert_int_eq(svtab_scan(&t, ".", &first, &failed), 0);
	t.e[0].removed = 1;
	ck_assert_int_eq(svtab_scan(&t, ".", &first, &failed), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(first, 1);
	ck_assert_int_eq(t.e[0].removed + t.e[1].removed, 1);
	svtab_clear(&t, -1);
}
END_TEST

START_TEST(test_unreadable)
{
	struct svtab t = { NULL, 0, 0 };
	size_t first = 99, failed = 99;

	errno = 0;
	ck_assert_int_eq(svtab_scan(&t, "no-such-dir", &first, &failed), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(failed, 0);
}
END_TEST

/* Write NAME/supervise/status. */
static void
record(const char *name, struct svstatus *st)
{
	char sdir[128];

	snprintf(sdir, sizeof sdir, "%s/supervise", name);
	(void)mkdir(name, 0755);
	(void)mkdir(sdir, 0755);
	ck_assert_int_eq(svstatus_write(sdir, st), 0);
}

static void
fresh(struct svstatus *st, int state, unsigned flags)
{
	memset(st, 0, sizeof *st);
	timefmt_now(&st->stamp);
	st->want = 'u';
	st->state = state;
	st->version = SVSTATUS_VERSION;
	st->flags = flags;
}

/* Our supervise's record: fresh by its stamp, by its file's time only,
 * or stale; an adopted one's is current. */
START_TEST(test_status)
{
	struct svtab_entry e;
	struct svstatus st, got;
	struct timespec old[2];

	memset(&e, 0, sizeof e);
	e.name = "s";
	ck_assert_int_eq(svtab_status(&e, &got), -1);
	fresh(&st, SV_RUN, 0);
	record("s", &st);
	ck_assert_int_eq(svtab_status(&e, &got), 1);	/* adopted */
	e.pid = 1;
	e.startwall = st.stamp;
	ck_assert_int_eq(svtab_status(&e, &got), 1);
	deadline_ts_add_ms(&e.startwall, 5000);	/* started after it */
	timefmt_now(&old[0]);
	deadline_ts_add_ms(&old[0], 5000);
	old[1] = old[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, "s/supervise/status", old, 0),
	    0);
	ck_assert_int_eq(svtab_status(&e, &got), 2);
	deadline_ts_add_ms(&old[0], -60000);
	old[1] = old[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, "s/supervise/status", old, 0),
	    0);
	ck_assert_int_eq(svtab_status(&e, &got), 0);
	ck_assert_int_eq(svtab_ready(&e), 0);		/* stale */
}
END_TEST

START_TEST(test_ready)
{
	struct svtab_entry e;
	struct svstatus st;

	memset(&e, 0, sizeof e);
	e.name = "s";
	ck_assert_int_eq(svtab_ready(&e), 0);		/* no record */
	fresh(&st, SV_RUN, SVF_NORMALLYUP);
	record("s", &st);
	ck_assert_int_eq(svtab_ready(&e), 0);		/* up, not ready */
	fresh(&st, SV_RUN, SVF_NORMALLYUP | SVF_READY);
	record("s", &st);
	ck_assert_int_eq(svtab_ready(&e), 1);
	fresh(&st, SV_DOWN, SVF_NORMALLYUP);
	record("s", &st);
	ck_assert_int_eq(svtab_ready(&e), 0);
	fresh(&st, SV_DOWN, 0);				/* normally down */
	record("s", &st);
	ck_assert_int_eq(svtab_ready(&e), 1);
	fresh(&st, SV_RUN, 0);				/* a foreign record */
	st.version = 0;
	record("s", &st);
	ck_assert_int_eq(svtab_ready(&e), 1);
	fresh(&st, SV_DOWN, SVF_NORMALLYUP);
	record("s", &st);
	touch("s/down");
	ck_assert_int_eq(svtab_ready(&e), 1);
}
END_TEST

START_TEST(test_down_for_good)
{
	struct svtab_entry e;
	struct svstatus st;
	int code = -1;

	memset(&e, 0, sizeof e);
	e.name = "s";
	ck_assert_int_eq(svtab_down_for_good(&e, &code), 0);
	fresh(&st, SV_DOWN, SVF_FAILED);
	record("s", &st);
	ck_assert_int_eq(svtab_down_for_good(&e, &code), 1);
	ck_assert_int_eq(code, 1);
	fresh(&st, SV_DOWN, SVF_EXITED);
	st.xflags = SVX_DONE;
	st.wstatus = 3 << 8;				/* exit 3 */
	record("s", &st);
	ck_assert_int_eq(svtab_down_for_good(&e, &code), 1);
	ck_assert_int_eq(code, 3);
	fresh(&st, SV_DOWN, 0);				/* merely down */
	record("s", &st);
	ck_assert_int_eq(svtab_down_for_good(&e, &code), 0);
	fresh(&st, SV_RUN, SVF_FAILED);
	record("s", &st);
	ck_assert_int_eq(svtab_down_for_good(&e, &code), 0);
	/* A record older than our start does not count. */
	fresh(&st, SV_DOWN, SVF_FAILED);
	record("s", &st);
	e.pid = 1;
	e.startwall = st.stamp;
	deadline_ts_add_ms(&e.startwall, 60000);
	ck_assert_int_eq(svtab_down_for_good(&e, &code), 0);
}
END_TEST

/* KILL to the run's process group, as the record names it. */
START_TEST(test_kill)
{
	struct svstatus st;
	pid_t pid;
	int ws;

	ck_assert_int_eq(svtab_kill("s", "supervise"), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		(void)setpgid(0, 0);
		for (;;)
			pause();
	}
	(void)setpgid(pid, pid);
	fresh(&st, SV_DOWN, 0);
	st.runpid = (uint32_t)pid;
	record("s", &st);
	ck_assert_int_eq(svtab_kill("s", "supervise"), 0);	/* down */
	fresh(&st, SV_RUN, 0);
	st.runpid = st.pid = (uint32_t)pid;
	record("s", &st);
	ck_assert_int_eq(svtab_kill("s", "supervise"), 1);
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("svtab");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_scan);
	tcase_add_test(tc, test_changes);
	tcase_add_test(tc, test_removed);
	tcase_add_test(tc, test_unreadable);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_ready);
	tcase_add_test(tc, test_down_for_good);
	tcase_add_test(tc, test_kill);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
