#!/bin/sh
# t/bench/bench-log.sh: loggers side by side (make bench; not a test).
#
# 1,000,000 lines of 100 bytes (a 7-digit number, padding, newline) go
# through a pipe into svlog, svlogd -tt, multilog t and s6-log T, each with
# timestamps on, rotating at 1000000 bytes and keeping 10 files, and into
# `cat > file` as the floor. Five rounds, tools interleaved; the median
# wall time gives lines/s and MB/s, the median of user+system time of the
# logger alone gives CPU seconds. Every output is checked: the kept lines
# must be a gapless, ordered run of numbers ending at 1000000; a sixth run
# per tool keeps every file and must hold all 1,000,000 lines, once each.
#
#   sh t/bench/bench-log.sh [LINES]      (BENCHDIR=... to pick the disk)
# Tools that are not installed are left out. Exit 1 if an output is broken.
cd "$(dirname "$0")/../.." || exit 111
TOP=$(pwd)
N=${1:-1000000}
ROUNDS=${ROUNDS:-5}
W=$(mktemp -d "${BENCHDIR:-${TMPDIR:-/tmp}}/bench-log.XXXXXX") || exit 111
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM
SVLOG=$TOP/bin/svlog
[ -x "$SVLOG" ] || { echo "bench-log: build bin/svlog first" >&2; exit 111; }
TIME=
[ -x /usr/bin/time ] && TIME=/usr/bin/time

awk -v n="$N" 'BEGIN {
	pad = sprintf("%92s", ""); gsub(/ /, "x", pad)
	for (i = 1; i <= n; i++) printf "%07d %s\n", i, pad
}' >"$W/in"
BYTES=$(wc -c <"$W/in")

tools="cat svlog"
command -v svlogd >/dev/null 2>&1 && tools="$tools svlogd"
command -v multilog >/dev/null 2>&1 && tools="$tools multilog"
command -v s6-log >/dev/null 2>&1 && tools="$tools s6-log"

# run TOOL DIR KEEP: the input through a pipe into TOOL, output in DIR.
run() {
	rm -rf "$2"
	mkdir "$2"
	case $1 in
	cat)		set -- cat "$2" ;;
	svlog)		set -- "$SVLOG" -s 1000000 -n "$3" "$2" ;;
	svlogd)		printf 's1000000\nn%s\n' "$3" >"$2/config"
			set -- svlogd -tt "$2" ;;
	multilog)	set -- multilog t s1000000 n"$3" "$2/" ;;
	s6-log)		set -- s6-log T s1000000 n"$3" "$2/" ;;
	esac
	if [ "$1" = cat ]; then
		cat "$W/in" | cat >"$2/current"
	elif [ -n "$TIME" ]; then
		cat "$W/in" | $TIME -f '%U %S' -o "$W/cpu" "$@"
	else
		cat "$W/in" | "$@"
	fi
}

# The numbers of the lines kept in DIR, oldest first, one per line.
numbers() {
	for f in $(ls "$1" | grep '^@' | sort) current; do
		[ -f "$1/$f" ] && cat "$1/$f"
	done | awk '{ for (i = 1; i <= NF; i++)
		if ($i ~ /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/) { print $i + 0; next }
		print "bad" }'
}

# Is DIR a gapless run of numbers ending at N (starting at 1 if $2)?
complete() {
	numbers "$1" | awk -v n="$N" -v whole="$2" '
		NR == 1 { if (whole && $1 != 1) bad = 1; prev = $1 - 1 }
		$1 != prev + 1 { bad = 1 } { prev = $1 }
		END { exit (bad || prev != n || NR == 0) }'
}

now_ns() {
	date +%s%N
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

broken=0
for t in $tools; do
	: >"$W/wall.$t"
	: >"$W/cpu.$t"
done
r=1
while [ "$r" -le "$ROUNDS" ]; do
	for t in $tools; do
		rm -f "$W/cpu"
		s=$(now_ns)
		run "$t" "$W/out.$t" 10
		e=$(now_ns)
		echo $((e - s)) >>"$W/wall.$t"
		if [ -s "$W/cpu" ]; then
			awk '{ print $1 + $2 }' "$W/cpu" >>"$W/cpu.$t"
		fi
		if [ "$t" != cat ] && ! complete "$W/out.$t" 0; then
			echo "bench-log: $t lost or reordered lines (round $r)" >&2
			broken=1
		fi
	done
	r=$((r + 1))
done
for t in $tools; do
	[ "$t" = cat ] && continue
	run "$t" "$W/all.$t" 1000
	if complete "$W/all.$t" 1; then
		echo yes >"$W/ok.$t"
	else
		echo NO >"$W/ok.$t"
		echo "bench-log: $t did not keep all $N lines" >&2
		broken=1
	fi
done
echo yes >"$W/ok.cat"

echo "# $N lines of 100 bytes, $ROUNDS rounds, median; $(nproc) CPUs," \
    "$(uname -sr), output on $(df -PT "$W" | awk 'NR == 2 { print $2 }')"
printf '| %-26s | %11s | %7s | %7s | %8s |\n' tool "lines/s" "MB/s" \
    "CPU s" complete
printf '|%s|%s|%s|%s|%s|\n' ---------------------------- ------------: \
    --------: --------: ---------:
best=0
for t in $tools; do
	wall=$(median <"$W/wall.$t")
	cpu=$(median <"$W/cpu.$t")
	[ -n "$cpu" ] || cpu=-
	lps=$(awk -v n="$N" -v w="$wall" 'BEGIN { printf "%.0f", n / (w / 1e9) }')
	mbs=$(awk -v b="$BYTES" -v w="$wall" 'BEGIN { printf "%.0f", b / 1e6 / (w / 1e9) }')
	case $t in
	cat)		name='`cat > file` (floor)' ;;
	svlog)		name='svlog (ISO 8601 stamps)' ;;
	svlogd)		name='svlogd -tt' ;;
	multilog)	name='multilog t' ;;
	s6-log)		name='s6-log T' ;;
	esac
	printf '| %-26s | %11s | %7s | %7s | %8s |\n' "$name" "$lps" "$mbs" \
	    "$cpu" "$(cat "$W/ok.$t")"
	case $t in
	svlog)	mine=$lps ;;
	cat)	;;
	*)	[ "$lps" -gt "$best" ] && best=$lps ;;
	esac
done
if [ "$best" -gt 0 ]; then
	awk -v a="$mine" -v b="$best" \
	    'BEGIN { printf "svlog / fastest other logger: %.1fx\n", a / b }'
fi
exit $broken
