#!/bin/sh
# t/svlog.sh: svlog black-box tests.
# Not tested: a processor that keeps failing (rotation waits for it);
# -a trimming while running (only at start and at rotation here); EDQUOT;
# -r across a step of the real-time clock.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 111

STAMP='[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]\{6\}Z'

# All lines of a log directory, oldest first, stamps cut off.
lines() {
	for f in $(ls "$1" | grep '^@' | sort) current; do
		[ -f "$1/$f" ] && cat "$1/$f"
	done | cut -c29-
}

# "line N" for N in 1..$1.
numbered() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) print "line " i }'
}

# --- usage and version
svlog a b >out 2>err </dev/null
check_eq "two DIRs: exit 100" 100 $?
check "two DIRs: usage line" grep -q '^usage: svlog ' err
mkdir nodir
(cd nodir && printf 'one\ntwo\n' | svlog -t none) >out 2>err
check_eq "no DIR: exit 0" 0 $?
check_eq "no DIR: writes ./main/current" "one
two" "$(cat nodir/main/current 2>/dev/null)"
svlog -V >out 2>&1
check_eq "-V: exit 0" 0 $?
check_eq "-V: version" "svlog (tend) $(sed -n 's/.*TEND_VERSION[^"]*"\(.*\)".*/\1/p' "$TOP/src/lib/version.h")" "$(cat out)"
svlog -s 10 d >out 2>err
check_eq "-s below 4096: exit 100" 100 $?
check_eq "-s below 4096: message" \
    "svlog: fatal: bad size: 10 (at least 4096)" "$(cat err)"
svlog -t utc d >out 2>err
check_eq "-t unknown: exit 100" 100 $?
# 2^54 k is 2^64: out of range, never wrapped round to 0 files (num.c).
svlog -n 18014398509481984k d </dev/null >out 2>err
check_eq "-n k past 64 bits: exit 100" \
    "100:svlog: fatal: bad number: 18014398509481984k" "$?:$(cat err)"
svlog -s +8192 d </dev/null >out 2>err
check_eq "-s with a sign: exit 100" 100 $?

# --- stamps, the unterminated last line, exit 0 at end of input
printf 'hello\n\nworld\nno newline' | svlog basic 2>err
check_eq "end of input: exit 0" 0 $?
check_eq "lines kept, last one ended" "hello

world
no newline" "$(lines basic)"
check_eq "every line stamped" 4 "$(grep -c "^$STAMP " basic/current)"
check_eq "stderr quiet" "" "$(cat err)"
check_eq "current closed cleanly (0744)" 744 "$(stat -c %a basic/current)"
printf 'again\n' | svlog basic
check_eq "clean current appended to" "hello

world
no newline
again" "$(lines basic)"

# --- TAI64N and no stamp
printf 'x\n' | svlog -t tai64n tai
check "-t tai64n: @label" grep -q '^@4000[0-9a-f]\{20\} x$' tai/current
printf 'x\n' | svlog -t none none
check_eq "-t none: line as is" "x" "$(cat none/current)"

# --- NUL and invalid UTF-8 kept byte for byte
printf 'a\000b\377\303(\n' >bin.in
svlog nul <bin.in
check_eq "NUL and invalid UTF-8 kept" \
    "$(od -An -tx1 bin.in)" "$(cut -c29- nul/current | od -An -tx1)"

# --- 1e5 numbered lines through a small -s: each exactly once, in order
numbered 100000 >n.in
svlog -s 65536 -n 1000 many <n.in
check_eq "1e5 lines: exit 0" 0 $?
lines many >n.out
check "1e5 lines: all there once, in order" cmp -s n.in n.out
check "1e5 lines: rotated" test "$(ls many | grep -c '^@.*Z\.s$')" -gt 50
big=$(for f in many/@* many/current; do stat -c %s "$f"; done | sort -n |
    tail -n 1)
check "1e5 lines: no file over -s" test "$big" -le 65536
check "1e5 lines: rotated files 0744" test -z "$(find many -name '@*' \
    ! -perm 744)"
