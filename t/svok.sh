#!/bin/sh
# svok: exit 0 while a supervise holds DIR/supervise/ok, 100 when none
# does or there is no supervise directory, 111 on other errors; silent
# except for 111 and usage errors. Checked against daemontools' supervise,
# runit's runsv and tend's own supervise (each skipped visibly when not
# installed or not built), and against daemontools' svok where installed.
# not tested: a path longer than PATH_MAX.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/clients.sh"

# run_svok DIR: sets rc, out (stdout) and err (stderr) of svok DIR.
run_svok() {
	svok "$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(sed "s|$T/||g" "$T/err")
}

# --- usage
run_svok -h
check_eq "-h exits 0" 0 "$rc"
check_eq "-h prints the usage on stdout" "usage: svok DIR" "$out"
run_svok -V
check_eq "-V exits 0" 0 "$rc"
check_eq "-V prints the version" "svok (tend) 0.1.0" "$out"
run_svok
check_eq "no directory exits 100" 100 "$rc"
check_eq "no directory: message and usage" "svok: fatal: no directory given
usage: svok DIR" "$err"
run_svok -Z "$T"
check_eq "bad option exits 100" 100 "$rc"
check_eq "bad option: message and usage" "svok: fatal: unknown option -Z
usage: svok DIR" "$err"
run_svok "$T" "$T"
check_eq "two directories exit 100" 100 "$rc"

# --- not running
run_svok "$T/missing"
check_eq "missing directory exits 100" 100 "$rc"
check_eq "missing directory is silent" "" "$err"
mksv "$T/never"
run_svok "$T/never"
check_eq "no supervise/ exits 100" 100 "$rc"
check_eq "no supervise/ is silent" "" "$err"
mkdir -p "$T/stale/supervise"
mkfifo "$T/stale/supervise/ok"
run_svok "$T/stale"
check_eq "ok FIFO without reader exits 100" 100 "$rc"
check_eq "ok FIFO without reader is silent" "" "$out$err"
if [ -x /usr/bin/svok ]; then
	/usr/bin/svok "$T/stale"
	check_eq "daemontools svok agrees on a stale FIFO" 100 "$?"
fi

# --- other errors
: >"$T/file"
run_svok "$T/file"
check_eq "a file as DIR exits 111" 111 "$rc"
check_eq "a file as DIR: one line" \
    "svok: fatal: unable to open file/supervise/ok: not a directory" "$err"

# --- a reader on the ok FIFO is all it takes
mkdir -p "$T/fake/supervise"
mkfifo "$T/fake/supervise/ok"
(cd "$T/fake/supervise" && exec sleep 1000 3<>ok) &
HP=$!
# The reader holds the FIFO once its descriptor 3 exists.
wait_until 5 test -e "/proc/$HP/fd/3" >/dev/null
run_svok "$T/fake"
check_eq "held ok FIFO exits 0" 0 "$rc"
check_eq "held ok FIFO is silent" "" "$out$err"

# --- real supervisors
for kind in runit daemontools tend; do
	if ! have "$kind"; then
		skip "$kind supervisor" "not installed or not built"
		continue
	fi
	mksv "$T/$kind"
	start "$kind" "$kind"
	check "$kind: svok succeeds once it runs" wait_until 5 svok "$T/$kind"
	run_svok "$T/$kind"
	check_eq "$kind: running exits 0, silently" "0:" "$rc:$out$err"
	if [ -x /usr/bin/svok ]; then
		/usr/bin/svok "$T/$kind"
		check_eq "$kind: daemontools svok agrees" 0 "$?"
	fi
	svc -dx "$T/$kind"
	check "$kind: svok fails once supervise exited" \
	    wait_until 10 eval '! svok "$T/$kind"'
	run_svok "$T/$kind"
	check_eq "$kind: after exit: 100, silently" "100:" "$rc:$out$err"
done

done_testing
