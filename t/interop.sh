#!/bin/sh
# t/interop.sh: the anchors' own clients on a tend-supervised directory:
# runit's sv, daemontools' svstat/svc/svok, s6's s6-svc (letters only), and
# the locks seen by runit's runsv and daemontools' supervise. The Debian
# packages runit, daemontools and s6 provide them (CI installs them); each
# part is skipped, saying why, when its programs are missing. The anchors
# are called by absolute path: tend's bin/ comes first in PATH.
#
# Not tested here: busybox svc/svok, node_exporter's runit collector,
# s6-svstat/s6-svok (they need s6's status layout, which tend does not
# write), sv's LSB mode.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"

# start_sv DIR: tend's supervise on $T/DIR. Sets SVPID.
start_sv() {
	(cd "$T" && exec supervise "$1" >"$T/$1.stdout" 2>"$T/$1.err") &
	SVPID=$!
}

# secs: sv's and svstat's seconds, normalised.
sv_norm() { sed 's/[0-9][0-9]*s\([;,]\|$\)/Ns\1/g'; }
dt_norm() { sed 's/[0-9][0-9]* seconds/N seconds/'; }

# Service r: with a logger; nd: normally down.
mkrun "$T/r" 'exec sleep 1000'
mkdir -p "$T/r/log"
mkscript "$T/r/log/run" 'exec cat > /dev/null'
echo 1 > "$T/r/min-uptime"
mkrun "$T/nd" 'exec sleep 1000'
touch "$T/nd/down"

### runit's sv.

if [ ! -x /usr/bin/sv ]; then
	skip "runit sv" "/usr/bin/sv missing (Debian package runit)"
