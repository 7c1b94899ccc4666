#!/bin/sh
# t/bench/bench-svtail.sh: svtail on large log directories beside tail,
# grep, tac and zcat on the same files (make bench; not a test).
#
#   big       1 GB: 10,000,000 lines of 100 bytes written by
#             t/helpers/loggen, stamped 8.64 ms apart over one day,
#             rotated at 100 MB (as svlog -s 100000000 would)
#   issue     as in issue 15: 2,000,000 lines through svlog -s 1048576
#             -n 200 (about 135 MB, 130 files)
#   issue.gz  the same with every rotated file gzipped (svlog -p gzip)
#
# On the disk, not tmpfs: in $BENCHDIR (default t/bench/out/svtail), made
# once and kept for later runs (rm -rf it to make them again). Every
# figure is the median wall time of RUNS (5) runs with a warm cache, from
# fork to exit (t/bench/svtime), and the MB the command read (rchar).
# `-f` is the time to the first line out. Pipelines run under sh -c
# (about 1 ms of it). Exit 1 if an answer is wrong.
#
#   sh t/bench/bench-svtail.sh      (BIGLINES=, ISSUELINES= for a trial)
cd "$(dirname "$0")/../.." || exit 111
TOP=$(pwd)
export LC_ALL=C		# grep, awk and svtail on bytes alike
RUNS=${RUNS:-5}
BIGLINES=${BIGLINES:-10000000}		# smaller for a trial run
ISSUELINES=${ISSUELINES:-2000000}
OUT=${BENCHDIR:-$TOP/t/bench/out/svtail}
SVTAIL=$TOP/bin/svtail
SVLOG=$TOP/bin/svlog
[ -x "$SVTAIL" ] && [ -x "$SVLOG" ] ||
    { echo "bench-svtail: build bin/ first" >&2; exit 111; }
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || exit 111
case $(stat -f -c %T "$OUT" 2>/dev/null) in
tmpfs|ramfs) echo "bench-svtail: $OUT is on $(stat -f -c %T "$OUT");" \
    "set BENCHDIR to a directory on a disk" >&2; exit 111 ;;
esac
cc -O2 -std=c99 -D_GNU_SOURCE -o "$OUT/svtime" t/bench/svtime.c &&
    cc -O2 -std=c99 -D_GNU_SOURCE -o "$OUT/loggen" t/helpers/loggen.c ||
    exit 111
T="$OUT/svtime $RUNS"
cd "$OUT" || exit 111	# svtime writes svtime.out here
rc=0

BIG=$OUT/big
if [ ! -f "$BIG/done" ]; then
	echo "== generating $BIG (1 GB)"
	rm -rf "$BIG" && mkdir "$BIG" || exit 111
	start=$(($(date +%s) - 86400))
	"$OUT/loggen" "$BIG" "$BIGLINES" "$start" \
	    $((86400000000 / BIGLINES)) 100000000 60 || exit 111
	touch "$BIG/done"
fi
ISSUE=$OUT/issue
if [ ! -f "$ISSUE/done" ]; then
	echo "== generating $ISSUE (svlog -s 1048576 -n 200, 2M lines)"
	rm -rf "$ISSUE" "$ISSUE.gz" || exit 111
	awk -v n="$ISSUELINES" 'BEGIN { for (i = 1; i <= n; i++)
		printf "line %d %.*s\n", i, 32 - length(i), "................................" }' |
	    "$SVLOG" -s 1048576 -n 200 "$ISSUE" || exit 111
	cp -r "$ISSUE" "$ISSUE.gz" || exit 111
	for f in "$ISSUE.gz"/@*; do
		gzip -n -c "$f" >"$f.z" && mv "$f.z" "$f" || exit 111
	done
	touch "$ISSUE/done"
fi

# row WHAT CMD...: one line of the table.
row() {
	_w=$1
	shift
	printf '%-46s %9s %9s %9s\n' "$_w" $($T "$@")
}

# newest first, as tac wants them
rev() {
	ls "$1" | grep '^@' | sort -r | sed "s|^|$1/|"
}

# the stamp 10 minutes before the last line of DIR
tenmin() {
	_l=$(tail -n 1 "$1/current" | cut -c 1-19)
	date -u -d "${_l}Z - 10 min" +%Y-%m-%dT%H:%M:%S.000000Z
}

hdr() {
	echo
	echo "== $1 ($(du -sh "$2" | cut -f 1), $(ls "$2" | grep -c '^@')" \
	    "rotated files)"
	printf '%-46s %9s %9s %9s\n' "command" "median ms" "min ms" "MB read"
}

