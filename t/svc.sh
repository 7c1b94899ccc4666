#!/bin/sh
# svc: control bytes arrive in order and in one write; -w waits until they
# took effect (checked right after svc returns, without waiting again);
# -T bounds the wait; exit statuses count the failed directories. Run
# against runit's runsv, daemontools' supervise and tend's own supervise,
# each skipped visibly when not installed or not built.
# not tested: the 10 ms polling fallback when inotify is unavailable; -T 0
# (wait forever).
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/clients.sh"

# run_svc ARG...: sets rc, out and err (with $T/ removed) of svc ARG...
run_svc() {
	svc "$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(sed "s|$T/||g" "$T/out")
	err=$(sed "s|$T/||g" "$T/err")
}

# state DIR: up, down, finishing, or what svstat said instead.
state() {
	svstat "$1" | sed 's/^[^:]*: \([a-z]*\).*/\1/'
}

# pid DIR: the service's pid while up, else nothing.
pid() {
	svstat "$1" | sed -n 's/^[^(]*: up (pid \([0-9]*\)).*/\1/p'
}

# fake NAME: a directory $T/NAME whose ok FIFO is held open, so that it
# counts as supervised; its status is whatever put_status writes.
fake() {
	mkdir -p "$T/$1/supervise"
	mkfifo "$T/$1/supervise/ok"
	(cd "$T/$1/supervise" && exec sleep 1000 3<>ok) &
	wait_until 5 svok "$T/$1"
}

is_up() { [ "$(state "$1")" = up ]; }
is_paused() { svstat "$1" | grep -q '^[^;]*, paused'; }
not_paused() { ! is_paused "$1"; }

# --- usage
USAGE="usage: svc -udopchaiq12tkx [-w] [-T ms] DIR..."
run_svc -V
check_eq "-V: version, exit 0" "0:svc (tend) 0.1.0" "$rc:$out"
run_svc -uZ "$T"
check_eq "unknown option exits 100" 100 "$rc"
check_eq "unknown option: one line and the usage" \
    "svc: fatal: unknown option -Z
$USAGE" "$err"
run_svc -u
check_eq "no directory exits 100" 100 "$rc"
check_eq "no directory: message" "svc: fatal: no directory given
$USAGE" "$err"
run_svc "$T"
check_eq "no command exits 100" 100 "$rc"
check_eq "no command: message" "svc: fatal: no command given
$USAGE" "$err"
run_svc -uw -T x "$T"
check_eq "bad -T exits 100" "100:svc: fatal: invalid timeout: x
$USAGE" "$rc:$err"
# Digits only (num.c): strtol took " 5" and "+5".
run_svc -uw -T +5 "$T"
check_eq "-T with a sign exits 100" "100:svc: fatal: invalid timeout: +5
$USAGE" "$rc:$err"
run_svc -u -T
check_eq "-T without a value exits 100" \
    "100:svc: fatal: option -T needs an argument
$USAGE" "$rc:$err"

# --- failures are counted, and svc goes on with the next directory
mksv "$T/never"
mkdir -p "$T/stale/supervise"
mkfifo "$T/stale/supervise/control" "$T/stale/supervise/ok"
: >"$T/file"
run_svc -u "$T/missing" "$T/never" "$T/stale" "$T/file"
check_eq "four failing directories exit 4" 4 "$rc"
check_eq "one line per failing directory" \
    "svc: fatal: unable to control missing: file does not exist
svc: fatal: unable to control never: supervise not running
svc: fatal: unable to control stale: supervise not running
svc: fatal: unable to control file: not a directory" "$err"
run_svc -uw -T 200 "$T/stale"
check_eq "-w on a dead supervise waits -T for one, then fails" \
    "1:svc: fatal: unable to control stale: supervise not running (waited 200 ms)" \
    "$rc:$err"
set --
i=0
while [ "$i" -lt 120 ]; do
	set -- "$@" "$T/missing$i"
	i=$((i + 1))
done
svc -d "$@" 2>/dev/null
check_eq "120 failures exit 99" 99 "$?"