else
	R=$T/r
	start_sv r
	PID_R=$SVPID
	check "sv: r up with its logger" wait_until 5 eval \
	    'is_up "$R" && is_up "$R/log"'
	P=$(st_pid "$R")
	L=$(st_pid "$R/log")
	out=$(/usr/bin/sv status "$R")
	check_eq "sv status: exit 0" 0 $?
	check_eq "sv status: run with the logger" \
	    "run: $R: (pid $P) Ns; run: log: (pid $L) Ns" \
	    "$(echo "$out" | sv_norm)"
	/usr/bin/sv pause "$R" >/dev/null
	check "sv pause: paused" wait_until 5 stat_is "$R" "run, paused"
	check_eq "sv status: paused" \
	    "run: $R: (pid $P) Ns, paused; run: log: (pid $L) Ns" \
	    "$(/usr/bin/sv status "$R" | sv_norm)"
	/usr/bin/sv cont "$R" >/dev/null
	check "sv cont: running" wait_until 5 stat_is "$R" run
	/usr/bin/sv down "$R" >/dev/null
	check_eq "sv down: exit 0" 0 $?
	check "sv down: down" wait_until 5 is_down "$R"
	check_eq "sv status: down, normally up" \
	    "down: $R: Ns, normally up; run: log: (pid $L) Ns" \
	    "$(/usr/bin/sv status "$R" | sv_norm)"
	/usr/bin/sv up "$R" >/dev/null
	check_eq "sv up: exit 0" 0 $?
	check "sv up: up" wait_until 5 is_up "$R"
	P=$(st_pid "$R")
	ups=$(hist_count "$R" " up\$")
	# runit's sv counts a restart as done once the status time is not
	# older than its command, to the second: a run started in the same
	# second as the command passes before TERM has landed (runsv too).
	# The service's own uptime, before "; log:" (the logger's is older).
	check "sv restart: the run is a second old first" wait_until 3 sh -c \
	    "svstat '$R' | grep -q '^[^;]*) [1-9][0-9]* seconds'"
	out=$(/usr/bin/sv restart "$R")
	check_eq "sv restart: exit 0" 0 $?
	check_eq "sv restart: ok line with a new pid" \
	    "ok: run: $R: (pid $(st_pid "$R")) Ns" "$(echo "$out" | sv_norm)"
	check "sv restart: the pid changed" [ "$(st_pid "$R")" != "$P" ]
	check "sv restart: TERM then u (tcu)" eval \
	    'hist_has "$R" "exit pid=$P signal=TERM" &&
	    [ "$(hist_count "$R" " up\$")" = $((ups + 1)) ]'
	P=$(st_pid "$R")
	/usr/bin/sv once "$R" >/dev/null
	check "sv once: want down shown" wait_until 5 stat_is "$R" \
	    "run, want down"
	check_eq "sv status: want down" \
	    "run: $R: (pid $P) Ns, want down; run: log: (pid $L) Ns" \
	    "$(/usr/bin/sv status "$R" | sv_norm)"
	out=$(/usr/bin/sv -w 5 down "$R")
	check_eq "sv -w 5 down: exit 0" 0 $?
	check_eq "sv -w 5 down: ok: down:" "ok: down: $R: Ns, normally up" \
	    "$(echo "$out" | sv_norm)"
	check "sv -w 5 down: really down" is_down "$R"
	check_eq "sv: logger untouched" "$L" "$(st_pid "$R/log")"

	start_sv nd
	PID_ND=$SVPID
	check "sv: nd supervised" wait_until 5 test -s "$T/nd/supervise/status"
	check_eq "sv status: normally down, down" "down: $T/nd: Ns" \
	    "$(/usr/bin/sv status "$T/nd" | sv_norm)"
	/usr/bin/sv up "$T/nd" >/dev/null
	check "sv up: nd up" wait_until 5 is_up "$T/nd"
	check_eq "sv status: normally down, up" \
	    "run: $T/nd: (pid $(st_pid "$T/nd")) Ns, normally down" \
	    "$(/usr/bin/sv status "$T/nd" | sv_norm)"

	/usr/bin/sv exit "$R" >/dev/null
	check_eq "sv exit: exit 0" 0 $?
	exit_of "$PID_R"
	check_eq "sv exit: supervise exits 0" 0 $?
	check_eq "sv exit: no process left" 0 "$(nprocs_under "$R")"
	out=$(/usr/bin/sv status "$R" 2>&1)
	check "sv status after exit: runsv not running" eval \
	    'echo "$out" | grep -q "fail: $R: runsv not running"'
	/usr/bin/sv exit "$T/nd" >/dev/null
	exit_of "$PID_ND" >/dev/null
fi

### daemontools' svstat, svc, svok.

if [ ! -x /usr/bin/svstat ] || [ ! -x /usr/bin/svc ] || [ ! -x /usr/bin/svok ]
then
	skip "daemontools svstat/svc/svok" \
	    "/usr/bin/svstat, svc or svok missing (Debian package daemontools)"
else
	R=$T/r
	: > "$R/supervise/history"
	start_sv r
	PID_R=$SVPID
	check "dt: r up" wait_until 5 is_up "$R"
	/usr/bin/svok "$R"
	check_eq "svok: 0 while supervise runs" 0 $?
	P=$(st_pid "$R")
	check_eq "svstat: up" "$R: up (pid $P) N seconds" \
	    "$(/usr/bin/svstat "$R" | dt_norm)"
	/usr/bin/svc -p "$R"
	check "svc -p: paused" wait_until 5 stat_is "$R" "run, paused"
	check_eq "svstat: paused" "$R: up (pid $P) N seconds, paused" \
	    "$(/usr/bin/svstat "$R" | dt_norm)"
	/usr/bin/svc -c "$R"
	check "svc -c: running" wait_until 5 stat_is "$R" run
	/usr/bin/svc -t "$R"
	check "svc -t: restarted" wait_until 5 up_other "$R" "$P"
	check "svc -t: TERM recorded" hist_has "$R" "exit pid=$P signal=TERM"
	P=$(st_pid "$R")
	/usr/bin/svc -k "$R"
	check "svc -k: restarted" wait_until 5 up_other "$R" "$P"
	check "svc -k: KILL recorded" hist_has "$R" "exit pid=$P signal=KILL"
	/usr/bin/svc -d "$R"
	check "svc -d: down" wait_until 5 is_down "$R"
	check_eq "svstat: down" "$R: down N seconds, normally up" \
	    "$(/usr/bin/svstat "$R" | dt_norm)"
	/usr/bin/svc -u "$R"
	check "svc -u: up" wait_until 5 is_up "$R"
	check_eq "svstat: up again" "$R: up (pid $(st_pid "$R")) N seconds" \
	    "$(/usr/bin/svstat "$R" | dt_norm)"
	/usr/bin/svc -x "$R"
	exit_of "$PID_R"
	check_eq "svc -x: supervise exits 0" 0 $?
	/usr/bin/svok "$R"
	check_eq "svok: 100 after supervise exited" 100 $?
	check_eq "svstat: supervise not running" "$R: supervise not running" \
	    "$(/usr/bin/svstat "$R")"