check "1e5 lines: names sortable" test "$(ls many | grep '^@' | sort |
    tr '\n' ' ')" = "$(ls -tr many | grep '^@' | tr '\n' ' ')"

# --- -n: at most n rotated files, the newest
numbered 20000 | svlog -s 4096 -n 3 keep3
check_eq "-n 3: three rotated files" 3 "$(ls keep3 | grep -c '^@')"
check_eq "-n 3: the last line kept" "line 20000" "$(lines keep3 | tail -n 1)"
first=$(lines keep3 | head -n 1 | cut -d' ' -f2)
check_eq "-n 3: what is kept is contiguous" "$(seq "$first" 20000 |
    sed 's/^/line /')" "$(lines keep3)"

# --- -a: rotated files older than the age go
mkdir aged
: >aged/@20200101T000000.000000Z.s
: >aged/@20200102T000000.000000Z.u
numbered 300 | svlog -s 4096 -a 1d aged
check_eq "-a 1d: old files removed" 0 \
    "$(ls aged | grep -c '^@2020')"
check "-a 1d: new rotated files kept" test "$(ls aged | grep -c '^@')" -gt 0

# --- the 1 MiB line: split into marked pieces, nothing cut
awk 'BEGIN { srand(7); for (i = 0; i < 16384; i++) {
	s = ""; for (j = 0; j < 8; j++) s = s sprintf("%08x", int(rand() * 4294967295));
	printf "%s", s } }' >big.in
check_eq "1 MiB line: input is 1 MiB" 1048576 "$(wc -c <big.in)"
{ cat big.in; echo; echo after; } | svlog -s 4M longline
pieces=$(grep -c "^$STAMP" longline/current)
check_eq "1 MiB line: 16 pieces of 64 KiB and the next line" 17 "$pieces"
check_eq "1 MiB line: 15 marked as continued" 15 \
    "$(grep -c "^${STAMP}+" longline/current)"
awk '{ sep = substr($0, 28, 1); t = substr($0, 29);
	if (sep == "+") printf "%s", t; else { if (NR > 1) printf "\n"; printf "%s", t } }
	END { printf "\n" }' longline/current >big.out
{ cat big.in; echo; echo after; } >big.want
check "1 MiB line: joined back, byte for byte" cmp -s big.want big.out

# --- a second svlog on the same directory
mkfifo f1
svlog locked <f1 2>err1 &
pid=$!
exec 3>f1
wait_until 5 test -f locked/lock
wait_until 5 test -f locked/current
echo x | svlog locked 2>err2
check_eq "second svlog: exit 111" 111 $?
check_eq "second svlog: message" \
    "svlog: fatal: unable to lock directory locked: temporary failure" \
    "$(cat err2)"

# --- a lone line reaches the file at once; SIGALRM rotates
echo "lone line" >&3
check "lone line written at once" wait_until 5 grep -q 'lone line' \
    locked/current
kill -ALRM "$pid"
check "SIGALRM: current rotated" wait_until 5 sh -c \
    'grep -q "lone line" locked/@*.s 2>/dev/null'
check_eq "SIGALRM: new current empty" 0 "$(stat -c %s locked/current)"
echo "second" >&3
wait_until 5 grep -q second locked/current

# --- SIGTERM: everything taken is written, exit 0, though the writer lives
numbered 5000 >&3
kill -TERM "$pid"
wait "$pid"
check_eq "SIGTERM: exit 0" 0 $?
exec 3>&-
check_eq "SIGTERM: every line written" "$(echo 'lone line'; echo second;
    numbered 5000)" "$(lines locked)"
check_eq "SIGTERM: current closed cleanly" 744 \
    "$(stat -c %a locked/current)"

# --- SIGALRM with nothing in current rotates nothing (ALRM is delivered
# before TERM: lower signal numbers first)
mkfifo f4
svlog empty <f4 &
pid=$!
exec 3>f4
wait_until 5 test -f empty/current
kill -ALRM "$pid"
kill -TERM "$pid"
wait "$pid"
exec 3>&-
check_eq "SIGALRM on an empty current: nothing rotated" 0 \
    "$(ls empty | grep -c '^@')"

