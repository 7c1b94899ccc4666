#!/bin/sh
# t/svtail-scale.sh: svtail answers from the end (-n backwards, -s/-u by
# bisection, -g fixed strings by memmem, several directories by a heap):
# every mode must give the lines a naive full scan gives, on generated
# logs with rotations, gzip archives, long lines split into pieces (one
# across the boundary of a gzip archive and current), NUL bytes, a crash
# leftover (.u) and an unterminated last line; and -n and -s must read
# only a bounded part of the directory (rchar of /proc/PID/io).
# Not tested: stamps out of time order (bisection assumes them in order).
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 111
TZ=UTC
export TZ
[ -x "$HELPERS/loggen" ] || make -s -C "$TOP" t/helpers/bin/loggen >/dev/null

# gen DIR LINES START STEP_US ROTATE: loggen's directory, then gzip some
# rotated files (the 3rd, 4th and the newest two), make the 10th a .u and
# leave current unterminated.
gen() {
	mkdir "$1" || return 1
	"$HELPERS/loggen" "$1" "$2" "$3" "$4" "$5" 20 37 100 53 || return 1
	_n=$(ls "$1" | grep -c '^@')
	_i=0
	for _f in $(ls "$1" | grep '^@'); do
		_i=$((_i + 1))
		case $_i in
		3|4|$((_n - 1))|$_n)
			gzip -n -c "$1/$_f" >"$1/$_f.z" && mv "$1/$_f.z" "$1/$_f" ;;
		10)	mv "$1/$_f" "$1/${_f%.s}.u" ;;
		esac
	done
	printf '%s unterminated last' "$(tail -n 1 "$1/current" |
	    cut -c1-27)" >>"$1/current"
}

# naive DIR: every line of DIR, oldest first, read the plain way (NUL
# shown as \001).
naive() {
	for _f in $(ls "$1" | grep '^@') current; do
		gzip -dcf "$1/$_f"
	done | tr '\0' '\001'
}

# ref N PAT RE SINCE UNTIL <lines: what svtail -r should print. A piece
# whose stamp is followed by '+' continues the line above; a whole line
# is shown when one of its pieces has PAT (fixed) or RE (regex) in its
# text (after the stamp, before a NUL) and a stamp in [SINCE, UNTIL];
# N > 0: only the last N such whole lines. With names (NAME: first), the
# whole lines of each name are told apart.
ref() {
	awk -v n="$1" -v pat="$2" -v re="$3" -v since="$4" -v until="$5" '
	{
		name = ""
		s = $0
		if (names && (k = index(s, ": ")) > 0) {
			name = substr(s, 1, k - 1)
			s = substr(s, k + 2)
		}
		if (substr(s, 28, 1) != "+")
			id[name]++
		st = substr(s, 1, 27)
		t = substr(s, 29)
		if ((k = index(t, "\001")) > 0)
			t = substr(t, 1, k - 1)
		m = (pat == "" || index(t, pat) > 0) && (re == "" || t ~ re) &&
		    (since == "" || st >= since) && (until == "" || st <= until)
		line[NR] = $0
		lid[NR] = name SUBSEP id[name]
		mat[NR] = m
		if (m && !(lid[NR] in seen)) {
			seen[lid[NR]] = 1
			gid[++g] = lid[NR]
		}
	}
	END {
		for (i = (n > 0 && g > n ? g - n + 1 : 1); i <= g; i++)
			keep[gid[i]] = 1
		for (i = 1; i <= NR; i++)
			if (mat[i] && (lid[i] in keep))
				print line[i]
	}' names="${NAMES:-0}"
}

# same DESC N PAT RE SINCE UNTIL DIR...: svtail -r with those options
# against ref on the naive lines in $NAIVE.
same() {
	_d=$1 _n=$2 _p=$3 _r=$4 _s=$5 _u=$6
	shift 6
	set -- -r ${_s:+-s "$_s"} ${_u:+-u "$_u"} "$@"
	[ "$_n" -gt 0 ] && set -- -n "$_n" "$@"
	[ -n "$_p" ] && set -- -g "$_p" "$@"
	[ -n "$_r" ] && set -- -g "$_r" "$@"
	svtail "$@" 2>&1 | tr '\0' '\001' >got
	ref "$_n" "$_p" "$_r" "$_s" "$_u" <"$NAIVE" >want
	if cmp -s got want; then
		check "$_d ($(wc -l <want | tr -d ' ') lines)" true
	else
		check "$_d" false
		diff want got | head -n 6 | sed 's/^/#   /'
	fi
}

