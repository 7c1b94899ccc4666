#!/bin/sh
# t/soak.sh [N]: nothing leaks over a long life. A logged service under
# svscan restarts N times by itself (it exits at once, min-uptime 0), then
# gets N `svc -t` and N `svstat` calls; supervise's and svscan's open
# descriptors (/proc/PID/fd) and resident memory (VmRSS) must then be what
# they were after the first 100 restarts. N is SOAK_N or 300; `make
# stress` runs it with 10000.
# Not measured here: the logger's memory (svlog's buffers are sized at
# start), svstat's and svc's (they exit).
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"

N=${1:-${SOAK_N:-300}}
echo "# soak: N=$N"
SV=$T/sv
mkrun "$SV/s" 'echo "run $$"
[ -e ../../loop ] && exit 0
exec sleep 100000'
echo 0 > "$SV/s/min-uptime"
mkdir -p "$SV/s/log"
mkscript "$SV/s/log/run" 'exec svlog ./main'
touch "$T/loop"
(cd "$T" && exec svscan sv >"$T/svscan.out" 2>"$T/svscan.err") &
SCAN=$!

# starts_at_least K: the service has been started K times or more.
starts_at_least() { [ "$(st_starts "$SV/s" 2>/dev/null || echo 0)" -ge "$1" ]; }
# steady: up as the long-running sleep, logger up.
steady() {
	is_up "$SV/s" && is_up "$SV/s/log" &&
	    [ "$(cat "/proc/$(st_pid "$SV/s")/comm" 2>/dev/null)" = sleep ]
}
# usage PID: "FDS RSS_KB" of PID.
usage() {
	echo "$(ls "/proc/$1/fd" | wc -l | tr -d ' ') $(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$1/status")"
}
# settle: stop the restart loop and wait for the steady state.
settle() {
	rm -f "$T/loop"
	wait_until 20 steady
}

check "100 restarts" wait_until 60 starts_at_least 100
settle
for p in $(pids_under "$SV/s"); do
	[ "$(cat "/proc/$p/comm")" = supervise ] && SUP=$p
done
base_sup=$(usage "$SUP")
base_scan=$(usage "$SCAN")
echo "# after 100 restarts: supervise fds rss_kB = $base_sup; svscan = $base_scan"

touch "$T/loop"
ctl "$SV/s" t
t0=$(now_ms)
check "$N restarts" wait_until $((N / 10 + 60)) starts_at_least $((N + 100))
t1=$(now_ms)
echo "# $N restarts in $((t1 - t0)) ms"
check "steady again" settle

i=0
while [ "$i" -lt "$N" ]; do
	svc -t "$SV/s" || break
	svstat "$SV/s" >/dev/null || break
	i=$((i + 1))
done
t2=$(now_ms)
echo "# $i svc -t and svstat calls in $((t2 - t1)) ms"
check_eq "$N svc -t and svstat calls, each exit 0" "$N" "$i"
check "steady after the calls" wait_until 20 steady

check_eq "supervise: same pid" "$SUP" "$(for p in $(pids_under "$SV/s"); do
	[ "$(cat "/proc/$p/comm")" = supervise ] && echo "$p"; done)"
# same_usage BASE NOW: the same descriptors and resident memory. Under
# AddressSanitizer its own allocator (quarantine, shadow pages) moves RSS
# by a few pages whatever the program does: there, up to 64 kB more is
# allowed; a leak per restart would be far more after N of them.
same_usage() {
	set -- $1 $2
	[ "$1" = "$3" ] || return 1
	if grep -q __asan_init "$BIN/supervise" 2>/dev/null; then
		[ "$4" -le $(($2 + 64)) ]
	else
		[ "$2" = "$4" ]
	fi
}
now_sup=$(usage "$SUP")
now_scan=$(usage "$SCAN")
echo "# at the end: supervise fds rss_kB = $now_sup; svscan = $now_scan"
check "supervise: descriptors and RSS as after 100 restarts" \
    same_usage "$base_sup" "$now_sup"
check "svscan: descriptors and RSS as after 100 restarts" \
    same_usage "$base_scan" "$now_scan"
check "history stayed bounded (two files of at most 64 KiB and a record)" \
    [ "$(cat "$SV/s/supervise/history" "$SV/s/supervise/history.1" | wc -c)" -le 132000 ]
echo "# history records: $(cat "$SV/s/supervise/history" "$SV/s/supervise/history.1" | wc -l)"

svc -dx "$SV/s"
kill -TERM "$SCAN"
check "svscan exits" wait_until 20 gone "$SCAN"
check_eq "nothing left" 0 "$(nprocs_under "$SV")"
check_eq "svscan: no stderr" "" "$(cat "$T/svscan.err")"
done_testing
