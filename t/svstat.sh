#!/bin/sh
# svstat: daemontools' line format (with tend's suffixes and the logger),
# -j JSON, the error lines and the exit count. Formats are checked on status
# records written here (daemontools' 18 bytes, runit's 20, tend's 64) under
# a directory whose ok FIFO is held open, and compared with daemontools'
# svstat where that is installed; then against runit's runsv, daemontools'
# supervise and tend's own supervise (each skipped visibly when missing).
# not tested: a status file that cannot be read (EIO), paths over PATH_MAX.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/clients.sh"

# fake NAME: a directory $T/NAME whose ok FIFO is held open, so that it
# counts as supervised; its status is whatever put_status writes.
fake() {
	mkdir -p "$T/$1/supervise"
	[ -p "$T/$1/supervise/ok" ] || mkfifo "$T/$1/supervise/ok"
	(cd "$T/$1/supervise" && exec sleep 1000 3<>ok) &
	wait_until 5 svok "$T/$1"
}

# run_svstat ARG...: sets rc, out and err of svstat ARG..., with $T/
# removed and the ages of records written 100 s ago (100 or 101 seconds,
# by when the second turns) shown as 100.
run_svstat() {
	svstat "$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(sed "s|$T/||g; s/ 10[0-9] seconds/ 100 seconds/g;
	    s/\"seconds\":10[0-9],/\"seconds\":100,/g" "$T/out")
	err=$(sed "s|$T/||g" "$T/err")
}

# norm: pids and ages of real services as P and S.
norm() {
	sed "s|$T/||g; s/pid [0-9]*/pid P/g; s/ [0-9]* seconds/ S seconds/g"
}

# dt_agrees DESC: daemontools' svstat prints the same line for $T/f.
dt_agrees() {
	if [ -x /usr/bin/svstat ]; then
		check_eq "$1: same as daemontools' svstat" \
		    "$(/usr/bin/svstat "$T/f" | sed "s|$T/||g; s/ 10[0-9] s/ 100 s/")" \
		    "$(svstat "$T/f" | sed "s|$T/||g; s/ 10[0-9] s/ 100 s/")"
	fi
}

# --- usage
USAGE="usage: svstat [-j] DIR..."
run_svstat -h
check_eq "-h: usage on stdout, exit 0" "0:$USAGE" "$rc:$out"
run_svstat -V
check_eq "-V: version, exit 0" "0:svstat (tend) 0.1.0" "$rc:$out"
run_svstat -Z "$T"
check_eq "unknown option: 100, one line and the usage" \
    "100:svstat: fatal: unknown option -Z
$USAGE" "$rc:$err"
run_svstat
check_eq "no directory: 100" "100:svstat: fatal: no directory given
$USAGE" "$rc:$err"

# --- formats, on records written here
fake f
st_reset
put_status "$T/f"
run_svstat "$T/f"
check_eq "runit up" "0:f: up (pid 4242) 100 seconds" "$rc:$out"
dt_agrees "runit up"
st_paused=1
put_status "$T/f"
run_svstat "$T/f"
check_eq "paused" "f: up (pid 4242) 100 seconds, paused" "$out"
dt_agrees "paused"
st_paused=0 st_want=d st_term=1
put_status "$T/f"
run_svstat "$T/f"
check_eq "want down, got TERM" \
    "f: up (pid 4242) 100 seconds, want down, got TERM" "$out"
st_want=u st_term=0
: >"$T/f/down"
put_status "$T/f"
run_svstat "$T/f"
check_eq "normally down" "f: up (pid 4242) 100 seconds, normally down" "$out"
dt_agrees "normally down"
st_pid=0 st_state=0 st_want=d
put_status "$T/f"
run_svstat "$T/f"
check_eq "down with ./down" "f: down 100 seconds" "$out"
dt_agrees "down with ./down"
rm "$T/f/down"
put_status "$T/f"
run_svstat "$T/f"
check_eq "down, normally up" "f: down 100 seconds, normally up" "$out"
dt_agrees "down, normally up"
st_want=u
put_status "$T/f"
run_svstat "$T/f"
check_eq "want up" "f: down 100 seconds, normally up, want up" "$out"
dt_agrees "want up"
st_state=2 st_pid=4343 st_want=u
put_status "$T/f"
run_svstat "$T/f"
check_eq "finishing" "f: finishing (pid 4343) 100 seconds" "$out"
st_reset
st_len=18 st_want=0
put_status "$T/f"
run_svstat "$T/f"
check_eq "daemontools 18 bytes, once: no want" \
    "f: up (pid 4242) 100 seconds" "$out"
dt_agrees "daemontools 18 bytes"
st_age=-50 st_len=20 st_want=u
put_status "$T/f"
run_svstat "$T/f"
check_eq "a stamp in the future shows 0 seconds" \
    "f: up (pid 4242) 0 seconds" "$out"

