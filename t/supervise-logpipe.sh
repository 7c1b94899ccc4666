#!/bin/sh
# t/supervise-logpipe.sh: black-box tests of supervise: the log pipe: a logger SIGKILLed again and again
# loses nothing.
# Service directories in a scratch directory, observed only through their
# files (supervise/status, stat, pid, history), supervise's exit status and
# stderr, and what the services themselves write down. The other areas are
# in t/supervise-*.sh; the shared set-up is in t/helpers/sv.sh.
# Not tested here: a logger SIGKILLed in the middle of a read()+write()
# (cat would lose what it had read: that is the logger's loss, not
# supervise's), readiness through the logger.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"
supervise_setup

### The log pipe: the logger SIGKILLed again and again loses nothing.

# lp/run writes 20000 numbered lines in 10 chunks of 2000; chunk i waits
# for the file go.i, which the test creates once the logger has been
# SIGKILLed, so each chunk goes into the pipe while the logger is dead or
# restarting. The second run (after 't') writes 20001..22000 while the
# logger keeps running.
mkrun "$T/lp" 'n=$(cat ../lp.gen 2>/dev/null || echo 0)
n=$((n + 1))
echo $n > ../lp.gen
if [ $n = 1 ]; then
	i=0
	while [ $i -lt 10 ]; do
		w=0
		while [ ! -e ../go.$i ]; do
			sleep 0.01
			w=$((w + 1))
			[ $w -gt 1000 ] && exit 9
		done
		lines $((i * 2000 + 1)) $((i * 2000 + 2000))
		echo "$i $?" >> ../lp.rc
		i=$((i + 1))
	done
else
	lines 20001 22000
	echo "g2 $?" >> ../lp.rc
fi
exec sleep 1000'
echo 1 > "$T/lp/min-uptime"
mkdir -p "$T/lp/log"
mkscript "$T/lp/log/run" 'exec cat >> ../../lp.out'
echo 1 > "$T/lp/log/min-uptime"
start_sv lp
check "lp: service and logger up" wait_until 5 eval \
    'is_up "$T/lp" && is_up "$T/lp/log"'
LPS=$(st_pid "$T/lp")
touch "$T/go.0"
i=1
kills=0
while [ $i -lt 10 ]; do
	wait_until 10 lines_at_least "$T/lp.out" $((i * 2000)) || break
	old=$(st_pid "$T/lp/log")
	ctl "$T/lp/log" k
	wait_until 5 gone "$old" || break
	touch "$T/go.$i"
	wait_until 5 up_other "$T/lp/log" "$old" || break
	kills=$((kills + 1))
	i=$((i + 1))
done
check_eq "lp: logger SIGKILLed 9 times, restarted each time" 9 "$kills"
check "lp: 20000 lines logged" wait_until 10 lines_at_least "$T/lp.out" 20000
check "lp: every line exactly once, in order" \
    eval 'seq 1 20000 | cmp -s - "$T/lp.out"'
check_eq "lp: 9 logger kills in its history" 9 \
    "$(hist_count "$T/lp/log" "exit pid=[0-9]+ signal=KILL")"
check_eq "lp: service never restarted meanwhile" "$LPS" "$(st_pid "$T/lp")"
LOGP=$(st_pid "$T/lp/log")
ctl "$T/lp" t
check "lp: service restarted" wait_until 5 up_other "$T/lp" "$LPS"
check "lp: second run's lines logged" wait_until 10 lines_at_least \
    "$T/lp.out" 22000
check "lp: all 22000 lines exactly once, in order" \
    eval 'seq 1 22000 | cmp -s - "$T/lp.out"'
check_eq "lp: logger kept running across the service restart" "$LOGP" \
    "$(st_pid "$T/lp/log")"
check_eq "lp: every write succeeded" "0 0
1 0
2 0
3 0
4 0
5 0
6 0
7 0
8 0
9 0
g2 0" "$(cat "$T/lp.rc")"
check "lp: no SIGPIPE" eval '! grep -q "signal=PIPE" "$T/lp/supervise/history"'

done_testing
