/* fuzz_svtail: what svtail parses: log file names (logdir_name_parse,
 * logdir_name_cmp), stamps at the start of a line (logline_parse), and
 * -s SINCE (timefmt_duration_parse, timefmt_iso_parse). A name that
 * parses is written back the same; a time that parses is a real time. */
#include <time.h>

#include "fuzz.h"
#include "logdir.h"
#include "logline.h"
#include "timefmt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[LOGDIR_NAMEMAX], *s;
	struct timespec ts, back;
	int64_t ms;
	size_t off;
	char kind;
	int cont;

	s = fuzz_str(data, size);
	if (logdir_name_parse(s, &ts, &kind) == 0) {
		REQUIRE(kind == 's' || kind == 'u');
		REQUIRE(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
		REQUIRE(logdir_name_cmp(s, s) == 0);
		if (strlen(s) == LOGDIR_NAMELEN && ts.tv_sec >= 0 &&
		    ts.tv_sec < 253402300800LL) {
			REQUIRE(logdir_name(name, &ts, kind) == LOGDIR_NAMELEN);
			REQUIRE(logdir_name_parse(name, &back, &kind) == 0);
			REQUIRE(back.tv_sec == ts.tv_sec &&
			    back.tv_nsec / 1000 == ts.tv_nsec / 1000);
		}
	}
	/* The order of names is an order: a < b exactly when b > a. */
	if (size > 1)
		REQUIRE((logdir_name_cmp(s, s + 1) < 0) ==
		    (logdir_name_cmp(s + 1, s) > 0));
	off = logline_parse(s, size, &ts, &cont);
	REQUIRE(off == 0 || off == ISO_LEN + 1 ||
	    off == LOGLINE_TAI64N_LEN + 1);
	if (off > 0)
		REQUIRE(off <= size && (cont == 0 || cont == 1) &&
		    ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	if (timefmt_duration_parse(s, &ms) == 0)
		REQUIRE(ms >= 0);
	if (timefmt_iso_parse(s, size, &ts) == 0)
		REQUIRE(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	free(s);
	return 0;
}
