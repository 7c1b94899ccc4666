#!/bin/sh
# t/deps.sh CC: make check's set-up. The unit tests need the Check library
# (Debian packages check and pkg-config); everything else a test uses is
# optional and skipped visibly, naming its package, when missing.
#   - Check's header compiles: exit 0.
#   - Missing, and we are root on Debian: install exactly check and
#     pkg-config, saying so on one line, then exit 0 if that worked.
#   - Otherwise exit 1 and print why on stdout, for t/run.sh to show as
#     the unit tests' skip reason.
cc=${1:-cc}

have_check() {
	printf '#include <check.h>\nint main(void) { return 0; }\n' |
	    $cc $(pkg-config --cflags check 2>/dev/null) -E -x c - \
	    >/dev/null 2>&1
}

have_check && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "make check: installing the test dependencies: apt-get install check pkg-config" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -qq check pkg-config >/dev/null 2>&1; then
		apt-get update -qq >/dev/null 2>&1
		apt-get install -y -qq check pkg-config >/dev/null 2>&1
	fi
	have_check && exit 0
	echo "the Check library is missing and apt-get install check pkg-config failed"
	exit 1
fi
echo "the Check library is missing: apt-get install check pkg-config (as root), then make check"
exit 1
