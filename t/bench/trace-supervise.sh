#!/bin/sh
# t/bench/trace-supervise.sh [BINDIR [DIR]]: what one supervise does on its
# reaction paths, counted with strace -f -tt -T (issue 13). It supervises
# a static pause() service in a scratch directory under DIR (default
# t/bench/out, the repository's disk; /dev/shm for tmpfs), waits until the
# directory has settled (svconf trusts its cached list of absent config
# files only then), and traces one SIGKILL of the service, then `svc -t`,
# `svc -d`, `svc -u`, each with its own strace. Prints per action: system
# calls of supervise from the event (the child reaped, or the control byte
# read) to the replacement's execve, those of the child before its execve,
# the calls between the control byte and kill(2), what supervise does after
# (until it polls again) and the renames (each a file replaced). The traces
# stay in DIR/trace.XXXXXX/. BINDIR (default bin/) holds tend's supervise
# and svc. Not part of make check or make bench: a tool for the analysis
# in doc/performance.md.
cd "$(dirname "$0")/../.." || exit 111
top=$(pwd)
bin=${1:-$top/bin}
base=${2:-$top/t/bench/out}
command -v strace >/dev/null ||
    { echo "trace-supervise: strace missing: apt-get install strace" >&2; exit 111; }
[ -x "$bin/supervise" ] && [ -x "$bin/svc" ] ||
    { echo "trace-supervise: no supervise and svc in $bin" >&2; exit 100; }
mkdir -p "$base" || exit 111
w=$(mktemp -d "$base/trace.XXXXXX") || exit 111
cc=cc
command -v musl-gcc >/dev/null && cc=musl-gcc
printf '#include <unistd.h>\nint main(void){for(;;)pause();}\n' >"$w/pause.c"
$cc -static -O2 -o "$w/pause" "$w/pause.c" || exit 111
d=$w/svc
mkdir "$d" && ln -s "$w/pause" "$d/run" || exit 111
setsid "$bin/supervise" "$d" </dev/null >"$w/supervise.err" 2>&1 &
spid=$!
trap 'kill $spid 2>/dev/null' EXIT
# svconf_load trusts a directory unchanged for SVCONF_SETTLE_MS (3 s); one
# restart after that refreshes what it knows.
sleep 3.5
kill -KILL "$(cat "$d/supervise/pid")"
sleep 1.6
for a in kill t d u; do
	strace -f -tt -T -p $spid -o "$w/$a.txt" 2>/dev/null &
	st=$!
	sleep 0.3
	case $a in
	kill) kill -KILL "$(cat "$d/supervise/pid")" ;;
	*) "$bin/svc" -$a "$d" ;;
	esac
	sleep 0.3
	kill -INT $st
	wait $st
	sleep 1.6	# past the restart throttle
done
python3 - "$w" <<'EOF'
import re
import sys

w = sys.argv[1]
pat = re.compile(r"(\d+) +\S+ ([a-z_0-9]+)\((.*)")
for a in ("kill", "t", "d", "u"):
    calls = []
    for line in open("%s/%s.txt" % (w, a)):
        m = pat.match(line)
        if m and "resumed>" not in line:
            calls.append((int(m.group(1)), m.group(2), line))
    if not calls:
        print("%-4s: no trace" % a)
        continue
    sup = calls[0][0]

    def find(pred, start=0):
        for i in range(start, len(calls)):
            if pred(calls[i]):
                return i
        return None

    def upto_poll(i):
        j = find(lambda c: c[0] == sup and c[1] == "poll", i)
        return [c for c in calls[i:j] if c[0] == sup]

    out = []
    ctl = find(lambda c: c[0] == sup and c[1] == "read" and
               ', "%s"' % a in c[2]) if a != "kill" else None
    if ctl is not None:
        k = find(lambda c: c[0] == sup and c[1] == "kill", ctl)
        if k is not None:
            aft = upto_poll(k + 1)
            out.append("control byte to kill(2): %d calls between; after "
                       "kill until poll: %d calls, %d renames"
                       % (k - ctl - 1, len(aft),
                          sum(1 for c in aft if c[1] == "rename")))
    reap = find(lambda c: c[0] == sup and c[1] == "wait4" and
                not re.search(r"= (0|-1) ", c[2]))
    start = ctl if a == "u" else reap
    ex = find(lambda c: c[1] == "execve", start or 0) \
        if start is not None else None
    if ex is not None:
        seg = calls[start:ex + 1]
        ns = sum(1 for c in seg if c[0] == sup)
        aft = upto_poll(ex)
        out.append("%s to execve: supervise %d calls (%d config opens), "
                   "child %d (%d rt_sigaction); after execve until poll: "
                   "%d calls, %d renames"
                   % ("control byte" if a == "u" else "reaped", ns,
                      sum(1 for c in seg if c[1] == "openat" and
                          '"./' in c[2]),
                      len(seg) - ns,
                      sum(1 for c in seg if c[0] != sup and
                          c[1] == "rt_sigaction"),
                      len(aft), sum(1 for c in aft if c[1] == "rename")))
    elif a == "d" and reap is not None:
        aft = upto_poll(reap)
        out.append("reaped until poll (status down): %d calls, %d renames"
                   % (len(aft), sum(1 for c in aft if c[1] == "rename")))
    n = sum(1 for c in calls if c[0] == sup and c[1] != "restart_syscall")
    r = sum(1 for c in calls if c[0] == sup and c[1] == "rename")
    print("%-4s: %d supervise calls in all, %d renames; %s"
          % (a, n, r, "; ".join(out)))
EOF
echo "trace-supervise: traces in $w" >&2