# rchar CMD...: the bytes CMD read, by rchar of this shell's /proc/PID/io
# (a reaped child's counts are added to its parent's).
rchar() {
	sh -c 'r() { while read -r _k _v; do
		[ "$_k" = rchar: ] && echo "$_v"; done </proc/$$/io; }
	_a=$(r); "$@" >/dev/null 2>&1; _b=$(r); echo $((_b - _a))' rchar "$@"
}

# 20000 lines, 100 ms apart from 2026-11-18T11:06:40Z to 11:39:59.9, 48
# rotated files; current begins with the last piece of a line that starts
# in the newest (gzip) rotated file.
A=$T/a
gen "$A" 20000 1795000000 100000 34000
naive "$A" >naive-a
NAIVE=naive-a
NAMES=0
check "generated: rotated files" test "$(ls "$A" | grep -c '^@')" -gt 40
check "generated: gzip archives" sh -c \
    "gzip -t '$A/$(ls "$A" | grep '^@' | tail -n 1)' 2>/dev/null"
check "generated: a .u" sh -c "ls '$A' | grep -q '\\.u\$'"
check "generated: current begins with a piece" test \
    "$(head -c 28 "$A/current" | tail -c 1)" = "+"
check "generated: NUL bytes" sh -c "tr '\\0' '\\001' <'$A/current' |
    grep -q \"\$(printf 'nul\\001after')\""
check "generated: unterminated last line" test \
    "$(tail -c 1 "$A/current" | od -An -c | tr -d ' ')" != '\n'

# the last whole line in current that began in the gzip archive before it
first_of_cur=$(gzip -dcf "$A/current" | awk 'substr($0, 28, 1) != "+"' |
    wc -l)
nstr=$((first_of_cur + 1))

same "full scan" 0 "" "" "" "" "$A"
for n in 1 2 10 36 37 $nstr $((nstr + 1)) 500 2000 19999 20001; do
	same "-n $n" "$n" "" "" "" "" "$A"
done
same "-n across a gzip boundary: the line whole" "$nstr" "" "" "" "" "$A"
check "-n $nstr: begins with the head of the split line" test \
    "$(svtail -r -n "$nstr" "$A" | head -n 1 | cut -c28)" = " "
same "-n 0" 0 "" "" "" "" "$A"
same "-n 5 -g fixed" 5 "req-1" "" "" "" "$A"
same "-n 40 -g on the pieces' text" 40 "longlo" "" "" "" "$A"
same "-n 7 -g regex" 7 "" "req-[0-9]+a " "" "" "$A"
for s in 2026-11-18T11:00:00.000000Z 2026-11-18T11:10:00.000000Z \
    2026-11-18T11:12:00.050000Z 2026-11-18T11:30:00.000000Z \
    2026-11-18T11:37:00.000000Z 2026-11-18T11:39:59.850000Z \
    2026-11-18T12:00:00.000000Z; do
	same "-s $s" 0 "" "" "$s" "" "$A"
	same "-u $s" 0 "" "" "" "$s" "$A"
done
# stamps of line L of the I-th rotated file
at() {
	gzip -dcf "$A/$(ls "$A" | grep '^@' | sed -n "$1p")" | sed -n "$2p" |
	    cut -c 1-27
}
same "-s -u inside a .u file" 0 "" "" "$(at 10 5)" "$(at 10 100)" "$A"
same "-s -u in gzip archives" 0 "" "" "$(at 3 5)" "$(at 4 100)" "$A"
same "-s after -u: nothing" 0 "" "" 2026-11-18T11:30:00.000000Z \
    2026-11-18T11:20:00.000000Z "$A"
same "-n 30 -s" 30 "" "" 2026-11-18T11:30:00.000000Z "" "$A"
same "-n 30 -u" 30 "" "" "" 2026-11-18T11:30:00.000000Z "$A"
same "-n 30 -s -u -g" 30 "9" "" 2026-11-18T11:20:00.000000Z \
    2026-11-18T11:40:00.000000Z "$A"
same "-g fixed" 0 "req-7e" "" "" "" "$A"
same "-g fixed, a NUL ends the text" 0 "after" "" "" "" "$A"
same "-g fixed, before a NUL" 0 "0 nul" "" "" "" "$A"
same "-g fixed, the stamp is not text" 0 "2026-11" "" "" "" "$A"
same "-g fixed, the unterminated line" 0 "unterminated" "" "" "" "$A"
same "-g regex" 0 "" "^line [0-9]*7 req-[0-9a-f]*5 " "" "" "$A"
same "-g regex, a NUL ends the text" 0 "" "0 nul\$" "" "" "$A"
same "-g regex, no string in common" 0 "" "^line 1[0-9]*(1|3) " "" "" "$A"
same "-g fixed -s -u" 0 "req-1" "" 2026-11-18T11:20:00.000000Z \
    2026-11-18T11:40:00.000000Z "$A"