# tend's 64 bytes
st_reset
st_len=64 st_flags=1
put_status "$T/f"
run_svstat "$T/f"
check_eq "tend: ready" "f: up (pid 4242) 100 seconds, ready" "$out"
if [ -x /usr/bin/svstat ]; then
	check_eq "tend: daemontools' svstat reads the first 18 bytes" \
	    "f: up (pid 4242) 100 seconds" \
	    "$(/usr/bin/svstat "$T/f" | sed "s|$T/||g; s/ 10[0-9] seconds/ 100 seconds/")"
fi
st_flags=0
put_status "$T/f"
run_svstat "$T/f"
check_eq "tend: up, not ready yet" "f: up (pid 4242) 100 seconds, starting" \
    "$out"
st_flags=$((0x05)) st_want=d
put_status "$T/f"
run_svstat "$T/f"
check_eq "tend: once is not want down" "f: up (pid 4242) 100 seconds, ready" \
    "$out"
st_flags=$((0x11))
put_status "$T/f"
run_svstat "$T/f"
check_eq "tend: want exit" "f: up (pid 4242) 100 seconds, want exit, ready" \
    "$out"
st_pid=0 st_state=0 st_want=u st_flags=$((0x20)) st_due=5
put_status "$T/f"
run_svstat "$T/f"
check_eq "tend: waiting to restart" \
    "f: down 100 seconds, normally up, want up, restart in 5 seconds" \
    "$(echo "$out" | sed 's/restart in 4 seconds/restart in 5 seconds/')"
st_want=d st_flags=$((0x02 | 0x40)) st_wstatus=$((3 << 8))
put_status "$T/f"
run_svstat "$T/f"
check_eq "tend: failed" "f: down 100 seconds, normally up, failed" "$out"

# --- errors, one line each on stdout; the exit counts them
mksv "$T/never"
mkdir -p "$T/stale/supervise"
mkfifo "$T/stale/supervise/ok"
: >"$T/file"
fake short
printf 'garbage' >"$T/short/supervise/status"
fake nostatus
run_svstat "$T/f" "$T/missing" "$T/never" "$T/stale" "$T/file" \
    "$T/short" "$T/nostatus"
check_eq "six failing of seven exit 6" 6 "$rc"
check_eq "one line per directory" \
"f: down 100 seconds, normally up, failed
missing: unable to chdir: file does not exist
never: supervise not running
stale: supervise not running
file: unable to chdir: not a directory
short: unable to read supervise/status: bad format
nostatus: unable to read supervise/status: file does not exist" "$out"
check_eq "nothing on stderr" "" "$err"
# 64 random-looking bytes: no supervisor of the lineage wrote them.
fake noise
printf '\245%.0s' $(seq 1 64) >"$T/noise/supervise/status"
run_svstat "$T/noise"
check_eq "random bytes: bad format" \
    "noise: unable to read supervise/status: bad format" "$out"
# A runit record with state 3, and one with nanoseconds 10^9.
fake st3
printf '\100\0\0\0\151\45\246\30\0\0\0\0\0\0\0\0\0u\0\3' \
    >"$T/st3/supervise/status"
fake ns9
printf '\100\0\0\0\151\45\246\30\73\232\312\0\0\0\0\0\0u\0\0' \
    >"$T/ns9/supervise/status"
run_svstat "$T/st3" "$T/ns9"
check_eq "state 3, nanoseconds 10^9: bad format" \
    "st3: unable to read supervise/status: bad format
ns9: unable to read supervise/status: bad format" "$out"
set --
i=0
while [ "$i" -lt 120 ]; do
	set -- "$@" "$T/missing$i"
	i=$((i + 1))
done
svstat "$@" >/dev/null
check_eq "120 failures exit 99" 99 "$?"

# --- the logger's part
st_reset
put_status "$T/f"
mkdir -p "$T/f/log/supervise"
mkfifo "$T/f/log/supervise/ok"
run_svstat "$T/f"
check_eq "log not running: still exit 0" \
    "0:f: up (pid 4242) 100 seconds; log: supervise not running" "$rc:$out"
fake f/log
st_pid=4141 st_runpid=4141
put_status "$T/f/log"
run_svstat "$T/f"
check_eq "log up" \
    "f: up (pid 4242) 100 seconds; log: up (pid 4141) 100 seconds" "$out"

