#!/bin/sh
# t/svscan.sh: black-box tests of svscan on a scan directory in a scratch
# directory: which entries get a supervise, inotify pick-up, removal,
# SIGHUP, takeover after SIGKILL, handover to a second svscan, restart of
# a dead supervise, shutdown on SIGTERM, 300 services, bad usage.
#
# Not tested here: PID 1 duties (orphan reaping, .svscan/init and finish,
# `svscan DIR -- CMD`), the 5 s stat fallback without inotify, the
# .svscan/control bytes, SIGALRM.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"

# start_scan DIR NAME: svscan $T/DIR from $T, stdout and stderr to
# $T/NAME.out and $T/NAME.err. Sets SCANPID.
start_scan() {
	(cd "$T" && exec svscan "$1" >"$T/$2.out" 2>"$T/$2.err") &
	SCANPID=$!
}

# all_up DIR...: every DIR is up.
all_up() {
	for sv_d in "$@"; do
		is_up "$sv_d" || return 1
	done
}

# svpid DIR: the pid of the supervise running DIR (its cwd is DIR and its
# command name "supervise").
svpid() {
	for sv_p in $(pids_under "$1"); do
		[ "$(readlink "/proc/$sv_p/cwd")" = "$1" ] || continue
		[ "$(cat "/proc/$sv_p/comm" 2>/dev/null)" = supervise ] || continue
		echo "$sv_p"
	done
}

# count_is N CMD...: CMD prints N.
count_is() {
	sv_want=$1
	shift
	[ "$("$@")" = "$sv_want" ]
}

S=$T/scan
mkrun "$S/a" 'trap "echo a-term >> '"$T"'/term.log; echo a-bye; exit 0" TERM
echo a-hello
while :; do sleep 1000 & wait $!; done'
mkdir -p "$S/a/log"
mkscript "$S/a/log/run" "exec cat >> '$T/a.log'"
mkrun "$S/b c" 'trap "echo b-term >> '"$T"'/term.log; exit 0" TERM
while :; do sleep 1000 & wait $!; done'
mkrun "$T/target" 'trap "echo t-term >> '"$T"'/term.log; exit 0" TERM
while :; do sleep 1000 & wait $!; done'
ln -s "$T/target" "$S/link"
mkrun "$S/.hidden" 'exec sleep 1000'
echo 'not a service' > "$S/plainfile"
ln -s "$T/later" "$S/dangling"

start_scan scan scan
SCAN1=$SCANPID
check "a, 'b c' and the symlinked dir come up" wait_until 10 all_up \
    "$S/a" "$S/b c" "$T/target"
check "a's logger comes up" wait_until 5 is_up "$S/a/log"
check "a's output reaches its logger" wait_until 5 grep -qxs a-hello "$T/a.log"
# Processes: supervise, the run's sh and its sleep (and the logger's cat).
check "a: one supervise, the run, the logger" wait_until 5 count_is 4 \
    nprocs_under "$S/a"
check "'b c': one supervise and the run" wait_until 5 count_is 3 \
    nprocs_under "$S/b c"
check "link: one supervise and the run" wait_until 5 count_is 3 \
    nprocs_under "$T/target"
check ".hidden not started" eval '[ ! -e "$S/.hidden/supervise" ]'
check_eq ".hidden: no process" 0 "$(nprocs_under "$S/.hidden")"
check_eq "plain file left alone" "not a service" "$(cat "$S/plainfile")"
check_eq "scan dir holds no stray entries" ".hidden
.svscan
a
b c
dangling
link
plainfile" "$(ls -A "$S")"

# A new directory is picked up without any signal.
mkrun "$T/new.tmp" 'exec sleep 1000'
mv "$T/new.tmp" "$S/new"
check "new directory started promptly (2 s, no signal)" wait_until 2 \
    is_up "$S/new"

# SIGHUP rescans: the dangling symlink gets a target, which changes
# nothing in the scan directory itself (no inotify event).
mkrun "$T/later" 'exec sleep 1000'
check "dangling symlink's target not started before the HUP (300 ms)" \
    holds_for 300 eval '[ ! -e "$T/later/supervise" ]'
kill -HUP "$SCAN1"
check "SIGHUP rescans: the new target is started" wait_until 5 is_up "$T/later"

# A removed directory: service and logger stopped, supervise exits.
A_SV=$(svpid "$S/a")
check "a: its supervise found" [ -n "$A_SV" ]
mv "$S/a" "$T/a.removed"
R=$T/a.removed
check "removed: a's supervise exits" wait_until 10 gone "$A_SV"
check "removed: service down" wait_until 5 is_down "$R"
check "removed: logger down" wait_until 5 is_down "$R/log"
check "removed: no process left in it" wait_until 5 count_is 0 \
    nprocs_under "$R"
