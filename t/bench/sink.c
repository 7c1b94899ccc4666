/*
 * sink: the stand-in logger of t/bench/bench-tree.sh when tend's svlog is
 * not there: read stdin and drop it, exit at end of input. Static musl.
 */
#include <unistd.h>

int
main(void)
{
	static char buf[4096];

	while (read(0, buf, sizeof buf) > 0)
		;
	return 0;
}