# Two directories, merged by time (a heap): the same as merging full scans.
B=$T/b
gen "$B" 4000 1795000333 333333 30000
# merged the naive way: stable by stamp, a's lines first on a tie
{ awk '{ print "a: " $0 }' naive-a; naive "$B" | awk '{ print "b: " $0 }'; } |
    awk '{ print substr($0, 4, 27) "\t" $0 }' | LC_ALL=C sort -s -k 1,1 |
    cut -f 2- >naive-ab
NAIVE=naive-ab
NAMES=1
same "merged: all" 0 "" "" "" "" "$A" "$B"
same "merged: -n 25" 25 "" "" "" "" "$A" "$B"
same "merged: -n $nstr" "$nstr" "" "" "" "" "$A" "$B"
same "merged: -s -u" 0 "" "" 2026-11-18T11:30:00.000000Z \
    2026-11-18T11:35:00.000000Z "$A" "$B"
same "merged: -n 9 -s" 9 "" "" 2026-11-18T11:30:00.000000Z "" "$A" "$B"
same "merged: -g fixed" 0 "req-7e" "" "" "" "$A" "$B"
same "merged: -g regex" 0 "" "req-[0-9]+e " "" "" "$A" "$B"
same "merged: -g regex -n 4" 4 "" "req-[0-9]+e " "" "" "$A" "$B"
NAMES=0
NAIVE=naive-a

# Pieces longer than the 64 KiB a read once took whole (svlog's default
# -l 65536 makes pieces of 65564 bytes); -n 1 is the whole line.
head -c 200000 /dev/zero | tr '\0' y | svlog L
check_eq "a 200000-byte line: 4 pieces of svlog's" 4 \
    "$(wc -l <L/current | tr -d ' ')"
check "pieces longer than 64 KiB shown whole" sh -c \
    'svtail -r L | cmp -s - L/current'
check "-n 1: all 4 pieces of the line" sh -c \
    'svtail -r -n 1 L | cmp -s - L/current'
check "-g fixed on pieces longer than 64 KiB" sh -c \
    'svtail -r -g yyyy L | cmp -s - L/current'

# -f starts where -n and -s put it, then follows.
# (the unterminated last line waits for its end)
awk '{ print }' naive-a | sed '$d' | ref 3 "" "" "" "" >want3
check_eq "-n 3: three lines" 3 "$(wc -l <want3 | tr -d ' ')"
svtail -r -f -n 3 "$A" >fout 2>ferr &
fp=$!
check "-f -n 3: the last three whole lines first" wait_until 5 sh -c \
    "tr '\\0' '\\001' <fout | head -n 3 | cmp -s - want3"
printf ' and its end\n2026-11-18T11:40:00.000000Z follows\n' >>"$A/current"
check "-f: the unterminated line completed, then more" wait_until 5 sh -c \
    "grep -q 'unterminated last and its end' fout && grep -q follows fout"
kill "$fp"
wait "$fp" 2>/dev/null

# Bytes read: -n and -s read near the end only.
if [ -r /proc/self/io ] && [ -n "$(rchar true)" ]; then
	size=$(cat "$A"/* | wc -c)
	full=$(rchar svtail "$A")
	check "full scan reads it all ($full >= $size)" test "$full" -ge "$size"
	r=$(rchar svtail -n 10 "$A")
	check "-n 10 reads < 192 KiB of $size ($r)" test "$r" -lt 196608
	r=$(rchar svtail -s 2026-11-18T11:37:00.000000Z "$A")
	check "-s, the last 3 min, reads < 384 KiB of $size ($r)" \
	    test "$r" -lt 393216
	r=$(rchar svtail -s 2026-11-18T11:20:00.000000Z \
	    -u 2026-11-18T11:20:30.000000Z "$A")
	check "-s -u, 30 s in the middle, reads < 320 KiB ($r)" \
	    test "$r" -lt 327680
	r=$(rchar svtail -g req-deadbeef "$A")
	check "-g reads it all once ($r < $((2 * size)))" test "$r" -lt \
	    $((2 * size))
else
	skip "bytes read by -n and -s" "/proc/PID/io not readable here"
fi

cd / # the cleanup kills what runs under $T, this shell included
done_testing
