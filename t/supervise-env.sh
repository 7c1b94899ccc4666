#!/bin/sh
# t/supervise-env.sh: black-box tests of supervise: the service's environment (session, descriptors,
# signals, stdin and stdout), notification-fd.
# Service directories in a scratch directory, observed only through their
# files (supervise/status, stat, pid, history), supervise's exit status and
# stderr, and what the services themselves write down. The other areas are
# in t/supervise-*.sh; the shared set-up is in t/helpers/sv.sh.
# Not tested here: history rotation at 64 KiB (t/unit/check_history.c).
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

### The service's environment.

mkrun "$T/env1" 'exec probe ../env1.out'
mkdir -p "$T/env1/log"
mkscript "$T/env1/log/run" 'exec cat >> ../../env1.log'
start_sv env1
check "env1: probe ran" wait_until 5 eval \
    'grep -q "^SigIgn" "$T/env1.out" 2>/dev/null'
EP=$(st_pid "$T/env1")
check_eq "env1: own session and process group" "pid=$EP sid=$EP pgid=$EP" \
    "$(sed -n 1p "$T/env1.out")"
check_eq "env1: only descriptors 0 1 2" "fds=0 1 2" "$(sed -n 2p "$T/env1.out")"
check_eq "env1: stdin /dev/null, stdout the log pipe" \
    "stdin=/dev/null stdout=$T/env1/supervise/logpipe" \
    "$(sed -n 3p "$T/env1.out")"
check_eq "env1: no signal blocked or ignored" "blocked=0 ignored=0" \
    "$(sed -n 4p "$T/env1.out")"
# BUG: spawn.c resets dispositions with sigaction(), which glibc refuses
# for signals 32 and 33 (its own): an ignored 32/33 inherited by supervise
# stays ignored in the service. GNU make ignores both, so this fails under
# `make check` (SigIgn 0000000180000000) and passes from a plain shell.
check_eq "env1: /proc SigBlk and SigIgn zero" \
    "SigBlk:	0000000000000000
SigIgn:	0000000000000000" "$(sed -n '5,$p' "$T/env1.out")"
check "env1: stdout reaches the logger" wait_until 5 last_line "$T/env1.log" probe

mkrun "$T/env2" 'exec probe ../env2.out'
start_sv env2
check "env2: probe ran" wait_until 5 eval \
    'grep -q "^SigIgn" "$T/env2.out" 2>/dev/null'
check_eq "env2: without log/, stdout is supervise's" \
    "stdin=/dev/null stdout=$T/env2.stdout" "$(sed -n 3p "$T/env2.out")"
check "env2: output in supervise's stdout" wait_until 5 last_line \
    "$T/env2.stdout" probe
check_eq "env2: only descriptors 0 1 2" "fds=0 1 2" "$(sed -n 2p "$T/env2.out")"

### notification-fd: ready only after the newline.

# BUG: spawn_run() (src/lib/spawn.c) refuses with EBADF when one of the
# child's stdio sources has the number notification-fd: supervise's
# /dev/null is descriptor 3, so "notification-fd 3" never starts
# ("unable to start ./run: Bad file descriptor", spawnfail error=EIO).
mkrun "$T/nf" 'sleep 0.3; echo >&3; exec sleep 1000'
echo 3 > "$T/nf/notification-fd"
start_sv nf
check "nf: up" wait_until 2 is_up "$T/nf"
NP=$(st_pid "$T/nf")
check "nf: not ready before the write" eval '! st_flag "$T/nf" 1'
check "nf: not ready in history yet" eval '! hist_has "$T/nf" " ready "'
check "nf: ready after the write" wait_until 2 st_flag "$T/nf" 1
check "nf: history ready pid" hist_has "$T/nf" " ready pid=$NP via=fd\$"
sl=$(grep ' start pid=' "$T/nf/supervise/history")
rl=$(grep ' ready pid=' "$T/nf/supervise/history")
gap=$(secs_between "$sl" "$rl")
check "nf: ready about 0.3 s after start ($gap)" eval 'ge "$gap" 0.28'

# The same with a descriptor that collides with nothing of supervise's.
mkrun "$T/nf9" 'sleep 0.3; echo >&9; exec sleep 1000'
echo 9 > "$T/nf9/notification-fd"
start_sv nf9
check "nf9: up" wait_until 5 is_up "$T/nf9"
NP=$(st_pid "$T/nf9")
check "nf9: not ready before the write" eval '! st_flag "$T/nf9" 1'
check "nf9: ready after the write" wait_until 5 st_flag "$T/nf9" 1
check "nf9: history ready pid" hist_has "$T/nf9" " ready pid=$NP via=fd\$"
check "nf9: no stderr" eval '[ ! -s "$T/nf9.err" ]'

mkrun "$T/nn" 'exec sleep 1000'
start_sv nn
check "nn: without notification-fd, ready at start" wait_until 5 st_flag "$T/nn" 1

done_testing