check "removed: its TERM trap ran" grep -qx a-term "$T/term.log"
check "removed: its last line reached the logger" grep -qx a-bye "$T/a.log"

# rm -rf of a running service: its processes go too.
mkrun "$T/doomed.tmp" 'exec sleep 1000'
mv "$T/doomed.tmp" "$S/doomed"
check "doomed: up" wait_until 5 is_up "$S/doomed"
D_SV=$(svpid "$S/doomed")
D_RUN=$(st_pid "$S/doomed")
rm -rf "$S/doomed"
check "rm -rf: its supervise exits" wait_until 10 gone "$D_SV"
check "rm -rf: its service is stopped" wait_until 5 gone "$D_RUN"

### Takeover: svscan SIGKILLed, a new one adopts the running tree.

# every_pid: the processes of every service (svscan's own cwd is $S).
every_pid() {
	for sv_d in "$S"/*/ "$T/target" "$T/later"; do
		pids_under "${sv_d%/}"
	done
}
before=$(every_pid)
kill -9 "$SCAN1"
exit_of "$SCAN1" >/dev/null
start_scan scan scan2
SCAN2=$SCANPID
# has_open PID NAME: PID has a descriptor open on a path ending in NAME.
# (Not a probe of the lock itself: taking it even for an instant would
# make the starting svscan believe another one runs.)
has_open() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q -- "$2\$"; }
check "takeover: the new svscan took its lock and control FIFO" \
    wait_until 5 eval 'has_open "$SCAN2" .svscan/lock &&
    has_open "$SCAN2" .svscan/control'
check "takeover: it adopted the running supervises (their control FIFOs)" \
    wait_until 5 eval 'has_open "$SCAN2" "b c/supervise/control" &&
    has_open "$SCAN2" "$S/new/supervise/control"'
# Nothing may change now: every service keeps its supervise and pid, and
# no second instance appears.
check "takeover: same processes (1 s)" holds_for 1000 eval \
    '[ "$(every_pid)" = "$before" ]'
check_eq "takeover: one supervise per service" "1 1 1 1" \
    "$(echo $(svpid "$S/b c" | wc -l) $(svpid "$T/target" | wc -l) \
    $(svpid "$S/new" | wc -l) $(svpid "$T/later" | wc -l))"
check "takeover: no 'unable to acquire' on stderr" \
    eval '! grep -q "unable to acquire" "$T/scan2.err"'
check_eq "takeover: stderr empty" "" "$(cat "$T/scan2.err")"

# An adopted supervise that dies is started again by the new svscan.
B_SV=$(svpid "$S/b c")
B_RUN=$(st_pid "$S/b c")
kill -9 "$B_SV"
check "adopted supervise killed: started again" wait_until 5 eval \
    '[ -n "$(svpid "$S/b c")" ] && [ "$(svpid "$S/b c")" != "$B_SV" ]'
# The new supervise adopts the service left by the killed one (DESIGN.md
# section 1): no second ./run.
check "adopted supervise killed: still one instance of the service (2 s)" \
    holds_for 2000 eval '[ "$(nprocs_under "$S/b c")" = 3 ]'
check "adopted supervise killed: the service keeps its pid" wait_until 2 \
    eval '[ "$(st_pid "$S/b c")" = "$B_RUN" ]'

# A supervise started by this svscan that dies is started again too.
N_SV=$(svpid "$S/new")
kill -9 "$N_SV"
check "own supervise killed: started again" wait_until 5 eval \
    '[ -n "$(svpid "$S/new")" ] && [ "$(svpid "$S/new")" != "$N_SV" ]'
check "own supervise killed: new one answers" wait_until 5 svok "$S/new"

### Handover: a second svscan while the first runs.

before=$(pids_under "$T/target"; pids_under "$T/later")
start_scan scan scan3
SCAN3=$SCANPID
exit_of "$SCAN2" 10
check_eq "handover: the first svscan exits 0" 0 $?
check "handover: the second keeps running" alive "$SCAN3"
check "handover: services keep their pids (1 s)" holds_for 1000 eval \
    '[ "$(pids_under "$T/target"; pids_under "$T/later")" = "$before" ]'
check_eq "handover: no stderr" "" "$(cat "$T/scan3.err")"
L_SV=$(svpid "$T/later")
kill -9 "$L_SV"
check "handover: the second restarts a killed supervise" wait_until 5 eval \
    '[ -n "$(svpid "$T/later")" ] && [ "$(svpid "$T/later")" != "$L_SV" ]'

### SIGTERM: everything goes down, loggers drain, exit 0.

# Built aside and moved in, so that svscan never sees it without log/.
mkrun "$T/z.tmp" 'trap "echo z-bye; exit 0" TERM
echo z-hello
while :; do sleep 1000 & wait $!; done'
mkdir -p "$T/z.tmp/log"
mkscript "$T/z.tmp/log/run" "exec cat >> '$T/z.log'"
mv "$T/z.tmp" "$S/z"
check "z: up and logging" wait_until 5 grep -qxs z-hello "$T/z.log"
: > "$T/term.log"
kill -TERM "$SCAN3"
exit_of "$SCAN3" 15
check_eq "SIGTERM: svscan exits 0" 0 $?
check_eq "SIGTERM: TERM traps ran" "b-term
t-term" "$(sort "$T/term.log")"
check_eq "SIGTERM: the line printed in the TERM trap was logged" "z-hello
z-bye" "$(cat "$T/z.log")"
check "SIGTERM: every service and logger down" eval \
    'is_down "$S/b c" && is_down "$T/target" && is_down "$S/new" &&
    is_down "$T/later" && is_down "$S/z" && is_down "$S/z/log"'
check_eq "SIGTERM: no supervise left" "" "$(for p in $(pids_under "$T"); do
	grep -x supervise "/proc/$p/comm"; done)"
# Including the services whose supervise was SIGKILLed above (adopted, so
# no orphan first instance is left).
check "SIGTERM: no process left under the scratch dir" wait_until 5 \
    count_is 0 nprocs_under "$T"
# Without SIGKILLed supervises: a clean tree empties completely.
C=$T/clean
mkrun "$C/c1" 'trap "echo c1-bye; exit 0" TERM
while :; do sleep 1000 & wait $!; done'
mkdir -p "$C/c1/log"
mkscript "$C/c1/log/run" "exec cat >> '$T/c1.log'"
mkrun "$C/c2" 'exec sleep 1000'
start_scan clean clean
CLEAN=$SCANPID
check "clean: both up" wait_until 5 all_up "$C/c1" "$C/c1/log" "$C/c2"
kill -TERM "$CLEAN"
exit_of "$CLEAN" 15
check_eq "clean: SIGTERM: svscan exits 0" 0 $?
check_eq "clean: SIGTERM: last line logged" c1-bye "$(cat "$T/c1.log")"
check "clean: SIGTERM: no process left" wait_until 2 count_is 0 \
    nprocs_under "$C"
check_eq "clean: no stderr" "" "$(cat "$T/clean.err")"

### 300 services under one svscan.

B=$T/many
i=0
while [ $i -lt 300 ]; do
	mkrun "$B/s$i" 'exec sleep 1000'
	i=$((i + 1))
done
# count_up: how many of them show state 1 (status records are 64 bytes).
count_up() {
	cat "$B"/s*/supervise/status 2>/dev/null | od -An -v -tu1 -w64 |
	    awk '$20 == 1 { n++ } END { print n + 0 }'
}
start_scan many many
MANY=$SCANPID
check "300 services: all up" wait_until 60 count_is 300 count_up
check_eq "300 services: 300 supervise processes" 300 \
    "$(for p in $(pids_under "$B"); do cat "/proc/$p/comm"; done |
    grep -cx supervise)"