# --- a current left by a crash is kept as @*.u
mkdir crash
printf 'before crash\n' >crash/current
chmod 644 crash/current
echo after | svlog crash
check_eq "unclean current: renamed to .u" 1 "$(ls crash | grep -c '^@.*\.u$')"
check_eq "unclean current: nothing lost" "before crash
after" "$(cat crash/@*.u; cut -c29- crash/current)"

# --- a processor: its output becomes the rotated file
numbered 2000 | svlog -s 8192 -n 100 -p 'gzip' gz
check "processor: no previous left" test ! -e gz/previous
check "processor: no processed left" test ! -e gz/processed
n=0
for f in gz/@*.s; do
	gzip -t "$f" 2>/dev/null || n=$((n + 1))
done
check_eq "processor: every rotated file is gzip" 0 "$n"
check_eq "processor: every line kept" "$(numbered 2000)" \
    "$( (for f in $(ls gz | grep '^@' | sort); do gzip -dc "gz/$f"; done;
    cat gz/current) | cut -c29-)"

# --- full disk: warn once, keep everything, carry on when space returns
fulldisk() {
	mkdir "$1"
	mount -t tmpfs -o size=1m tmpfs "$1" 2>/dev/null
}
if [ "$(id -u)" -ne 0 ]; then
	skip "full disk" "needs root for a 1 MiB tmpfs"
elif ! fulldisk mnt; then
	skip "full disk" "mount -t tmpfs failed"
else
	head -c 600000 /dev/zero >mnt/filler
	mkfifo f2
	svlog -s 65536 -n 100 mnt/log <f2 2>err3 &
	lp=$!
	numbered 8000 | awk '{ printf "%-70s\n", $0 }' >full.in
	cat full.in >f2 &
	wp=$!
	check "full disk: warned" wait_until 10 grep -q 'out of disk space' err3
	check "full disk: svlog waits, holding the lines" kill -0 "$lp"
	rm mnt/filler
	wait "$wp"
	check "full disk: writer done once space is back" test $? -eq 0
	wait "$lp"
	check_eq "full disk: exit 0" 0 $?
	check_eq "full disk: one warning for the episode" 1 \
	    "$(grep -c 'unable to write' err3)"
	check "full disk: says it resumed" grep -q '^svlog: warning: resumed' \
	    err3
	lines mnt/log >full.out
	check "full disk: no line lost or doubled" cmp -s full.in full.out
	umount mnt

	# -N: old rotated files make room, no one needs to step in
	fulldisk mnt2
	numbered 20000 | awk '{ printf "%-70s\n", $0 }' >full2.in
	svlog -s 65536 -n 100 -N 2 mnt2/log <full2.in 2>err4
	check_eq "-N 2: exit 0 on a full disk" 0 $?
	check "-N 2: says what it deleted" grep -q \
	    '^svlog: warning: out of disk space, deleted mnt2/log/@' err4
	check_eq "-N 2: the newest lines all there" \
	    "$(tail -n 1000 full2.in)" "$(lines mnt2/log | tail -n 1000)"
	umount mnt2

	# SIGTERM while the disk stays full: exit 111 after a bounded retry
	fulldisk mnt3
	head -c 900000 /dev/zero >mnt3/filler
	mkfifo f3
	svlog -s 65536 mnt3/log <f3 2>err5 &
	lp=$!
	exec 4>f3
	numbered 9000 | awk '{ printf "%-70s\n", $0 }' >&4 &
	wait_until 10 grep -q 'out of disk space' err5
	kill -TERM "$lp"
	wait "$lp"
	check_eq "TERM on a full disk: exit 111" 111 $?
	check "TERM on a full disk: says how many bytes" grep -q \
	    '^svlog: fatal: unable to write [1-9][0-9]* bytes to mnt3/log/current: out of disk space$' \
	    err5
	exec 4>&-
	umount mnt3
fi

