#!/bin/sh
# t/supervise-finish.sh: black-box tests of supervise: ./finish, its arguments, its output, timeout-finish.
# Service directories in a scratch directory, observed only through their
# files (supervise/status, stat, pid, history), supervise's exit status and
# stderr, and what the services themselves write down. The other areas are
# in t/supervise-*.sh; the shared set-up is in t/helpers/sv.sh.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

### ./finish gets runit's arguments; its output goes to the log.

mkrun "$T/fin" 'n=$(cat ../fin.n 2>/dev/null || echo 0)
n=$((n + 1))
echo $n > ../fin.n
[ $n = 1 ] && exit 3
exec sleep 1000'
mkscript "$T/fin/finish" 'echo "$1 $2" >> ../fin.args
echo "finish-out $1 $2"'
mkdir -p "$T/fin/log"
mkscript "$T/fin/log/run" 'exec cat >> ../../fin.out'
echo 1 > "$T/fin/min-uptime"
start_sv fin
check "fin: exit 3 gives finish '3 0'" wait_until 5 last_line "$T/fin.args" "3 0"
check "fin: started again after finish" wait_until 5 \
    eval '[ "$(cat "$T/fin.n" 2>/dev/null)" = 2 ] && is_up "$T/fin"'
check "fin: finish output in the log" grep -qx "finish-out 3 0" "$T/fin.out"
check "fin: history finish record" \
    hist_has "$T/fin" "finish pid=[0-9]+ code=0 runtime=[0-9]+\.[0-9]{3}\$"
ctl "$T/fin" t
check "fin: killed by TERM gives finish '-1 15'" \
    wait_until 5 last_line "$T/fin.args" "-1 15"
check "fin: '-1 15' output in the log" \
    wait_until 5 grep -qx "finish-out -1 15" "$T/fin.out"

mkrun "$T/fh" 'exec sleep 1000'
mkscript "$T/fh/finish" 'echo $$ > ../fh.pid
exec sleep 1000'
echo 200 > "$T/fh/timeout-finish"
start_sv fh
check "fh: up" wait_until 5 is_up "$T/fh"
RP=$(st_pid "$T/fh")
ctl "$T/fh" d
check "fh: state 2 while ./finish runs" wait_until 5 \
    eval '[ "$(st_state "$T/fh")" = 2 ]'
check "fh: finish pid known" wait_until 5 test -s "$T/fh.pid"
FP=$(cat "$T/fh.pid")
check_eq "fh: status pid = finish pid while finishing (runit)" "$FP" \
    "$(st_pid "$T/fh")"
check_eq "fh: run pid kept in tend's field" "$RP" "$(st_runpid "$T/fh")"
check_eq "fh: stat 'finish, want down'" "finish, want down" "$(statf "$T/fh")"
check "fh: timeout-finish kills the hanging finish" wait_until 5 is_down "$T/fh"
check "fh: history finish signal=KILL" \
    hist_has "$T/fh" "finish pid=$FP signal=KILL runtime="
check "fh: finish ran about 200 ms" eval \
    'rt=$(sed -n "s/.*finish pid=$FP signal=KILL runtime=//p" "$T/fh/supervise/history");
    ge "$rt" 0.15 && lt "$rt" 2'
check "fh: warning on stderr" grep -q "timeout-finish" "$T/fh.err"
check "fh: the finish process is gone" gone "$FP"

done_testing