check_eq "300 services: 601 processes (with svscan)" 601 "$(nprocs_under "$B")"
check_eq "300 services: no stderr" "" "$(cat "$T/many.err")"
kill -TERM "$MANY"
exit_of "$MANY" 30
check_eq "300 services: SIGTERM, exit 0" 0 $?
check "300 services: all gone" wait_until 10 count_is 0 nprocs_under "$B"

### Bad usage.

svscan "$T/nonexistent" >"$T/bad1.out" 2>"$T/bad1.err"
check_eq "missing dir: exit 111" 111 $?
check_eq "missing dir: one line" 1 "$(wc -l < "$T/bad1.err" | tr -d ' ')"
check "missing dir: fatal message" grep -q "^svscan: fatal: unable to .*nonexistent" \
    "$T/bad1.err"
svscan -x >"$T/bad2.out" 2>"$T/bad2.err"
check_eq "svscan -x: exit 100" 100 $?
check_eq "svscan -x: reason and usage" "svscan: fatal: unknown option -x
usage: svscan [-r ms] [-R] [-k ms] [-e N] [-g] [-v] [DIR] [-- CMD ARG...]" \
    "$(cat "$T/bad2.err")"
svscan a b >"$T/bad3.out" 2>"$T/bad3.err"
check_eq "svscan with two dirs: exit 100" 100 $?
# Digits only (num.c): a blank or a sign is no number of ms.
svscan -k " 5" "$T/nonexistent" >"$T/bad4.out" 2>"$T/bad4.err"
check_eq "svscan -k with a blank: exit 100" "100:svscan: fatal: invalid -k: \" 5\" (a number from 0 to 2147483647)" \
    "$?:$(cat "$T/bad4.err")"

done_testing