# --- svlog killed with SIGKILL under supervise: no line lost
if [ ! -x "$BIN/supervise" ]; then
	skip "SIGKILL under supervise" "bin/supervise not built yet"
else
	mkdir -p sv/log
	cat >sv/run <<-'EOF'
	#!/bin/sh
	[ -e done ] && exec sleep 100000
	awk 'BEGIN { for (i = 1; i <= 30000; i++) { print "line " i; fflush()
	    if (i % 100 == 0) system("sleep 0.01") } }'
	: >done
	exec sleep 100000
	EOF
	cat >sv/log/run <<-EOF
	#!/bin/sh
	exec $BIN/svlog -s 65536 -n 1000 ./main
	EOF
	chmod +x sv/run sv/log/run
	echo 0 >sv/log/min-uptime
	supervise sv >sup.out 2>&1 &
	sp=$!
	wait_until 10 test -s sv/log/supervise/pid
	kills=0
	for i in 1 2 3; do
		old=$(cat sv/log/supervise/pid 2>/dev/null)
		[ -n "$old" ] || break
		wait_until 10 sh -c 'test -s sv/log/main/current'
		kill -KILL "$old" && kills=$((kills + 1))
		wait_until 10 sh -c "p=\$(cat sv/log/supervise/pid 2>/dev/null);
		    test -n \"\$p\" && test \"\$p\" != $old"
	done
	check_eq "SIGKILL: logger killed three times" 3 "$kills"
	check "SIGKILL: service done" wait_until 30 test -e sv/done
	check "SIGKILL: every line arrives" wait_until 30 sh -c \
	    "test \$(for f in sv/log/main/@* sv/log/main/current; do
	    cat \"\$f\"; done | cut -c29- | sort -u | wc -l) -eq 30000"
	for f in sv/log/main/@* sv/log/main/current; do cat "$f"; done |
	    cut -c29- | sort -u | sort -k2n >kill.out
	check_eq "SIGKILL: no line lost" "$(numbered 30000)" "$(cat kill.out)"
	kill -TERM "$sp"
	check "supervise exits on TERM" wait_until 20 sh -c "! kill -0 $sp 2>/dev/null"
fi

# --- log/run as a symlink to svlog (no shell, no DIR)
if [ -x "$BIN/supervise" ]; then
	mkdir -p ln/log
	printf '#!/bin/sh\necho symlinked\nexec sleep 1000\n' >ln/run
	chmod +x ln/run
	ln -s "$BIN/svlog" ln/log/run
	supervise ln >ln.out 2>&1 &
	lp=$!
	check "symlinked log/run: the line arrives" wait_until 10 \
	    grep -q ' symlinked$' ln/log/main/current
	kill -TERM "$lp"
	wait_until 10 sh -c "! kill -0 $lp 2>/dev/null"
else
	skip "symlinked log/run" "bin/supervise not built"
fi

# --- -r: rotation by time, armed by current's first line, no wakeup idle
# Seconds from stamp A to stamp B, each HHMMSS.uuuuuu (over midnight too).
secs_between() {
	awk -v a="$1" -v b="$2" '
	    function s(x) { return substr(x, 1, 2) * 3600 + \
		substr(x, 3, 2) * 60 + substr(x, 5) }
	    BEGIN { d = s(b) - s(a); if (d < -43200) d += 86400; print d }'
}
# The stamp of a line (its first 27 bytes) and of a rotated name, as above.
line_hms() { printf '%s' "$1" | cut -c12-13,15-16,18-26; }
name_hms() { basename "$1" | cut -c11-23; }
# Is LO <= X <= HI?
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }
# Seconds from a rotated file's first line to its rotation.
first_to_rot() {
	secs_between "$(line_hms "$(head -n 1 "$1")")" "$(name_hms "$1")"
}
# Seconds from a rotated file's first line to its last.
first_to_last() {
	secs_between "$(line_hms "$(head -n 1 "$1")")" \
	    "$(line_hms "$(tail -n 1 "$1")")"
}
rotated() { ls "$1" | grep -c '^@.*\.s$'; }

