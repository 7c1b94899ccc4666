# t/lib.sh: shared by the black-box tests. Source it from t/NAME.sh:
#   . "$(dirname "$0")/lib.sh"
# It gives a scratch directory $T (removed at exit, every process whose
# working directory lies under it killed), the built programs in $BIN, and:
#   check DESC CMD...       run CMD; "ok"/"not ok" line
#   check_eq DESC WANT GOT  compare two strings
#   wait_until SECS CMD...  poll CMD every 10 ms until it succeeds or the
#                           deadline passes (1 = timed out); never a bare sleep
#   skip DESC REASON        a visible skip
#   done_testing            summary line; exit status 1 if anything failed
# Tests run under `env -` (t/run.sh), so set what you need explicitly.

TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=$TOP/bin
HELPERS=$TOP/t/helpers/bin
PATH=$BIN:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
export PATH
T=$(mktemp -d "${TMPDIR:-/tmp}/tend-test.XXXXXX")
T=$(cd "$T" && pwd -P)
_pass=0
_fail=0
_skip=0
_name=$(basename "$0" .sh)

# Kill everything that runs inside the scratch directory, then remove it.
_cleanup() {
	for _p in /proc/[0-9]*; do
		_c=$(readlink "$_p/cwd" 2>/dev/null) || continue
		case "$_c" in "$T"|"$T"/*) kill -9 "${_p#/proc/}" 2>/dev/null ;; esac
	done
	rm -rf "$T"
}
trap _cleanup EXIT
trap 'exit 1' INT TERM

check() {
	_d=$1
	shift
	if "$@"; then
		_pass=$((_pass + 1))
		echo "ok - $_name: $_d"
	else
		_fail=$((_fail + 1))
		echo "not ok - $_name: $_d"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		_pass=$((_pass + 1))
		echo "ok - $_name: $1"
	else
		_fail=$((_fail + 1))
		echo "not ok - $_name: $1"
		echo "#   want: $(printf '%s' "$2" | head -c 2000)"
		echo "#   got:  $(printf '%s' "$3" | head -c 2000)"
	fi
}

skip() {
	_skip=$((_skip + 1))
	echo "skip - $_name: $1 ($2)"
}

wait_until() {
	_secs=$1
	shift
	_n=$((_secs * 100))
	while [ "$_n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.01
		_n=$((_n - 1))
	done
	"$@"
}

done_testing() {
	echo "# $_name: $_pass passed, $_fail failed, $_skip skipped"
	[ "$_fail" -eq 0 ]
}
