/* svstatus: the supervise/status record, its text twins supervise/stat and
 * supervise/pid, and how they are read back.
 *
 * Layout (SVSTATUS_LEN bytes; readers of the lineage read the first 18 or
 * 20 and ignore the rest):
 *   0..11  TAI64N of the last pid or state change (djb label)
 *  12..15  pid, u32 little-endian: ./run, or ./finish while finishing
 *  16      paused (1/0)
 *  17      want: 'u' or 'd' ("once" and "exit" show as 'd', as in runit)
 *  18      got-TERM flag
 *  19      state: 0 down, 1 run, 2 finish
 * tend's fields:
 *  20      layout version (1)
 *  21      flags: SVF_*
 *  22      more flags: SVX_*
 *  23      failed liveness checks in a row (capped at 255)
 *  24..27  pid of the run, u32 LE, also while ./finish runs (0 when none)
 *  28..31  wait status of the last run's end, u32 LE (valid if SVF_EXITED)
 *  32..43  TAI64N when the run became ready (valid if SVF_READY)
 *  44..47  consecutive short runs, u32 LE (drives the restart delay)
 *  48..59  TAI64N when the next start is due (valid if SVF_WAITING)
 *  60..63  starts since supervise began, u32 LE
 */
#ifndef SVSTATUS_H
#define SVSTATUS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SVSTATUS_LEN	64
#define SVSTATUS_VERSION 1

enum svstate {
	SV_DOWN = 0,
	SV_RUN = 1,
	SV_FINISH = 2
};

#define SVF_READY	0x01	/* the run signalled readiness */
#define SVF_FAILED	0x02	/* gave up after max-restarts short runs */
#define SVF_ONCE	0x04	/* want is "once" (byte 17 shows 'd') */
#define SVF_NORMALLYUP	0x08	/* no ./down file at supervise start */
#define SVF_EXIT	0x10	/* supervise will exit once down */
#define SVF_WAITING	0x20	/* down, start due at "due" */
#define SVF_EXITED	0x40	/* wstatus holds how the last run ended */
#define SVF_CONFERR	0x80	/* a config file was invalid at last start */

/* Byte 22. */
#define SVX_DONE	0x01	/* down for good by its restart policy: the
				 * run ended, restart never (or on-failure
				 * after exit 0) keeps it down */

struct svstatus {
	struct timespec	stamp;
	uint32_t	pid;
	int		paused;
	char		want;		/* 'u' or 'd' */
	int		gotterm;
	int		state;		/* enum svstate */
	int		version;	/* 0: a foreign 18/20-byte record */
	unsigned	flags;
	unsigned	xflags;		/* SVX_* */
	uint32_t	runpid;
	uint32_t	wstatus;
	struct timespec	readystamp;
	uint32_t	shortruns;
	struct timespec	due;
	uint32_t	starts;
	unsigned	checkfailures;	/* failed liveness checks in a row */
};

/* What svstatus_write_cached last wrote to each file, so that a file
 * whose bytes would not change is not replaced (on a disk every rename
 * costs, and each wakes a reader watching supervise/). Zero it before the
 * first use; a failed write forgets that file, so the next one retries. */
#define SVSTATUS_TEXT_MAX 64
struct svstatus_cache {
	unsigned	have;		/* SVSTATUS_C_*: which entries hold */
	unsigned char	rec[SVSTATUS_LEN];
	char		stat[SVSTATUS_TEXT_MAX];
	char		pid[16];
	size_t		statlen, pidlen;
	unsigned	written;	/* files replaced so far (tests, bench) */
};

#define SVSTATUS_C_STATUS	0x01
#define SVSTATUS_C_STAT		0x02
#define SVSTATUS_C_PID		0x04

void	svstatus_pack(unsigned char *, const struct svstatus *);
int	svstatus_unpack(const unsigned char *, size_t, struct svstatus *);
size_t	svstatus_stat_text(char *, size_t, const struct svstatus *);
/* The writers are supervise's: sdir at most 240 bytes (it is short and
 * relative there: "supervise", "log/supervise"). */
int	svstatus_write(const char *, const struct svstatus *);
int	svstatus_write_cached(const char *, const struct svstatus *,
	    struct svstatus_cache *);
int	svstatus_read(const char *, struct svstatus *);

#endif