fi

### Locks: no two supervisors of different families on one directory.

if [ ! -x /usr/bin/runsv ]; then
	skip "runsv lock" "/usr/bin/runsv missing (Debian package runit)"
else
	R=$T/r
	start_sv r
	PID_R=$SVPID
	check "lock: tend's supervise up" wait_until 5 is_up "$R"
	P=$(st_pid "$R")
	(cd "$T" && exec /usr/bin/runsv r >"$T/runsv.out" 2>"$T/runsv.err")
	check_eq "runsv on a tend-held dir: exit 111" 111 $?
	check "runsv on a tend-held dir: cannot lock" \
	    grep -q "unable to lock supervise/lock" "$T/runsv.err"
	check_eq "runsv refused: service untouched" "$P" "$(st_pid "$R")"
	if [ -x /usr/bin/supervise ]; then
		(cd "$T" && exec /usr/bin/supervise r >"$T/dts.out" \
		    2>"$T/dts.err")
		check_eq "daemontools supervise on a tend-held dir: exit 111" \
		    111 $?
	fi
	kill -TERM "$PID_R"
	exit_of "$PID_R" >/dev/null

	mkrun "$T/rv" 'exec sleep 1000'
	(cd "$T" && exec /usr/bin/runsv rv >"$T/rv.out" 2>"$T/rv.err") &
	RUNSV=$!
	check "lock: runsv runs rv" wait_until 5 is_up "$T/rv"
	(cd "$T" && exec supervise rv >"$T/rv2.out" 2>"$T/rv2.err")
	check_eq "tend's supervise on a runsv-held dir: exit 111" 111 $?
	check_eq "tend's supervise refused: one line" 1 \
	    "$(wc -l < "$T/rv2.err" | tr -d ' ')"
	check "tend's supervise refused: unable to acquire supervise/lock" \
	    grep -q "unable to acquire supervise/lock" "$T/rv2.err"
	kill -TERM "$RUNSV"
	exit_of "$RUNSV" >/dev/null
fi

### s6-svc, letters only.

if [ ! -x /usr/bin/s6-svc ]; then
	skip "s6-svc" "/usr/bin/s6-svc missing (Debian package s6)"
else
	R=$T/r
	start_sv r
	PID_R=$SVPID
	check "s6: r up" wait_until 5 is_up "$R"
	/usr/bin/s6-svc -d "$R"
	check_eq "s6-svc -d: exit 0" 0 $?
	check "s6-svc -d: down" wait_until 5 is_down "$R"
	/usr/bin/s6-svc -u "$R"
	check_eq "s6-svc -u: exit 0" 0 $?
	check "s6-svc -u: up" wait_until 5 is_up "$R"
	P=$(st_pid "$R")
	/usr/bin/s6-svc -t "$R"
	check "s6-svc -t: restarted" wait_until 5 up_other "$R" "$P"
	kill -TERM "$PID_R"
	exit_of "$PID_R"
	check_eq "s6: supervise exits 0 on SIGTERM" 0 $?
fi

done_testing
