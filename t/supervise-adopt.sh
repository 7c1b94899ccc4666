#!/bin/sh
# t/supervise-adopt.sh: black-box tests of supervise: a SIGKILLed supervise's successor adopts the service
# and the logger.
# Service directories in a scratch directory, observed only through their
# files (supervise/status, stat, pid, history), supervise's exit status and
# stderr, and what the services themselves write down. The other areas are
# in t/supervise-*.sh; the shared set-up is in t/helpers/sv.sh.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

### Adoption: a SIGKILLed supervise's successor takes over the running
### service and logger, and the log pipe still joins them.

mkrun "$T/ad" 'echo "hello $$"; exec sleep 1000'
mkdir -p "$T/ad/log"
mkscript "$T/ad/log/run" "exec cat >> '$T/ad.log'"
echo 1 > "$T/ad/min-uptime"
start_sv ad
PID_AD=$SVPID
check "ad: up with its logger" wait_until 5 eval \
    'is_up "$T/ad" && is_up "$T/ad/log"'
AP=$(st_pid "$T/ad")
AL=$(st_pid "$T/ad/log")
check "ad: first line logged" wait_until 5 grep -qxs "hello $AP" "$T/ad.log"
kill -9 "$PID_AD"
exit_of "$PID_AD" >/dev/null
check "ad: service survives its supervise" alive "$AP"
start_sv ad
PID_AD=$SVPID
check "ad: new supervise records the adoption" wait_until 5 \
    hist_has "$T/ad" " adopt pid=$AP\$"
check "ad: and the logger's" wait_until 5 hist_has "$T/ad/log" \
    " adopt pid=$AL\$"
check_eq "ad: same service pid" "$AP" "$(st_pid "$T/ad")"
check_eq "ad: same logger pid" "$AL" "$(st_pid "$T/ad/log")"
check "ad: one instance each (supervise, run, logger)" holds_for 300 \
    eval '[ "$(nprocs_under "$T/ad")" = 3 ]'
ctl "$T/ad" t
check "ad: adopted service restarted on 't'" wait_until 5 up_other \
    "$T/ad" "$AP"
AP2=$(st_pid "$T/ad")
check "ad: the new run's line reaches the old logger" wait_until 5 \
    grep -qx "hello $AP2" "$T/ad.log"
check "ad: the adopted run's end recorded" hist_has "$T/ad" "exit pid=$AP "
ctl "$T/ad" x
exit_of "$PID_AD"
check_eq "ad: 'x' exits 0" 0 $?
check_eq "ad: no process left" 0 "$(nprocs_under "$T/ad")"

done_testing
