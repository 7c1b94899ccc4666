#!/bin/sh
# t/chaos.sh [SERVICES [SECONDS [RATE [KILL_MS [SEED]]]]]: an operator's
# bad day. SERVICES logged services (default 4) each write RATE numbered
# lines a second (default 1000) through svlog; for SECONDS (default 12),
# every KILL_MS ms on average (default 150) one of these happens, drawn
# from SEED: SIGKILL of a logger, of a supervise, or of svscan itself
# (restarted at once), or `svc -h` / `svc -a` to a service. Then:
#   - every service is still the process it was, started once (status
#     bytes 60..63, history: one start, no exit);
#   - every line is in its log, in order, once: a line written again is
#     allowed only as a replay of what a SIGKILLed logger had written and
#     not yet taken from the pipe (svlog.8), at most one replay per
#     logger kill; replays, duplicated lines and lines a killed logger
#     left unfinished at the end of a file (followed by the whole line)
#     are counted and printed;
#   - one supervise and one logger per service; nothing left after
#     `svc -dx` and svscan's TERM.
# The same settings come from CHAOS_SERVICES, CHAOS_SECONDS, CHAOS_RATE,
# CHAOS_KILL_MS, CHAOS_SEED (the arguments win). `make check` runs the
# short form; `make stress` a long one. The seed is printed: the same seed
# replays the same sequence of events (their timing is the machine's).
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"

NSV=${1:-${CHAOS_SERVICES:-4}}
SECS=${2:-${CHAOS_SECONDS:-12}}
RATE=${3:-${CHAOS_RATE:-1000}}
KMS=${4:-${CHAOS_KILL_MS:-150}}
SEED=${5:-${CHAOS_SEED:-$(od -An -tu4 -N4 /dev/urandom | tr -d ' ')}}
echo "# chaos: services=$NSV seconds=$SECS rate=$RATE kill_ms=$KMS seed=$SEED"
echo "# replay: sh t/chaos.sh $NSV $SECS $RATE $KMS $SEED"

PATH=$HELPERS:$PATH
export PATH
[ -x "$HELPERS/writer" ] || make -s -C "$TOP" t/helpers/bin/writer >/dev/null

SV=$T/sv
mkdir -p "$SV"
i=1
while [ "$i" -le "$NSV" ]; do
	d=$SV/s$i
	mkrun "$d" "exec writer s$i $RATE ../../s$i.state"
	mkdir -p "$d/log"
	# Rotate often (every few seconds), keep every file.
	mkscript "$d/log/run" 'exec svlog -s 262144 -n 100000 ./main'
	# A killed logger comes back within half a second.
	echo 50 > "$d/log/min-uptime"
	echo 500 > "$d/log/backoff-max"
	eval "lk_$i=0 sk_$i=0 hup_$i=0 alrm_$i=0"
	i=$((i + 1))
done

# start_svscan: svscan on $SV in the background. Sets SCAN.
start_svscan() {
	(cd "$T" && exec svscan sv >>"$T/svscan.out" 2>>"$T/svscan.err") &
	SCAN=$!
}

# procs: "PID COMM CWD" of every process working under $SV.
procs() {
	stat -c '%N' /proc/[0-9]*/cwd 2>/dev/null | awk -v d="$SV" '
	    {
		i = index($0, "\047 -> \047")
		if (i == 0)
			next
		pid = substr($0, 8, i - 8 - 4)
		t = substr($0, i + 6, length($0) - i - 6)
		if (t != d && substr(t, 1, length(d) + 1) != d "/")
			next
		c = ""
		if ((getline c < ("/proc/" pid "/comm")) <= 0)
			next
		close("/proc/" pid "/comm")
		print pid, c, t
	    }'
}

# pick COMM CWD: the pid of the process COMM working in CWD (empty if none).
pick() { procs | awk -v c="$1" -v d="$2" '$2 == c && $3 == d { print $1; exit }'; }

# settled: every service has one supervise, one logger and its writer.
settled() {
	procs > "$T/procs"
	sv_ok=1
	j=1
	while [ "$j" -le "$NSV" ]; do
		[ "$(awk -v d="$SV/s$j" '$3 == d && $2 == "supervise"' "$T/procs" | wc -l)" = 1 ] &&
		[ "$(awk -v d="$SV/s$j/log" '$3 == d && $2 == "supervise"' "$T/procs" | wc -l)" = 0 ] &&
		[ "$(awk -v d="$SV/s$j/log/main" '$3 == d && $2 == "svlog"' "$T/procs" | wc -l)" = 1 ] &&
		[ "$(awk -v d="$SV/s$j" '$3 == d && $2 == "writer"' "$T/procs" | wc -l)" = 1 ] &&
		is_up "$SV/s$j/log" || { sv_ok=0; break; }
		j=$((j + 1))
	done
	[ "$sv_ok" = 1 ]
}