svlog -r 1x d >out 2>err </dev/null
check_eq "-r bad value: exit 100" 100 $?
check_eq "-r bad value: message" "svlog: fatal: bad rotation age: 1x" \
    "$(cat err)"
svlog -r 0 d >out 2>err </dev/null
check_eq "-r 0: exit 100" 100 $?
svlog -r 1s - >out 2>err </dev/null
check_eq "-r with -: exit 100" 100 $?
check_eq "-r with -: message" "svlog: fatal: -r needs a directory, not -" \
    "$(cat err)"

mkfifo f5
svlog -r 1s byage <f5 2>err6 &
rp=$!
exec 3>f5
wait_until 5 test -f byage/current
echo "aged line" >&3
check "-r 1s: a lone line rotated" wait_until 5 sh -c \
    'grep -q "aged line" byage/@*.s 2>/dev/null'
check_eq "-r 1s: one rotated file, holding the line" "1 aged line" \
    "$(rotated byage) $(cut -c29- byage/@*.s)"
d=$(first_to_rot byage/@*.s)
check "-r 1s: rotated 1 s after the line, not before ($d s)" \
    within "$d" 1 2.5
check_eq "-r 1s: current empty after" 0 "$(stat -c %s byage/current)"
# Idle: nothing rotates (an empty current never does) and, under strace,
# not one system call: no poll that times out, no periodic wakeup.
idle_changed() {
	test "$(rotated byage)" -ne 1 || test -s byage/current
}
st=
if ! command -v strace >/dev/null 2>&1; then
	skip "-r 1s idle: no system call (strace)" \
	    "strace not installed: apt-get install strace"
else
	strace -o st.out -p "$rp" 2>st.err &
	st=$!
	if ! wait_until 5 grep -q 'Process [0-9]* attached' st.err; then
		kill "$st" 2>/dev/null
		wait "$st"
		st=
		skip "-r 1s idle: no system call (strace)" \
		    "strace cannot attach: $(head -n 1 st.err)"
	fi
fi
check "-r 1s: idle 3 s, nothing rotated, current stays empty" \
    eval '! wait_until 3 idle_changed'
if [ -n "$st" ]; then
	kill -INT "$st"
	wait "$st"
	# Attaching interrupts the poll svlog sleeps in: the kernel resumes
	# it as restart_syscall, which is strace's doing, not svlog's.
	check "-r 1s idle: strace saw svlog" grep -q restart_syscall st.out
	check_eq "-r 1s idle: no system call in 3 s (strace)" "" \
	    "$(grep -v '^[0-9 ]*restart_syscall(' st.out)"
fi
echo "next line" >&3
check "-r 1s: the next line rotated too" wait_until 5 sh -c \
    'test $(ls byage | grep -c "^@.*\.s$") -eq 2'
last=byage/$(ls byage | grep '^@' | sort | tail -n 1)
d=$(first_to_rot "$last")
check "-r 1s: its clock started with it, not at the rotation ($d s)" \
    within "$d" 1 2.5
exec 3>&-
wait "$rp"
check_eq "-r 1s: exit 0 at end of input" 0 $?
check_eq "-r 1s: stderr quiet" "" "$(cat err6)"

# Lines keep coming: each rotated file spans at most the age.
mkfifo f6
svlog -r 1s stream <f6 &
rp=$!
exec 3>f6
i=1
while [ "$i" -le 35 ]; do
	echo "tick $i" >&3
	sleep 0.1	# pacing the writer, not waiting on svlog
	i=$((i + 1))
done
exec 3>&-
wait "$rp"
check_eq "-r 1s, a line every 0.1 s: no line lost" \
    "$(seq 1 35 | sed 's/^/tick /')" "$(lines stream)"
check "-r 1s, a line every 0.1 s: rotated twice or more" \
    test "$(rotated stream)" -ge 2
bad=
for f in stream/@*.s; do
	a=$(first_to_last "$f")
	b=$(first_to_rot "$f")
	within "$a" 0 1.5 && within "$b" 1 2.5 || bad="$bad $f:$a:$b"
