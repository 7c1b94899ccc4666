#!/bin/sh
# t/supervise-control.sh: black-box tests of supervise: the control bytes (each as the right signal, u d o x p c),
# x to a logger, the down file, garbage on the control FIFO, a second
# supervise, the command line, a name with spaces.
# Service directories in a scratch directory, observed only through their
# files (supervise/status, stat, pid, history), supervise's exit status and
# stderr, and what the services themselves write down. The other areas are
# in t/supervise-*.sh; the shared set-up is in t/helpers/sv.sh.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

### Control bytes: every one reaches the service as the right signal.

mkrun "$T/sig" 'for s in HUP ALRM INT QUIT USR1 USR2 CONT; do
	trap "echo $s >> ../sig.log" $s
done
trap "echo TERM >> ../sig.log; kill \$p 2>/dev/null; exit 0" TERM
echo start >> ../sig.log
while :; do sleep 1000 & p=$!; wait $p; kill $p 2>/dev/null; done'
echo 1 > "$T/sig/min-uptime"
start_sv sig
PID_SIG=$SVPID
S=$T/sig
check "sig: comes up" wait_until 5 is_up "$S"
check "sig: trap set (start line)" wait_until 5 last_line "$T/sig.log" start
P1=$(st_pid "$S")
check_eq "sig: pid file = status pid" "$P1" "$(pidf "$S")"
check_eq "sig: stat run" "run" "$(statf "$S")"
check_eq "sig: want u" 117 "$(st_want "$S")"
check_eq "sig: status is 64 bytes" 64 "$(wc -c < "$S/supervise/status" | tr -d ' ')"
check_eq "sig: layout version 1" 1 "$(sbyte "$S/supervise/status" 20)"
check "sig: normally up flag" st_flag "$S" 8
check_eq "sig: run pid field" "$P1" "$(st_runpid "$S")"
# TAI64 label: 2^62 + 10 + unix seconds, big-endian.
tai=$(od -An -tu1 -j 4 -N 4 "$S/supervise/status" |
    awk '{ print ((($1 * 256 + $2) * 256 + $3) * 256 + $4) - 10 }')
now=$(date +%s)
check_eq "sig: TAI64 high word 0x40000000" "64 0 0 0" \
    "$(od -An -tu1 -N 4 "$S/supervise/status" | sed 's/^ *//;s/  */ /g')"
check "sig: TAI64 stamp within 10 s of now ($tai vs $now)" \
    [ $((now - tai)) -ge 0 -a $((now - tai)) -lt 10 ]