start_svscan
check "every service and logger up" wait_until 10 settled
i=1
while [ "$i" -le "$NSV" ]; do
	eval "pid_$i=\$(st_pid \"\$SV/s\$i\")"
	i=$((i + 1))
done

# The schedule: "DELAY_MS ACTION SERVICE" lines, all drawn from SEED.
awk -v seed="$SEED" -v n="$NSV" -v secs="$SECS" -v kms="$KMS" 'BEGIN {
	srand(seed)
	t = 0
	while (t < secs * 1000) {
		d = int(rand() * 2 * kms)
		t += d
		r = rand()
		if (r < 0.35) a = "klog"
		else if (r < 0.70) a = "ksup"
		else if (r < 0.80) a = "kscan"
		else if (r < 0.90) a = "hup"
		else a = "alrm"
		print d, a, 1 + int(rand() * n)
	}
}' > "$T/schedule"
echo "# chaos: $(wc -l < "$T/schedule" | tr -d ' ') events scheduled"

nscan=0
nmiss=0
t0=$(now_ms)
due=0
while read -r delay action s; do
	# Pacing the events by the clock (not waiting for a result): each
	# is due at the sum of the delays before it; none after SECONDS.
	due=$((due + delay))
	late=$(($(now_ms) - t0))
	[ "$late" -ge $((SECS * 1000)) ] && break
	[ "$due" -gt "$late" ] &&
	    sleep "$(awk -v d=$((due - late)) 'BEGIN { printf "%.3f", d / 1000 }')"
	d=$SV/s$s
	case $action in
	klog)
		p=$(pick svlog "$d/log/main")
		if [ -n "$p" ] && kill -9 "$p" 2>/dev/null; then
			eval "lk_$s=\$((lk_$s + 1))"
		else
			nmiss=$((nmiss + 1))
		fi
		;;
	ksup)
		p=$(pick supervise "$d")
		if [ -n "$p" ] && kill -9 "$p" 2>/dev/null; then
			eval "sk_$s=\$((sk_$s + 1))"
		else
			nmiss=$((nmiss + 1))
		fi
		;;
	kscan)
		kill -9 "$SCAN" 2>/dev/null
		wait "$SCAN" 2>/dev/null
		start_svscan
		nscan=$((nscan + 1))
		;;
	hup|alrm)
		[ "$action" = hup ] && l=h || l=a
		if svc "-$l" "$d" 2>/dev/null; then
			eval "${action}_$s=\$((${action}_$s + 1))"
		fi
		;;
	esac
done < "$T/schedule"

check "the tree settles: one supervise, one logger per service" \
    wait_until 20 settled
[ -f "$T/procs" ] && awk '{ print "#   " $0 }' "$T/procs" | sed "s|$SV/||" |
    sort -k3 > "$T/procs.txt"
settled || cat "$T/procs.txt"

# Before stopping: each service the same process, started once.
i=1
tl=0
ts=0
while [ "$i" -le "$NSV" ]; do
	d=$SV/s$i
	eval "p0=\$pid_$i lk=\$lk_$i sk=\$sk_$i"
	tl=$((tl + lk))
	ts=$((ts + sk))
	h=$(cat "$d/supervise/history.1" "$d/supervise/history" 2>/dev/null)
	got="$(st_pid "$d") $(st_starts "$d") \
$(echo "$h" | grep -c ' start pid=') $(echo "$h" | grep -c ' exit pid=')"
	check_eq "s$i: same pid, started once, no exit (killed: logger $lk, supervise $sk)" \
	    "$p0 1 1 0" "$got"
	# Say how it happened: its records other than adoptions and signals.
	[ "$got" = "$p0 1 1 0" ] || echo "$h" | grep -Ev ' (adopt|signal) ' |
	    tail -n 8 | sed 's/^/#   /'
	i=$((i + 1))
done
echo "# chaos: $(($(now_ms) - t0)) ms of events"
echo "# chaos: killed $tl loggers, $ts supervise, $nscan svscan; $nmiss kills found no target"

# Stop: every writer records its last line, then svscan goes.
i=1
while [ "$i" -le "$NSV" ]; do
	svc -dx "$SV/s$i" || echo "# svc -dx s$i failed"
	i=$((i + 1))
