#!/bin/sh
# t/bench/bench-web.sh: svweb's requests per second for /metrics over a tree
# of 100 services run by tend's svscan, and svweb's memory (Rss and
# Private_Dirty from /proc/PID/smaps_rollup) after the load. Loopback only.
# Part of make bench; `make bench-web` runs it alone.
#
#   BENCH_N=100       services
#   BENCH_SECS=3      seconds of load per client setting
#   BENCH_CONNS="1 8" concurrent connections (wrk -c); 1 without wrk
#
# The client is wrk (apt-get install wrk) when installed, else the keep-
# alive loop of t/helpers/webc.py (one connection, far slower than svweb:
# a floor, not svweb's figure).
cd "$(dirname "$0")/../.." || exit 111
top=$(pwd)
n=${BENCH_N:-100}
secs=${BENCH_SECS:-3}
[ -x bin/svweb ] && [ -x bin/svscan ] || { echo "bench-web: make first" >&2; exit 111; }
if ! command -v python3 >/dev/null; then
	echo "bench-web: skipped: python3 missing (apt-get install python3)"
	exit 0
fi
W="python3 $top/t/helpers/webc.py"
tmp=${BENCH_TMP:-/dev/shm}
[ -d "$tmp" ] && [ -w "$tmp" ] || tmp=${TMPDIR:-/tmp}
S=$(mktemp -d "$tmp/tend-bench-web.XXXXXX") || exit 111
scan= web=
cleanup() {
	[ -n "$web" ] && kill "$web" 2>/dev/null
	[ -n "$scan" ] && kill -TERM "$scan" 2>/dev/null && wait "$scan"
	rm -rf "$S"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

i=0
while [ "$i" -lt "$n" ]; do
	mkdir -p "$S/sv/s$i"
	printf '#!/bin/sh\nexec sleep 100000\n' >"$S/sv/s$i/run"
	chmod +x "$S/sv/s$i/run"
	i=$((i + 1))
done
"$top/bin/svscan" "$S/sv" >"$S/scan.out" 2>&1 &
scan=$!
# Every service up, within 30 s.
k=0
while [ "$(cd "$S/sv" && "$top/bin/svstat" * 2>/dev/null | grep -c ': up ')" -lt "$n" ]; do
	k=$((k + 1))
	[ "$k" -gt 300 ] && { echo "bench-web: services not up" >&2; exit 111; }
	sleep 0.1
done
port=$($W port)
"$top/bin/svweb" -l "127.0.0.1:$port" "$S/sv" 2>"$S/web.err" &
web=$!
k=0
until $W get "$port" /metrics >"$S/metrics" 2>/dev/null; do
	k=$((k + 1))
	[ "$k" -gt 100 ] && { echo "bench-web: svweb does not answer" >&2; exit 111; }
	sleep 0.05
done
echo "bench-web: $n services, /metrics is $(wc -c <"$S/metrics") bytes," \
    "$(grep -c '^tend_' "$S/metrics") samples"
if command -v wrk >/dev/null; then
	for c in ${BENCH_CONNS:-1 8}; do
		r=$(wrk -t1 -c"$c" -d"${secs}s" "http://127.0.0.1:$port/metrics" |
		    awk '/^Requests\/sec/ { print $2 }')
		echo "bench-web: wrk -t1 -c$c -d${secs}s /metrics: $r requests/s"
	done
else
	r=$($W bench "$port" /metrics "$secs")
	echo "bench-web: webc.py keep-alive loop, ${secs}s: $r requests/s (wrk missing: apt-get install wrk)"
fi
awk '/^Rss:|^Private_Dirty:/ { printf "bench-web: svweb %s %s kB\n", $1, $2 }' \
    "/proc/$web/smaps_rollup"
echo "bench-web: svweb CPU: $(awk '{ print ($14 + $15) / 100 }' "/proc/$web/stat") s"
