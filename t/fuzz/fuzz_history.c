/* fuzz_history: history records as svhist reads them (history_parse,
 * history_get, history_runtime). What parses has a sane stamp and fields,
 * and reformats to a record that parses back the same. */
#include <stdio.h>

#include "fuzz.h"
#include "history.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct history_rec r, again;
	char kv[HISTORY_MAX_LINE], line[HISTORY_MAX_LINE];
	size_t n, used = 0;
	int64_t ms;
	int i, k;

	if (history_parse((const char *)data, size, &r) == -1)
		return 0;
	REQUIRE(r.ts.tv_sec >= 0 && r.ts.tv_nsec >= 0 &&
	    r.ts.tv_nsec < 1000000000);
	REQUIRE(r.event[0] != '\0' && strlen(r.event) < sizeof r.event);
	REQUIRE(r.nfields >= 0 && r.nfields <= HISTORY_MAX_FIELDS);
	kv[0] = '\0';
	for (i = 0; i < r.nfields; i++) {
		REQUIRE(r.field[i].key[0] != '\0');
		REQUIRE(history_get(&r, r.field[i].key) != NULL);
		k = snprintf(kv + used, sizeof kv - used, "%s%s=%s",
		    i ? " " : "", r.field[i].key, r.field[i].val);
		if (k < 0 || (size_t)k >= sizeof kv - used)
			return 0;
		used += (size_t)k;
	}
	k = history_runtime(&r, &ms);
	REQUIRE(k == 1 || k == -1 || (k == 0 && ms >= 0 &&
	    ms / 1000 <= (int64_t)r.ts.tv_sec));
	/* Whole microseconds survive the round trip. */
	r.ts.tv_nsec -= r.ts.tv_nsec % 1000;
	n = history_format(line, sizeof line, &r.ts, r.event, kv);
	if (n == 0)
		return 0;
	REQUIRE(history_parse(line, n, &again) == 0);
	REQUIRE(again.ts.tv_sec == r.ts.tv_sec &&
	    again.ts.tv_nsec == r.ts.tv_nsec);
	REQUIRE(strcmp(again.event, r.event) == 0);
	return 0;
}