done
# all_said: every writer's last line is written (a function: an exit in
# an eval would end this script the first time one is missing).
all_said() {
	for j in $(seq 1 "$NSV"); do
		[ -s "$T/s$j.state" ] || return 1
	done
}
check "every writer stopped and said its last line" wait_until 20 all_said
kill -TERM "$SCAN"
check "svscan exits after TERM" wait_until 20 gone "$SCAN"
wait "$SCAN" 2>/dev/null
check "nothing left running" wait_until 10 eval '[ -z "$(procs)" ]'
# svscan shuts the tree down on TERM, INT or PWR: a stray one (a pid of
# an old svscan reused by ours, elsewhere on the machine) looks like a
# restart of every service. Its stderr, if any, says more.
[ -s "$T/svscan.err" ] && sed 's/^/# svscan: /' "$T/svscan.err" | tail -n 20
procs | awk '{ print "#   left: " $0 }'

# The logs. checklog LAST FILE: read the "NAME N" lines (after the stamp)
# of FILE; print "lost ooo dups replays". A replay is a run of lines
# already seen, each the one after the other, ending where the log had
# got to: what a killed logger wrote and had not taken from the pipe.
checklog() {
	awk -v last="$1" '
	    {
		v = $3 + 0
		if ($3 != v "" || NF != 3 || v < 1 || v > last) {
			ooo++
			next
		}
		if (v in seen) {
			dups++
			if (!(inrep && v == prev + 1))
				replays++
			inrep = 1
		} else {
			seen[v] = 1
			nseen++
			if (v < max)
				ooo++		/* late: never seen, yet behind */
			if (v > max)
				max = v
			inrep = 0
		}
		prev = v
	    }
	    END {
		printf "%d %d %d %d\n", last - nseen, ooo, dups, replays
	    }' "$2"
}

# The checker itself, on a log with a lost line (5), a replay (2 3) and
# the end of the lines short of the last one written (8).
printf 'x x 1\nx x 2\nx x 3\nx x 2\nx x 3\nx x 4\nx x 6\nx x 7\n' > "$T/self"
check_eq "the log checker sees losses and replays" "2 0 2 1" \
    "$(checklog 8 "$T/self")"
printf 'x x 1\nx x 3\nx x 2\nx x 4\n' > "$T/self"
check_eq "the log checker sees lines out of order" "0 1 0 0" \
    "$(checklog 4 "$T/self")"

tdup=0
trep=0
ttorn=0
i=1
while [ "$i" -le "$NSV" ]; do
	m=$SV/s$i/log/main
	st=$(cat "$T/s$i.state")
	last=$(echo "$st" | sed -n 's/^last=\([0-9]*\) .*/\1/p')
	hups=$(echo "$st" | sed -n 's/.* hup=\([0-9]*\) .*/\1/p')
	alrms=$(echo "$st" | sed -n 's/.* alrm=\([0-9]*\)$/\1/p')
	eval "lk=\$lk_$i hs=\$hup_$i as=\$alrm_$i"
	# A file a killed logger left with an unfinished last line: that
	# fragment is dropped (the whole line follows in the next file).
	files=$(ls "$m" | grep '^@.*\.[su]$' | sort)
	: > "$T/s$i.lines"
	torn=0
	for f in $files current; do
		[ -f "$m/$f" ] || continue
		if [ -s "$m/$f" ] && [ "$(tail -c 1 "$m/$f" | od -An -tu1 | tr -d ' ')" != 10 ]; then
			torn=$((torn + 1))
			sed '$d' "$m/$f" >> "$T/s$i.lines"
		else
			cat "$m/$f" >> "$T/s$i.lines"
		fi
	done
	set -- $(checklog "${last:-0}" "$T/s$i.lines")
	echo "# s$i: lines=$last lost=$1 out-of-order=$2 duplicates=$3 replays=$4 torn=$torn (logger kills $lk) hup=$hups/$hs alrm=$alrms/$as"
	check_eq "s$i: no line lost, none out of order" "0 0" "$1 $2"
	check "s$i: replays ($4) at most one per logger kill ($lk)" [ "$4" -le "$lk" ]
	check "s$i: torn lines ($torn) at most one per logger kill" [ "$torn" -le "$lk" ]
	check "s$i: HUP/ALRM received at most as sent" \
	    [ "${hups:-0}" -le "$hs" -a "${alrms:-0}" -le "$as" ]
	tdup=$((tdup + $3))
	trep=$((trep + $4))
	ttorn=$((ttorn + torn))
	i=$((i + 1))
done
echo "# chaos: seed=$SEED duplicates=$tdup replays=$trep torn=$ttorn"
check "no SIGPIPE anywhere in history" eval \
    '! cat "$SV"/*/supervise/history* "$SV"/*/log/supervise/history* | grep -q "signal=PIPE"'

done_testing