# --- letters arrive in the order given, duplicates kept, in one write
mkdir -p "$T/fake/supervise"
mkfifo "$T/fake/supervise/control"
(cd "$T/fake/supervise" && exec cat control >got) &
check "delivered to a reader of control" \
    wait_until 5 eval 'svc -dxu -T 1 -udopchaiq12tkx -kk "$T/fake" 2>/dev/null'
wait_until 5 test -s "$T/fake/supervise/got"
check_eq "bytes in order, duplicates kept" "dxuudopchaiq12tkxkk" \
    "$(cat "$T/fake/supervise/got")"

# --- against real supervisors
for kind in runit daemontools tend; do
	if ! have "$kind"; then
		skip "$kind supervisor" "not installed or not built"
		continue
	fi
	d=$T/$kind
	mksv "$d"
	if [ "$kind" != daemontools ]; then
		mksv "$d/log" 'exec cat >/dev/null'
	fi
	start "$kind" "$kind"
	check "$kind: comes up" wait_until 5 is_up "$d"

	run_svc -dw "$d"
	check_eq "$kind: -dw exits 0, silently" "0:" "$rc:$err"
	check_eq "$kind: down when -dw returns" down "$(state "$d")"
	run_svc -uw "$d"
	check_eq "$kind: -uw exits 0" 0 "$rc"
	check_eq "$kind: up when -uw returns" up "$(state "$d")"

	p1=$(pid "$d")
	run_svc -tw "$d"
	p2=$(pid "$d")
	check_eq "$kind: -tw exits 0" 0 "$rc"
	check "$kind: -tw returns with a new pid ($p1 -> $p2)" \
	    eval '[ -n "$p2" ] && [ "$p2" != "$p1" ]'
	run_svc -kw "$d"
	p3=$(pid "$d")
	check_eq "$kind: -kw exits 0" 0 "$rc"
	check "$kind: -kw returns with a new pid ($p2 -> $p3)" \
	    eval '[ -n "$p3" ] && [ "$p3" != "$p2" ]'

	run_svc -p "$d"
	check_eq "$kind: -p exits 0" 0 "$rc"
	check "$kind: -p pauses" wait_until 5 is_paused "$d"
	run_svc -c "$d"
	check "$kind: -c continues" wait_until 5 not_paused "$d"

	# The order matters: the last of u and d wins.
	run_svc -w -ud "$d"
	check_eq "$kind: -w -ud ends down" "0:down" "$rc:$(state "$d")"
	run_svc -w -du "$d"
	check_eq "$kind: -w -du ends up" "0:up" "$rc:$(state "$d")"
	run_svc -dw "$d"
	run_svc -ow "$d"
	check_eq "$kind: -ow returns once started" "0:up" "$rc:$(state "$d")"

	# A service that ignores TERM stays up: -T bounds the wait. (Long
	# enough for daemontools' supervise, which sleeps 1 s after a start.)
	s=$T/$kind.stubborn
	mksv "$s" "trap '' TERM
exec sleep 1000"
	start "$kind" "$kind.stubborn"
	check "$kind: stubborn service comes up" wait_until 5 is_up "$s"
	run_svc -dw -T 1500 "$s" "$d"
	check_eq "$kind: -T: timed out on one of two: exit 1" 1 "$rc"
	check_eq "$kind: -T: one warning line" \
	    "svc: warning: $kind.stubborn: timed out waiting for down" "$err"
	check_eq "$kind: -T: the other one is down" down "$(state "$d")"
	run_svc -kxw "$s"
	check_eq "$kind: -kxw ends the stubborn one" 0 "$rc"

	run_svc -xw "$d"
	check_eq "$kind: -xw exits 0" "0:" "$rc:$err"
	svok "$d"
	check_eq "$kind: supervise gone when -xw returns" 100 "$?"
	run_svc -u "$d"
	check_eq "$kind: then svc fails" \
	    "1:svc: fatal: unable to control $kind: supervise not running" \
	    "$rc:$err"
done