done
check_eq "-r 1s: each file spans at most 1 s, rotated 1 s after its first" \
    "" "$bad"

# With -s, whichever comes first; a size rotation restarts the clock.
mkfifo f7
svlog -s 4096 -r 1s mix <f7 &
rp=$!
exec 3>f7
echo first >&3
wait_until 5 grep -q first mix/current
sleep 0.5	# pacing: the burst comes half the age later
awk 'BEGIN { for (i = 1; i <= 60; i++) printf "%-99s\n", "burst " i }' >&3
check "-r 1s -s 4096: rotated by size, then by time" wait_until 5 sh -c \
    'test $(ls mix | grep -c "^@.*\.s$") -eq 2 && test ! -s mix/current'
f=mix/$(ls mix | grep '^@' | sort | head -n 1)
check_eq "-r 1s -s 4096: the first by size, early" "first" \
    "$(head -n 1 "$f" | cut -c29-)"
last=mix/$(ls mix | grep '^@' | sort | tail -n 1)
d=$(first_to_rot "$last")
check "-r 1s -s 4096: the second 1 s after its own first line ($d s)" \
    within "$d" 1 2.5
exec 3>&-
wait "$rp"

# Restarted on a current that holds lines: its first line's age counts.
mkdir oldcur oldnone
printf '2020-01-01T00:00:00.000000Z old line\n' >oldcur/current
printf 'old plain\n' >oldnone/current
touch -d '2020-01-01 00:00:00' oldnone/current
chmod 744 oldcur/current oldnone/current
echo recent | svlog newcur
echo recent | svlog -t none newnone
for c in "oldcur:" "oldnone:-t none" "newcur:" "newnone:-t none"; do
	d=${c%%:*}
	mkfifo "f$d"
	svlog ${c#*:} -r 1h "$d" <"f$d" &
	rp=$!
	exec 3>"f$d"
	case $d in
	old*)
		check "-r 1h ${c#*:}: restarted on an old current, rotated" \
		    wait_until 5 sh -c "grep -q old $d/@*.s 2>/dev/null"
		;;
	new*)
		# A rotation at start would come before the next line.
		echo later >&3
		wait_until 5 grep -q later "$d/current"
		check_eq "-r 1h ${c#*:}: a recent current kept" "0 recent
later" "$(rotated "$d") $(sed 's/^.* //' "$d/current")"
		;;
	esac
	exec 3>&-
	wait "$rp"
done

### svlog -: stamped lines on standard output (a container's docker logs).

iso='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z'
printf 'one\ntwo\nlast, unterminated' | svlog -P web - >"$T/so.out" 2>"$T/so.err"
check_eq "svlog -: exit 0" 0 $?
check_eq "svlog -: three lines" 3 "$(wc -l < "$T/so.out" | tr -d ' ')"
check "svlog -: stamp, then the name, then the line" \
    grep -Eqx "$iso web: two" "$T/so.out"
check "svlog -: the unterminated line gets its newline" \
    grep -Eqx "$iso web: last, unterminated" "$T/so.out"
check_eq "svlog -: nothing on stderr" "" "$(cat "$T/so.err")"
check "svlog -: no directory named -" eval '[ ! -e "$T/-" ] && [ ! -e ./- ]'
printf 'x\n' | svlog -t none -P w - >"$T/so2.out"
check_eq "svlog -t none -P w -: just the name" "w: x" "$(cat "$T/so2.out")"
head -c 300 /dev/zero | tr '\0' a | svlog -l 100 -P w - >"$T/so3.out"
check_eq "svlog -: a long line split, each piece named" 3 \
    "$(grep -Ec "^$iso[ +]w: a{100}$" "$T/so3.out")"
svlog -p cat - </dev/null >/dev/null 2>"$T/so4.err"
check_eq "svlog -p with -: usage error 100" 100 $?
svlog -P "$(printf 'a\nb')" - </dev/null >/dev/null 2>&1
check_eq "svlog -P with a newline: 100" 100 $?

cd / # the cleanup kills what runs under $T, this shell included
done_testing