# --- JSON
if [ -x /usr/bin/python3 ]; then
	json() {
		/usr/bin/python3 -c '
import json, sys
for line in sys.stdin.buffer:
    o = json.loads(line)
    print(" ".join("%s=%s" % (k, json.dumps(v, sort_keys=True, ensure_ascii=False))
        for k, v in o.items()))
' | sed "s|$T/||g; s/seconds=10[0-9] /seconds=100 /;
	    s/readysince=10[0-9] /readysince=100 /;
	    s/\"seconds\": 10[0-9]/\"seconds\": 100/g"
	}
	st_reset
	st_len=64 st_flags=$((0x01 | 0x08 | 0x40)) st_wstatus=15 st_short=2
	st_starts=7
	put_status "$T/f"
	check_eq "-j: tend record, log up" \
	    'dir="f" state="up" pid=4242 seconds=100 want="up" normally="up" essential=false paused=false ready=true failed=false gotterm=false configerror=false restarts=2 starts=7 configerrors=[] readysince=100 checkfailures=0 checklimit=3 lastexit={"signal": "TERM"} log={"checkfailures": null, "checklimit": null, "configerror": false, "configerrors": null, "essential": false, "failed": false, "gotterm": false, "lastexit": null, "normally": "up", "paused": false, "pid": 4141, "ready": false, "readysince": null, "restarts": null, "seconds": 100, "starts": null, "state": "up", "want": "up"}' \
	    "$(svstat -j "$T/f" | json)"
	rm -rf "$T/f/log"
	st_pid=0 st_state=0 st_want=d st_flags=$((0x40 | 0x02))
	st_wstatus=$((3 << 8))
	: >"$T/f/down"
	: >"$T/f/essential"
	put_status "$T/f"
	check_eq "-j: down, exit code, failed, essential, no log" \
	    'dir="f" state="down" pid=null seconds=100 want="down" normally="down" essential=true paused=false ready=false failed=true gotterm=false configerror=false restarts=2 starts=7 configerrors=[] readysince=null checkfailures=0 checklimit=3 lastexit={"code": 3} log=null' \
	    "$(svstat -j "$T/f" | json)"
	rm -f "$T/f/essential"
	st_reset
	st_len=18 st_want=0 st_paused=1
	put_status "$T/f"
	check_eq "-j: daemontools record" \
	    'dir="f" state="up" pid=4242 seconds=100 want="once" normally="down" essential=false paused=true ready=false failed=false gotterm=false configerror=false restarts=null starts=null configerrors=null readysince=null checkfailures=null checklimit=null lastexit=null log=null' \
	    "$(svstat -j "$T/f" | json)"
	check_eq "-j: errors" \
	    'dir="missing" error="unable to chdir: file does not exist"
dir="stale" error="supervise not running"
dir="short" error="unable to read supervise/status: bad format"' \
	    "$(svstat -j "$T/missing" "$T/stale" "$T/short" | json)"
	# Awkward names: quote, backslash, tab, newline, space, UTF-8.
	for n in 'a"b' 'a\b' "$(printf 'a\tb')" "$(printf 'a\nb')" 'a b' \
	    "$(printf 'caf\303\251')"; do
		mkdir -p "$T/n/$n"
		got=$(svstat -j "$T/n/$n" | /usr/bin/python3 -c '
import json, sys
print(json.loads(sys.stdin.buffer.read())["dir"], end="")')
		check_eq "-j: name (hex)$(printf '%s' "$n" | od -An -tx1)" \
		    "$T/n/$n" "$got"
	done
	check_eq "-j: control characters as u00XX escapes" \
	    "{\"dir\":\"a\\u0009b\\u000ac\",\"error\":\"unable to chdir: file does not exist\"}" \
	    "$(svstat -j "$(printf 'a\tb\nc')")"
else
	skip "svstat -j" "no /usr/bin/python3 to parse JSON"
fi

# --- real supervisors
for kind in runit daemontools tend; do
	if ! have "$kind"; then
		skip "$kind supervisor" "not installed or not built"
		continue
	fi
	d=$T/$kind
	mksv "$d"
	# tend's supervise marks a service without a readiness check ready
	# as soon as it runs.
	rdy=
	[ "$kind" = tend ] && rdy=", ready"
	log=
	if [ "$kind" != daemontools ]; then
		mksv "$d/log" 'exec cat >/dev/null'
		log="; log: up (pid P) S seconds$rdy"
	fi
	start "$kind" "$kind"
	check "$kind: comes up" wait_until 5 eval \
	    'svstat "$d" | grep -q "^[^;]*: up"'
	check_eq "$kind: up" "$kind: up (pid P) S seconds$rdy$log" \
	    "$(svstat "$d" | norm)"
	svc -dw "$d"
	check_eq "$kind: down" "$kind: down S seconds, normally up$log" \
	    "$(svstat "$d" | norm)"
	: >"$d/down"
	svc -uw "$d"
	check_eq "$kind: up, normally down" \
	    "$kind: up (pid P) S seconds, normally down$rdy$log" \
	    "$(svstat "$d" | norm)"
	svc -p "$d"
	check "$kind: paused" wait_until 5 eval \
	    'svstat "$d" | grep -q "normally down, paused"'
	svc -c "$d"
	if [ -x /usr/bin/python3 ]; then
		check_eq "$kind: -j parses" "up up" "$(svstat -j "$d" |
		    /usr/bin/python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
print(o["state"], (o["log"] or {"state": "up"})["state"])')"
	fi
	if [ -n "$log" ]; then
		svc -dw "$d/log"
		check_eq "$kind: logger down" \
		    "$kind: up (pid P) S seconds, normally down$rdy; log: down S seconds, normally up" \
		    "$(svstat "$d" | norm)"
		check_eq "$kind: the logger alone" \
		    "$kind/log: down S seconds, normally up" \
		    "$(svstat "$d/log" | norm)"
	fi
	svc -dx "$d"
	check "$kind: supervise exits" wait_until 10 eval '! svok "$d"'
	run_svstat "$d"
	check_eq "$kind: not running: exit 1" \
	    "1:$kind: supervise not running" "$rc:$out"
done

done_testing