for pair in h:HUP a:ALRM i:INT q:QUIT 1:USR1 2:USR2; do
	b=${pair%%:*}
	name=${pair#*:}
	n=$(nsig)
	ctl "$S" "$b"
	check "sig: '$b' sends $name" wait_until 5 sig_since "$n" "$name"
done
check_eq "sig: still the same pid after h a i q 1 2" "$P1" "$(st_pid "$S")"
check "sig: each signal recorded in history" \
    hist_has "$S" "signal sig=USR2 pid=$P1\$"

stopped() { [ "$(pstate "$1")" = T ]; }
running_state() { sv_s=$(pstate "$1"); [ "$sv_s" = S ] || [ "$sv_s" = R ]; }
ctl "$S" p
check "sig: 'p' stops the service (state T)" wait_until 5 stopped "$P1"
check "sig: 'p' stat 'run, paused'" wait_until 5 stat_is "$S" "run, paused"
check_eq "sig: 'p' paused byte 1" 1 "$(st_paused "$S")"
n=$(nsig)
ctl "$S" c
check "sig: 'c' resumes the service" wait_until 5 running_state "$P1"
check "sig: 'c' the service sees CONT" wait_until 5 sig_since "$n" CONT
check "sig: 'c' stat 'run'" wait_until 5 stat_is "$S" run
check_eq "sig: 'c' paused byte 0" 0 "$(st_paused "$S")"

n=$(nsig)
ctl "$S" t
check "sig: 't' sends TERM" wait_until 5 sig_since "$n" TERM
check "sig: 't' the service is restarted" wait_until 5 up_other "$S" "$P1"
P2=$(st_pid "$S")
check "sig: 't' history exit code=0 (trap exits 0)" \
    hist_has "$S" "exit pid=$P1 code=0 runtime=[0-9]+\.[0-9]{3}\$"
check "sig: healthy run restarted at once (no restart delay)" \
    eval '! hist_has "$S" "restart delay"'
check_eq "sig: 't' want still u" 117 "$(st_want "$S")"
check_eq "sig: 't' stat run" run "$(statf "$S")"

check "sig: trap set again" wait_until 5 last_line "$T/sig.log" start
ctl "$S" k
check "sig: 'k' the service is restarted" wait_until 5 up_other "$S" "$P2"
P3=$(st_pid "$S")
check "sig: 'k' history exit signal=KILL" \
    hist_has "$S" "exit pid=$P2 signal=KILL runtime="
check "sig: 'k' its background sleep is cleaned up" \
    hist_has "$S" "cleanup pgid=$P2\$"

check "sig: trap set before d" wait_until 5 last_line "$T/sig.log" start
n=$(nsig)
ctl "$S" d
check "sig: 'd' sends TERM" wait_until 5 sig_since "$n" TERM
check "sig: 'd' goes down" wait_until 5 is_down "$S"
check "sig: 'd' stat 'down'" wait_until 5 stat_is "$S" down
check "sig: 'd' pid file exists and is empty" \
    eval '[ -f "$S/supervise/pid" ] && [ ! -s "$S/supervise/pid" ]'
check_eq "sig: 'd' want d" 100 "$(st_want "$S")"
check_eq "sig: 'd' got-TERM cleared once down" 0 "$(st_term "$S")"
check "sig: 'd' history down, exit" eval \
    'hist_has "$S" " down\$" && hist_has "$S" "exit pid=$P3 code=0"'
check "sig: 'd' stays down (500 ms)" holds_for 500 is_down "$S"
starts_before=$(hist_count "$S" " start pid=")

ctl "$S" u
check "sig: 'u' starts it again" wait_until 5 is_up "$S"
P4=$(st_pid "$S")
check "sig: 'u' new pid" [ "$P4" != "$P3" ]
check_eq "sig: 'u' want u" 117 "$(st_want "$S")"
check_eq "sig: 'u' stat run" run "$(statf "$S")"
check_eq "sig: 'u' pid file" "$P4" "$(pidf "$S")"
check_eq "sig: 'u' one more start in history" $((starts_before + 1)) \
    "$(hist_count "$S" " start pid=")"
check "sig: 'u' recorded" hist_has "$S" " up\$"

check "sig: trap set before 2nd d" wait_until 5 last_line "$T/sig.log" start
ctl "$S" d
check "sig: down again" wait_until 5 is_down "$S"
ctl "$S" o
check "sig: 'o' starts it once" wait_until 5 is_up "$S"
P5=$(st_pid "$S")
check_eq "sig: 'o' want byte 'd' (runit)" 100 "$(st_want "$S")"
check_eq "sig: 'o' stat 'run, want down'" "run, want down" "$(statf "$S")"
check "sig: 'o' once flag" st_flag "$S" 4
check "sig: 'o' recorded" hist_has "$S" " once\$"
check "sig: trap set in the once run" wait_until 5 last_line "$T/sig.log" start
ctl "$S" t
check "sig: 'o' run ends on TERM" wait_until 5 is_down "$S"
check "sig: 'o' not restarted (500 ms)" holds_for 500 is_down "$S"
check_eq "sig: 'o' stat down" down "$(statf "$S")"
check_eq "sig: 'o' exit recorded" 1 "$(hist_count "$S" "exit pid=$P5 ")"

ctl "$S" u
check "sig: up before x" wait_until 5 is_up "$S"
check "sig: trap set before x" wait_until 5 last_line "$T/sig.log" start
n=$(nsig)
ctl "$S" x
exit_of "$PID_SIG"
check_eq "sig: 'x' supervise exits 0" 0 $?
check "sig: 'x' the service got TERM" sig_since "$n" TERM
check_eq "sig: 'x' status down after exit" 0 "$(st_state "$S")"
check_eq "sig: 'x' no process left" 0 "$(nprocs_under "$S")"
check_eq "sig: no stderr" "" "$(cat "$T/sig.err")"

### x sent to the logger's control is ignored.

mkrun "$T/xlog" 'exec sleep 1000'
mkdir -p "$T/xlog/log"
mkscript "$T/xlog/log/run" 'exec cat > /dev/null'
start_sv xlog
PID_XLOG=$SVPID
check "xlog: logger up" wait_until 5 is_up "$T/xlog/log"
LP=$(st_pid "$T/xlog/log")
ctl "$T/xlog/log" x
ctl "$T/xlog/log" t
check "xlog: logger restarted by t" wait_until 5 up_other "$T/xlog/log" "$LP"
check "xlog: supervise still running after x on log/" alive "$PID_XLOG"
check_eq "xlog: log stat has no want exit" run "$(statf "$T/xlog/log")"

### down file.

mkrun "$T/dn" 'exec sleep 1000'
touch "$T/dn/down"
start_sv dn
check "dn: status written" wait_until 5 test -s "$T/dn/supervise/status"
check_eq "dn: stat down" down "$(statf "$T/dn")"
check_eq "dn: want d" 100 "$(st_want "$T/dn")"
check "dn: not normally up" eval '! st_flag "$T/dn" 8'
check "dn: not started (300 ms)" holds_for 300 is_down "$T/dn"
check "dn: no start in history" eval '! hist_has "$T/dn" " start "'
svc -u "$T/dn"
check "dn: svc -u starts it" wait_until 5 is_up "$T/dn"
check_eq "dn: want u" 117 "$(st_want "$T/dn")"

mkrun "$T/gb" 'exec sleep 1000'
echo 1 > "$T/gb/min-uptime"
start_sv gb
PID_GB=$SVPID
check "gb: up" wait_until 5 is_up "$T/gb"
GP=$(st_pid "$T/gb")
timeout 5 sh -c 'printf "zZ\0\377e\n" > "$1"' x "$T/gb/supervise/control"
ctl "$T/gb" t
check "gb: garbage ignored, 't' still obeyed" wait_until 5 up_other "$T/gb" "$GP"
check "gb: supervise alive" alive "$PID_GB"
check_eq "gb: no stderr" "" "$(cat "$T/gb.err")"

(cd "$T" && exec supervise gb >"$T/gb2.out" 2>"$T/gb2.err")
check_eq "second supervise on a held dir exits 111" 111 $?
check_eq "second supervise: one line on stderr" 1 "$(wc -l < "$T/gb2.err")"
check "second supervise: unable to acquire supervise/lock" \
    grep -q "^supervise gb: fatal: unable to acquire supervise/lock" "$T/gb2.err"
check "gb: first supervise unaffected" alive "$PID_GB"

# A supervise killed while a child it had just vforked was on its way to
# exec leaves supervise/lock held by that child for a moment. A new
# supervise waits up to 1 s for it, and only then gives up.
mkrun "$T/gl" 'exec sleep 1000'
mkdir -p "$T/gl/supervise"
svrun -l "$T/gl/supervise/lock" sh -c ': >"$1"; exec sleep 0.4' x \
    "$T/gl.held" &
HOLDER=$!
wait_until 5 test -e "$T/gl.held"
start_sv gl
check "gl: a lock held 0.4 s: supervise waits, then runs the service" \
    wait_until 5 is_up "$T/gl"
check_eq "gl: nothing on stderr" "" "$(cat "$T/gl.err")"
wait "$HOLDER"
svc -x "$T/gl"
wait "$SVPID"
rm -f "$T/gl.held"
svrun -l "$T/gl/supervise/lock" sh -c ': >"$1"; exec sleep 3' x \
    "$T/gl.held" &
HOLDER=$!
wait_until 5 test -e "$T/gl.held"
t0=$(now_ms)
(cd "$T" && exec supervise gl >"$T/gl2.out" 2>"$T/gl2.err")
rc=$?
t1=$(now_ms)
check_eq "gl: a lock held 3 s: exit 111" 111 "$rc"
check "gl: ... after its 1 s grace ($((t1 - t0)) ms)" test $((t1 - t0)) -ge 950
check "gl: ... unable to acquire supervise/lock" \
    grep -q "^supervise gl: fatal: unable to acquire supervise/lock" "$T/gl2.err"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null

supervise > "$T/u1.out" 2>"$T/u1.err"
check_eq "no args: exit 100" 100 $?
check_eq "no args: usage line" "usage: supervise DIR" "$(cat "$T/u1.err")"
supervise "$T/a" "$T/b" > "$T/u2.out" 2>"$T/u2.err"
check_eq "two args: exit 100" 100 $?
check_eq "two args: usage line" "usage: supervise DIR" "$(cat "$T/u2.err")"
check "usage: nothing created" eval '[ ! -e "$T/a" ]'
(cd "$T" && exec supervise nonexistent >"$T/u3.out" 2>"$T/u3.err")
check_eq "missing dir: exit 111" 111 $?
check_eq "missing dir: one line" 1 "$(wc -l < "$T/u3.err")"

mkrun "$T/my svc" 'exec sleep 1000'
start_sv "my svc"
check "name with spaces: up" wait_until 5 is_up "$T/my svc"
check_eq "name with spaces: stat run" run "$(statf "$T/my svc")"
ctl "$T/my svc" d
check "name with spaces: 'd' works" wait_until 5 is_down "$T/my svc"

# Every history line of every service here has the documented form (the
# control bytes give some 50 records; the other areas' records are checked
# by t/unit/check_history.c's parser and their own hist_has checks).
bad=$(find "$T" -name history -path '*/supervise/*' -exec cat {} + |
    grep -Ev '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z [a-z]+( [a-z]+=[^ ]+)*$')
check_eq "history: every record well formed" "" "$bad"
check "history: records found" eval \
    '[ "$(find "$T" -name history -path "*/supervise/*" -exec cat {} + | wc -l)" -gt 40 ]'

done_testing
