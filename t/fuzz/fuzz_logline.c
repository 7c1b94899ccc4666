/* fuzz_logline: svlog's line splitter. Any input, any line limit, any
 * output room, fed in rounds as svlog does: every piece is at most "max"
 * bytes with its stamp and newline; joining the pieces back (a piece
 * marked as continued joins the one before without a newline) gives the
 * input used, plus the newline of an unterminated last line if final. */
#include <time.h>

#include "fuzz.h"
#include "logline.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[1 << 15];
	struct logline ll;
	struct timespec ts = { 1795317255, 123456789 }, pts;
	const char *in, *p, *end, *nl;
	char *re;
	size_t max, cap, olen, used, total = 0, rlen = 0, off, n, newlines;
	int mode, final, cont;

	if (size < 4)
		return 0;
	mode = data[0] % 3;
	max = 1 + data[1] % 64;
	final = data[2] & 1;
	cap = 64 + (size_t)data[3] * 16;
	in = (const char *)data + 4;
	size -= 4;
	logline_init(&ll, mode, max);
	logline_stamp(&ll, &ts);
	/* Each piece adds at most one newline per max bytes. */
	re = malloc(2 * size + 2);
	REQUIRE(re != NULL);
	while (total < size) {
		olen = 0;
		used = logline_format(&ll, in + total, size - total, final, out,
		    cap, &olen);
		REQUIRE(olen <= cap && used <= size - total);
		REQUIRE((used == 0) == (olen == 0));
		newlines = 0;
		for (p = in + total; p < in + total + used; p++)
			newlines += *p == '\n';
		n = 0;
		for (p = out, end = out + olen; p < end; p = nl + 1) {
			nl = memchr(p, '\n', (size_t)(end - p));
			REQUIRE(nl != NULL);
			off = 0;
			cont = 0;
			if (mode != LOGLINE_NONE) {
				off = logline_parse(p, (size_t)(nl - p + 1),
				    &pts, &cont);
				REQUIRE(off == logline_prefix_len(mode));
				REQUIRE(pts.tv_sec == ts.tv_sec);
			}
			REQUIRE((size_t)(nl - p) - off <= max);
			if (cont) {
				REQUIRE(rlen > 0 && re[rlen - 1] == '\n');
				rlen--;
			}
			memcpy(re + rlen, p + off, (size_t)(nl - p) - off);
			rlen += (size_t)(nl - p) - off;
			re[rlen++] = '\n';
			n += (size_t)(nl - p) - off;
		}
		/* Bytes of text out = bytes in but the newlines. */
		REQUIRE(n == used - newlines);
		if (used == 0)
			break;
		total += used;
	}
	if (mode != LOGLINE_NONE) {
		if (ll.cont) {		/* the line goes on in a later piece */
			REQUIRE(rlen > 0);
			rlen--;
		}
		if (rlen == total + 1) {
			/* final added the last line's newline */
			REQUIRE(final && total > 0 && in[total - 1] != '\n');
			rlen--;
		}
		REQUIRE(rlen == total && memcmp(re, in, total) == 0);
	}
	free(re);
	return 0;
}
