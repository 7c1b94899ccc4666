/* fuzz_svcontrol: the control bytes as supervise reads them, one at a
 * time: each is a known command or ignored, and a signal only for the
 * letters that send one. */
#include <signal.h>

#include "fuzz.h"
#include "svcontrol.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;
	int c, v, sig;

	for (i = 0; i < size; i++) {
		c = data[i];
		v = svcontrol_valid(c);
		sig = svcontrol_signal(c);
		REQUIRE(v == (c != 0 && strchr(SVCONTROL_BYTES, c) != NULL));
		REQUIRE(sig >= 0 && sig < NSIG);
		REQUIRE(sig == 0 || v);
	}
	return 0;
}
