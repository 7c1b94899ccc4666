/* fuzz_svstatus: svstatus_unpack over any bytes. A record it accepts has
 * sane fields, and packs and unpacks back to the same fields. */
#include <time.h>

#include "fuzz.h"
#include "svstatus.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char b[SVSTATUS_LEN];
	struct svstatus st, again;
	char text[128];
	size_t n;

	if (svstatus_unpack(data, size, &st) == -1)
		return 0;
	REQUIRE(size >= 18);
	REQUIRE(st.state >= SV_DOWN && st.state <= SV_FINISH);
	REQUIRE(st.want == 'u' || st.want == 'd');
	REQUIRE(st.paused == 0 || st.paused == 1);
	REQUIRE(st.stamp.tv_nsec >= 0 && st.stamp.tv_nsec < 1000000000);
	REQUIRE(st.readystamp.tv_nsec >= 0 &&
	    st.readystamp.tv_nsec < 1000000000);
	REQUIRE(st.due.tv_nsec >= 0 && st.due.tv_nsec < 1000000000);
	n = svstatus_stat_text(text, sizeof text, &st);
	REQUIRE(n > 0 && n < sizeof text && text[n - 1] == '\n');
	svstatus_pack(b, &st);
	REQUIRE(svstatus_unpack(b, sizeof b, &again) == 0);
	REQUIRE(again.stamp.tv_sec == st.stamp.tv_sec);
	REQUIRE(again.stamp.tv_nsec == st.stamp.tv_nsec);
	REQUIRE(again.pid == st.pid && again.paused == st.paused);
	REQUIRE(again.want == st.want && again.state == st.state);
	REQUIRE(again.gotterm == st.gotterm);
	if (st.version >= 1) {
		REQUIRE(again.flags == st.flags && again.runpid == st.runpid);
		REQUIRE(again.wstatus == st.wstatus);
		REQUIRE(again.shortruns == st.shortruns);
		REQUIRE(again.starts == st.starts);
	}
	return 0;
}