# check DESC WANT GOT
check() {
	if [ "$2" != "$3" ]; then
		echo "bench-svtail: WRONG: $1: want $2, got $3" >&2
		rc=1
	fi
}

for f in "$BIG"/@* "$BIG"/current; do cat "$f" >/dev/null; done

hdr "1 GB" "$BIG"
ten=$(tenmin "$BIG")
id=$(printf 'req-%x ' $(( (BIGLINES / 2 * 2654435761) % 4294967296 )))
check "-n 10" "$(tail -n 10 "$BIG/current")" "$("$SVTAIL" -r -n 10 "$BIG")"
check "-g fixed" "$(cat "$BIG"/@* "$BIG/current" | grep -c "$id")" \
    "$("$SVTAIL" -g "$id" "$BIG" | wc -l | tr -d ' ')"
check "-s 10 min" "$(cat "$BIG"/@* "$BIG/current" | awk -v s="$ten" \
    '$1 >= s' | wc -l | tr -d ' ')" "$("$SVTAIL" -s "$ten" "$BIG" | wc -l |
    tr -d ' ')"
row "svtail -n 10" "$SVTAIL" -n 10 "$BIG"
row "tail -n 10 current" tail -n 10 "$BIG/current"
row "tac current @*(newest first) | head -n 10" sh -c \
    "tac '$BIG/current' $(rev "$BIG" | tr '\n' ' ') | head -n 10"
command -v tai64nlocal >/dev/null &&
    row "cat @* current | tai64nlocal | tail -n 10" sh -c \
    "cat '$BIG'/@* '$BIG/current' | tai64nlocal | tail -n 10"
row "svtail -s (last 10 min)" "$SVTAIL" -s "$ten" "$BIG"
row "cat @* current | awk '\$1 >= SINCE'" sh -c \
    "cat '$BIG'/@* '$BIG/current' | awk -v s='$ten' '\$1 >= s'"
row "svtail -g '$id'" "$SVTAIL" -g "$id" "$BIG"
row "grep '$id' @* current" grep "$id" "$BIG"/@* "$BIG/current"
row "cat @* current | grep '$id'" sh -c \
    "cat '$BIG'/@* '$BIG/current' | grep '$id'"
row "svtail -g 'req-dead[0-9a-f]+ '" "$SVTAIL" -g 'req-dead[0-9a-f]+ ' "$BIG"
row "grep -E 'req-dead[0-9a-f]+ ' @* current" grep -E 'req-dead[0-9a-f]+ ' \
    "$BIG"/@* "$BIG/current"
printf '%-46s %9s %9s %9s\n' "svtail -f (to the first line)" \
    $("$OUT/svtime" -f "$RUNS" "$SVTAIL" -f "$BIG")

hdr "issue 15: svlog -s 1048576 -n 200, 2M lines" "$ISSUE"
check "issue -n 5" "$(tail -n 5 "$ISSUE/current")" \
    "$("$SVTAIL" -r -n 5 "$ISSUE")"
check "issue -g" "$(cat "$ISSUE"/@* "$ISSUE/current" | grep 'line 1999999 ')" \
    "$("$SVTAIL" -r -g 'line 1999999 ' "$ISSUE")"
row "svtail -n 5" "$SVTAIL" -n 5 "$ISSUE"
row "tail -n 5 current" tail -n 5 "$ISSUE/current"
row "svtail -g 'line 1999999 '" "$SVTAIL" -g 'line 1999999 ' "$ISSUE"
row "cat @* current | grep 'line 1999999 '" sh -c \
    "cat '$ISSUE'/@* '$ISSUE/current' | grep 'line 1999999 '"
printf '%-46s %9s %9s %9s\n' "svtail -f (to the first line)" \
    $("$OUT/svtime" -f "$RUNS" "$SVTAIL" -f "$ISSUE")

hdr "the same, rotated files gzipped" "$ISSUE.gz"
check "gzip -g" "$(zcat -f "$ISSUE.gz"/@* "$ISSUE.gz/current" |
    grep 'line 1000000 ')" "$("$SVTAIL" -r -g 'line 1000000 ' "$ISSUE.gz")"
row "svtail -n 5" "$SVTAIL" -n 5 "$ISSUE.gz"
row "svtail -n 20000 (into the gzip files)" "$SVTAIL" -n 20000 "$ISSUE.gz"
row "svtail -g 'line 1000000 '" "$SVTAIL" -g 'line 1000000 ' "$ISSUE.gz"
row "zcat -f @* current | grep 'line 1000000 '" sh -c \
    "zcat -f '$ISSUE.gz'/@* '$ISSUE.gz/current' | grep 'line 1000000 '"
exit $rc
