#!/bin/sh
# t/svlog.sh: svlog black-box tests.
# Not tested: a processor that keeps failing (rotation waits for it);
# -a trimming while running (only at start and at rotation here); EDQUOT.
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
