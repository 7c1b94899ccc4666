/* fuzz_svconf: a config file's bytes through svconf's value parsers
 * (svconf_read_line, svconf_read_ms, svconf_signal_parse) and a whole
 * service directory's svconf_load. The first byte picks the file. */
#include <sys/stat.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "svconf.h"

static const char *files[] = {
	"timeout-finish", "timeout-kill", "down-signal", "restart",
	"min-uptime", "backoff-max", "max-restarts", "notification-fd",
};

static char dir[64];

static void
put(const char *name, const uint8_t *data, size_t size)
{
	char path[128];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	REQUIRE(fd != -1);
	REQUIRE(size == 0 || write(fd, data, size) == (ssize_t)size);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svconf c;
	char path[128], line[256], *s;
	const char *name;
	int64_t ms;
	int r, sig;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof dir, "/tmp/tend-fuzz-svconf.%d",
		    (int)getpid());
		REQUIRE(mkdir(dir, 0700) == 0 || access(dir, W_OK) == 0);
	}
	if (size == 0)
		return 0;
	name = files[data[0] % (sizeof files / sizeof files[0])];
	put(name, data + 1, size - 1);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	r = svconf_read_line(path, line, sizeof line);
	REQUIRE(r == 1 && strlen(line) < sizeof line);
	REQUIRE(strchr(line, '\n') == NULL);
	sig = svconf_signal_parse(line);
	REQUIRE(sig == -1 || (sig > 0 && sig < NSIG));
	r = svconf_read_ms(path, 3600000, &ms);
	REQUIRE(r == -1 || (r == 1 && ms >= 0 && ms <= 3600000));
	r = svconf_read_ms(path, INT64_MAX, &ms);
	REQUIRE(r == -1 || (r == 1 && ms >= 0));
	s = fuzz_str(data + 1, size - 1);
	sig = svconf_signal_parse(s);
	REQUIRE(sig == -1 || (sig > 0 && sig < NSIG));
	free(s);
	/* The whole directory: an invalid value names its file. */
	if (svconf_load(dir, &c) == -1)
		REQUIRE(strcmp(c.bad, name) == 0);
	REQUIRE(c.timeout_kill >= 0 && c.min_uptime >= 0 &&
	    c.backoff_max >= 0 && c.max_restarts >= 0);
	REQUIRE(c.down_signal > 0 && c.down_signal < NSIG);
	REQUIRE(c.notification_fd >= -1);
	unlink(path);
	return 0;
}