# --- names with spaces, several directories waited for together (runit)
if have runit; then
	mksv "$T/a b"
	mksv "$T/c d"
	start runit "a b"
	start runit "c d"
	check "spaces: both up" \
	    wait_until 5 eval 'is_up "$T/a b" && is_up "$T/c d"'
	run_svc -dw "$T/a b" "$T/c d"
	check_eq "spaces: -dw on two exits 0" "0:" "$rc:$err"
	check_eq "spaces: both down when svc returns" "down down" \
	    "$(state "$T/a b") $(state "$T/c d")"
	run_svc -uw "$T/a b" "$T/missing" "$T/c d"
	check_eq "spaces: one missing among three exits 1" 1 "$rc"
	check_eq "spaces: both up again" "up up" \
	    "$(state "$T/a b") $(state "$T/c d")"
else
	skip "names with spaces" "runit not installed"
fi

# --- -uw waits for readiness when the record can tell (tend's 64 bytes)
# and the service can signal it (notification-fd or check)
fake ready
mkfifo "$T/ready/supervise/control"
(cd "$T/ready/supervise" && exec cat control >got) &
echo 3 >"$T/ready/notification-fd"
st_reset
st_len=64
put_status "$T/ready"
(svc -uw -T 5000 "$T/ready" 2>"$T/ready.err"; echo $? >"$T/ready.rc") &
check "readiness: command delivered" \
    wait_until 5 grep -q u "$T/ready/supervise/got"
check "readiness: up but not ready: svc still waits after 1 s" \
    eval '! wait_until 1 test -e "$T/ready.rc"'
st_flags=1
put_status "$T/ready"
check "readiness: ready: svc returns" wait_until 5 test -e "$T/ready.rc"
check_eq "readiness: exit 0, silently" "0:" \
    "$(cat "$T/ready.rc" 2>/dev/null):$(cat "$T/ready.err")"
rm -f "$T/ready/notification-fd"
st_flags=0
put_status "$T/ready"
(cd "$T/ready/supervise" && exec cat control >got) &
check "readiness: without notification-fd or check, up is enough" \
    wait_until 5 eval 'svc -uw -T 3000 "$T/ready" 2>/dev/null'

if have tend; then
	r=$T/tready
	mksv "$r" 'sleep 0.3
echo >&3
exec sleep 1000'
	echo 3 >"$r/notification-fd"
	: >"$r/down"
	start tend tready
	check "tend readiness: supervise runs" wait_until 5 svok "$r"
	run_svc -uw -T 3000 "$r"
	if [ "$rc" -ne 0 ] && grep -q spawnfail "$r/supervise/history"; then
		skip "tend readiness" \
		    "supervise cannot start a service with notification-fd"
	else
		check_eq "tend readiness: -uw exits 0" "0:" "$rc:$err"
		check "tend readiness: ready when -uw returns" \
		    eval 'svstat "$r" | grep -q "^[^;]*, ready"'
	fi
else
	skip "tend readiness" "bin/supervise not built"
fi

### -w before supervise has started: wait for it within -T.

if [ -x "$BIN/supervise" ]; then
	late=$T/late
	mkdir -p "$late"
	printf '#!/bin/sh\nexec sleep 1000\n' > "$late/run"
	chmod 755 "$late/run"
	: > "$late/down"
	run_svc -u "$late"
	check_eq "no supervise, no -w: fails at once, exit 1" \
	    "1:svc: fatal: unable to control late: supervise not running" "$rc:$err"
	run_svc -u -w -T 300 "$late"
	check_eq "no supervise, -w -T 300: fails after the wait, exit 1" \
	    "1:svc: fatal: unable to control late: supervise not running (waited 300 ms)" \
	    "$rc:$err"
	# supervise starts 300 ms after svc: svc must see it and send then.
	(sleep 0.3; cd "$T" && exec supervise late) &
	run_svc -u -w -T 5000 "$late"
	check_eq "supervise started after svc -u -w: exit 0" "0:" "$rc:$err"
	check "and the service is up when svc returns" is_up "$late"
	svc -dx "$late"
	wait_until 5 eval '! svok "$late"'
	rm -rf "$late/supervise"
	(sleep 0.3; cd "$T" && exec supervise late) &
	run_svc -d -w -T 5000 "$late"
	check_eq "no supervise/ yet at all, -d -w: exit 0 once it runs" "0:" "$rc:$err"
	svc -x "$late"
else
	skip "-w before supervise" "bin/supervise not built"
fi

done_testing
