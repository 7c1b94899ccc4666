#!/bin/sh
# svrun: every option is checked from inside the program it executes (a
# shell that reports its own /proc/$$ state: ids, groups, limits, nice,
# session, descriptors, environment, cwd, root, argv[0]); as root, dropping
# to nobody and to numeric ids with supplementary groups, and chroot; the
# locks of -L (fails at once) and -l (waits, seen blocked in /proc/locks);
# and the same invocations under runit's chpst and under svrun invoked as
# chpst compared state for state.
# not tested: -t and -c beyond the limit values (no CPU burnt, no core
# dumped); a lookup failure of NSS (not a missing name) as 111.
. "$(dirname "$0")/lib.sh"


chmod 755 "$T"
mkdir "$T/o"
chmod 1777 "$T/o"
ln -s "$BIN/svrun" "$T/chpst"

# The probe: sh -c "$PROBE" FDLIST OUT writes OUT.fd (the descriptors the
# shell got, as its child t/helpers/bin/fdlist inherits them) and OUT
# (everything else, read from the shell's own /proc/$$), as the exec'd
# program. Under a memory limit a sanitizer build of fdlist cannot start:
# the limit tests list no descriptors (FDLIST=true).
FDLIST=$HELPERS/fdlist
# A checkout other users cannot reach (under /root, 0700): nobody could not
# run the helper from there, so it runs from the scratch dir instead.
if [ "$(id -u)" -eq 0 ] && ! "$BIN/svrun" -u nobody test -x "$FDLIST" 2>/dev/null; then
	mkdir -p "$T/hbin"
	cp "$FDLIST" "$T/hbin/fdlist"
	chmod 755 "$T/hbin" "$T/hbin/fdlist"
	HELPERS=$T/hbin
	FDLIST=$HELPERS/fdlist
fi
PROBE='o=$1
"$0" "$o.fd"
{
grep -E "^(Uid|Gid|Groups):" /proc/$$/status
grep -E "^Max (cpu|file size|data|stack|core|resident|processes|open|locked|address)" /proc/$$/limits | sed "s/  */ /g"
set -- $(sed "s/.*) //" /proc/$$/stat)
echo "pgrp=$(($3 == $$)) session=$(($4 == $$)) nice=${17}"
echo "argv0=$(tr "\0" "\n" </proc/$$/cmdline | head -n 1)"
echo "cwd=$(pwd -P)"
echo "root=$(readlink /proc/$$/root)"
env | grep -v -E "^(PWD|OLDPWD|SHLVL|_)=" | LC_ALL=C sort
} >"$o"'

# probe OUT [svrun options]: run the probe under svrun; sets rc and err.
probe() {
	p_out=$1
	shift
	svrun "$@" sh -c "$PROBE" "$FDLIST" "$p_out" 2>"$T/err"
	rc=$?
	err=$(sed "s|$T/||g" "$T/err")
}

# field OUT REGEX: the lines of OUT matching REGEX.
field() {
	grep -E "$2" "$1"
}

# run_svrun ARGS: run svrun; sets rc, out and err.
run_svrun() {
	svrun "$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(cat "$T/out")
	err=$(sed "s|$T/||g" "$T/err")
}

# --- usage
run_svrun -h
check_eq "-h exits 0" 0 "$rc"
check "-h prints the usage on stdout" eval 'case "$out" in "usage: svrun "*) true ;; *) false ;; esac'
run_svrun -V
check_eq "-V prints the version" "0:svrun (tend) 0.1.0" "$rc:$out"
"$T/chpst" -V >"$T/out"
check_eq "-V as chpst names chpst" "chpst (tend) 0.1.0" "$(cat "$T/out")"
run_svrun
check_eq "no program exits 100" 100 "$rc"
check_eq "no program: one line, then the usage" "svrun: fatal: no program given" \
    "$(echo "$err" | head -n 1)"
run_svrun -Z true
check_eq "unknown option exits 100" "100:svrun: fatal: unknown option -Z" \
    "$rc:$(echo "$err" | head -n 1)"
run_svrun -o
check_eq "missing argument exits 100" "100:svrun: fatal: missing argument for -o" \
    "$rc:$(echo "$err" | head -n 1)"
for bad in "-o abc" "-m -1" "-t 1x" "-n 41" "-n x" "-u :1000" "-u www:" \
    "-U :a:1"; do
	run_svrun $bad true
	check_eq "bad value $bad exits 100" 100 "$rc"
done
check_eq "a bad user spec says what it wants" \
    "svrun: fatal: invalid user spec: \":a:1\" (want user[:group...] or :uid:gid[:gid...])" \
    "$err"

# --- exec
run_svrun tend-no-such-program
check_eq "PROG not found exits 127" \
    "127:svrun: fatal: unable to run tend-no-such-program: file does not exist" \
    "$rc:$err"
printf '#!/bin/sh\necho hi\n' >"$T/noexec"
run_svrun "$T/noexec"
check_eq "PROG not executable exits 126" \
    "126:svrun: fatal: unable to run noexec: access denied" "$rc:$err"
run_svrun sh -c 'exit 7'
check_eq "PROG's exit status is svrun's" 7 "$rc"
mkdir "$T/pbin"
printf '#!/bin/sh\necho found in env PATH\n' >"$T/pbin/tend-probe-prog"
chmod 755 "$T/pbin/tend-probe-prog"
mkdir "$T/penv"
echo "$T/pbin" >"$T/penv/PATH"
run_svrun -e "$T/penv" tend-probe-prog
check_eq "PROG is searched in the PATH of the env dir" "0:found in env PATH" \
    "$rc:$out"

# --- a plain run: the state inherited unchanged
probe "$T/o/plain"
check_eq "plain run exits 0" "0:" "$rc:$err"
# What this test was given (0 1 2 in CI; a harness may leave more open).
"$FDLIST" "$T/fds"
fds=$(tr '\n' ' ' <"$T/fds" | sed 's/ $//')
# fds_without N...: that list less the descriptors named.
fds_without() {
	f_list=" $fds "
	for f_n in "$@"; do
		f_list=$(echo "$f_list" | sed "s/ $f_n / /")
		f_list=" $f_list "
	done
	echo $f_list
}
check_eq "plain: the descriptors given, no more" "$fds" \
    "$(tr '\n' ' ' <"$T/o/plain.fd" | sed 's/ $//')"
check_eq "plain: not a session leader" "pgrp=0 session=0 nice=0" \
    "$(field "$T/o/plain" '^pgrp=')"

# --- -e: envdir's rules
mkdir "$T/env"
printf 'hello  \t \nsecond line\n' >"$T/env/FIRST"
printf 'a\0b\t ' >"$T/env/NULS"
: >"$T/env/GONE"
printf '\n' >"$T/env/BLANK"
printf ' lead\r' >"$T/env/KEEP"
printf 'x\n' >"$T/env/.hidden"
ln -s nowhere "$T/env/DANGLING"
export GONE=before FIRST=before
probe "$T/o/env" -e "$T/env"
check_eq "-e exits 0" "0:" "$rc:$err"
check_eq "-e: first line, trailing blanks removed" "FIRST=hello" \
    "$(field "$T/o/env" '^FIRST=')"
run_svrun -e "$T/env" sh -c 'printf "[%s]" "$NULS"'
check_eq "-e: NUL read as a newline" "[a
b]" "$out"
check_eq "-e: an empty file unsets" "" "$(field "$T/o/env" '^GONE=')"
check_eq "-e: a lone newline sets empty" "BLANK=" "$(field "$T/o/env" '^BLANK=')"
check_eq "-e: leading blanks and CR stay" " lead$(printf '\r')" \
    "$(field "$T/o/env" '^KEEP=' | sed 's/^KEEP=//')"
check_eq "-e: dot files and dangling links skipped" "" \
    "$(field "$T/o/env" '^(\.hidden|DANGLING)=')"
unset GONE FIRST
mkdir "$T/env/SUB"
run_svrun -e "$T/env" true
check_eq "-e: a directory in the env dir fails, as with envdir" \
    "111:svrun: fatal: unable to read env/SUB: Is a directory" "$rc:$err"
rmdir "$T/env/SUB"
run_svrun -e "$T/nodir" true
check_eq "-e: a missing env dir fails" \
    "111:svrun: fatal: unable to read env dir nodir: file does not exist" "$rc:$err"

# --- -E: nothing but the env dir
probe "$T/o/clear" -E -e "$T/env"
check_eq "-E -e: only the env dir's variables" "BLANK=
FIRST=hello
KEEP= lead$(printf '\r')
NULS=a
b" "$(sed -n '/^root=/,$p' "$T/o/clear" | sed 1d)"

# --- -U
probe "$T/o/envuid" -U nobody
check_eq "-U user: UID GID HOME USER" "GID=$(id -g nobody)
HOME=$(getent passwd nobody | cut -d: -f6)
UID=$(id -u nobody)
USER=nobody" "$(field "$T/o/envuid" '^(UID|GID|HOME|USER)=')"
check_eq "-U does not change the ids" "$(field "$T/o/plain" '^(Uid|Gid):')" \
    "$(field "$T/o/envuid" '^(Uid|Gid):')"
HOME=/keep
export HOME
probe "$T/o/envnum" -U :4321:5432
check_eq "-U :uid:gid: UID GID only" "GID=5432
HOME=/keep
UID=4321" "$(field "$T/o/envnum" '^(UID|GID|HOME|USER)=')"
unset HOME

# --- limits
FDLIST=true
probe "$T/o/lim" -o 50 -p 300 -f 123456 -c 0 -d 234567890 -r 3456789 -t 77
check_eq "limits exit 0" "0:" "$rc:$err"
check_eq "-o -p -f -c -d -r -t: the soft limits" "Max cpu time 77
Max file size 123456
Max data size 234567890
Max core file size 0
Max resident set 3456789
Max processes 300
Max open files 50" \
    "$(field "$T/o/lim" '^Max (cpu|file|data|core|resident|processes|open)' |
    sed 's/^\(Max [a-z ]*[a-z]\) \([0-9]*\) .*/\1 \2/')"
run_svrun -o 50 -f 2048 sh -c 'ulimit -n; ulimit -f'
check_eq "-o -f as the shell's ulimit sees them (-f in 512-byte blocks)" "50
4" "$out"
hard=$(ulimit -Hn)
probe "$T/o/limhard" -o 999999999
check_eq "-o past the hard limit: the hard limit" "$hard" \
    "$(field "$T/o/limhard" '^Max open files' | cut -d' ' -f4)"
probe "$T/o/limeq" -o 20 -o =
check_eq "-o =: the hard limit (the last -o wins)" "$hard" \
    "$(field "$T/o/limeq" '^Max open files' | cut -d' ' -f4)"
probe "$T/o/mem" -m 345678901
memlock_hard=$(sed -n 's/^Max locked memory *[0-9a-z]* *\([0-9a-z]*\) .*/\1/p' /proc/self/limits)
want_memlock=345678901
[ "$memlock_hard" != unlimited ] && [ "$memlock_hard" -lt 345678901 ] &&
    want_memlock=$memlock_hard
check_eq "-m: data, stack, locked memory, address space" \
    "345678901 345678901 $want_memlock 345678901" \
    "$(field "$T/o/mem" '^Max (data|stack|locked|address)' |
    sed 's/^Max [a-z ]* \([0-9]*\) .*/\1/' | tr '\n' ' ' | sed 's/ $//')"

FDLIST=$HELPERS/fdlist

# --- nice, session, argv0, descriptors, cwd
probe "$T/o/nice" -n 3
check_eq "-n 3" "nice=3" "$(field "$T/o/nice" '^pgrp=' | sed 's/.* //')"
probe "$T/o/sid" -P
check_eq "-P: leader of its own session and group" "pgrp=1 session=1 nice=0" \
    "$(field "$T/o/sid" '^pgrp=')"
svrun -P svrun -P sh -c "$PROBE" "$FDLIST" "$T/o/sid2" 2>"$T/err"
check_eq "-P as a session leader already (a run script under supervise)" \
    "0:pgrp=1 session=1 nice=0" "$?:$(cat "$T/err")$(field "$T/o/sid2" '^pgrp=')"
probe "$T/o/argv0" -b fancy-name
check_eq "-b: argv[0]" "argv0=fancy-name" "$(field "$T/o/argv0" '^argv0=')"
probe "$T/o/fd0" -0
check_eq "-0: stdin closed" "$(fds_without 0)" "$(tr '\n' ' ' <"$T/o/fd0.fd" | sed 's/ $//')"
probe "$T/o/fd12" -1 -2
check_eq "-1 -2: stdout and stderr closed" "$(fds_without 1 2)" \
    "$(tr '\n' ' ' <"$T/o/fd12.fd" | sed 's/ $//')"
mkdir "$T/wd"
probe "$T/o/cwd" -C "$T/wd"
check_eq "-C: the working directory" "cwd=$T/wd" "$(field "$T/o/cwd" '^cwd=')"

# --- locks
mkfifo "$T/release"
(cd "$T" && exec svrun -L "$T/lock" sh -c 'echo $$ >"$0"; read x <"$1"' \
    "$T/holder" "$T/release") &
check "holder took the lock" wait_until 5 test -s "$T/holder"
timeout 10 svrun -L "$T/lock" true 2>"$T/err"
rc=$?
check_eq "-L on a held lock fails at once" \
    "111:svrun: fatal: unable to lock $T/lock: held by another process" \
    "$rc:$(cat "$T/err")"
(cd "$T" && exec svrun -l "$T/lock" sh -c 'echo got >"$0"' "$T/got") &
waiter=$!
blocked() {
	grep -q -E "^[0-9]+: -> FLOCK +ADVISORY +WRITE +$waiter " /proc/locks
}
check "-l waits: seen blocked on the lock" wait_until 5 blocked
check "-l waits: has not run while blocked" test ! -e "$T/got"
echo >"$T/release"
check "-l runs once the holder is gone" wait_until 5 test -s "$T/got"
wait
if command -v setlock >/dev/null 2>&1; then
	: >"$T/holder2"
	(cd "$T" && exec setlock "$T/lock2" sh -c 'echo $$ >"$0"; read x <"$1"' \
	    "$T/holder2" "$T/release") &
	check "setlock holds the lock" wait_until 5 test -s "$T/holder2"
	timeout 10 svrun -L "$T/lock2" true 2>/dev/null
	check_eq "-L fails on a lock daemontools' setlock holds" 111 "$?"
	echo >"$T/release"
	wait
else
	skip "-L against setlock" "daemontools not installed: apt-get install daemontools"
fi

# --- users (root only)
run_svrun -u tend-no-such-user true
check_eq "unknown user: one line, 111" \
    "111:svrun: fatal: unable to find user tend-no-such-user: no such user" \
    "$rc:$err"
run_svrun -u root:tend-no-such-group true
check_eq "unknown group: one line, 111" \
    "111:svrun: fatal: unable to find group tend-no-such-group: no such group" \
    "$rc:$err"
if [ "$(id -u)" -eq 0 ]; then
	nb_uid=$(id -u nobody)
	nb_gid=$(id -g nobody)
	probe "$T/o/nobody" -u nobody
	check_eq "-u nobody exits 0" "0:" "$rc:$err"
	check_eq "-u nobody: uid, gid, only its group" \
	    "Uid: $nb_uid $nb_uid $nb_uid $nb_uid|Gid: $nb_gid $nb_gid $nb_gid $nb_gid|Groups: $nb_gid" \
	    "$(field "$T/o/nobody" '^(Uid|Gid|Groups):' | tr -s '\t ' '  ' |
	    sed 's/ $//' | tr '\n' '|' | sed 's/|$//')"
	check_eq "-u leaves HOME and USER alone" "$(field "$T/o/plain" '^(HOME|USER)=')" \
	    "$(field "$T/o/nobody" '^(HOME|USER)=')"
	probe "$T/o/numeric" -u :1234:2345:3456:4567
	check_eq "-u :uid:gid:gid:gid" \
	    "Uid: 1234 1234 1234 1234|Gid: 2345 2345 2345 2345|Groups: 2345 3456 4567" \
	    "$(field "$T/o/numeric" '^(Uid|Gid|Groups):' | tr -s '\t ' '  ' |
	    sed 's/ $//' | tr '\n' '|' | sed 's/|$//')"
	probe "$T/o/named" -u nobody:daemon:bin
	g1=$(getent group daemon | cut -d: -f3)
	g2=$(getent group bin | cut -d: -f3)
	check_eq "-u user:group:group" \
	    "Gid: $g1 $g1 $g1 $g1|Groups: $g1 $g2" \
	    "$(field "$T/o/named" '^(Gid|Groups):' | tr -s '\t ' '  ' |
	    sed 's/ $//' | tr '\n' '|' | sed 's/|$//')"
	probe "$T/o/renice" -n -5 -u nobody
	check_eq "-n -5 before dropping root" "nice=-5" \
	    "$(field "$T/o/renice" '^pgrp=' | sed 's/.* //')"
	run_svrun -u nobody -C /root true
	check_eq "-C after -u: as root, then the user (chdir first)" 0 "$rc"
	# A chroot holding only a shell and the libraries it needs.
	mkdir -p "$T/root/sub" "$T/root/bin"
	cp /bin/sh "$T/root/bin/sh"
	for lib in $(ldd /bin/sh | sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p
	    s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p'); do
		mkdir -p "$T/root$(dirname "$lib")"
		cp "$lib" "$T/root$lib"
	done
	: >"$T/root/in-the-chroot"
	run_svrun -/ "$T/root" /bin/sh -c 'pwd; test -e /in-the-chroot && echo inside'
	check_eq "-/: the program runs in the new root" "0:/
inside" "$rc:$out"
	run_svrun -/ "$T/root" -C /sub /bin/sh -c 'pwd'
	check_eq "-/ -C: chdir inside the new root" "0:/sub" "$rc:$out"
	run_svrun -/ "$T/root" true
	check_eq "-/: PROG is looked for inside the new root" \
	    "127:svrun: fatal: unable to run true: file does not exist" "$rc:$err"
else
	skip "-u nobody, numeric ids, groups, -n -5, chroot" "not root"
	run_svrun -u nobody true
	check_eq "-u as a user: setgroups refused, 111" \
	    "111:svrun: fatal: unable to setgroups for nobody: $(echo 'Operation not permitted')" \
	    "$rc:$err"
fi

# --- chpst: the same invocations, the same state
compare() {
	c_name=$1
	shift
	chpst "$@" sh -c "$PROBE" "$FDLIST" "$T/o/runit" 2>"$T/err.runit"
	c_rc1=$?
	"$T/chpst" "$@" sh -c "$PROBE" "$FDLIST" "$T/o/tend" 2>"$T/err.tend"
	c_rc2=$?
	check_eq "chpst $c_name: same exit" "$c_rc1" "$c_rc2"
	check_eq "chpst $c_name: same state" \
	    "$(cat "$T/o/runit.fd" "$T/o/runit" 2>/dev/null)" \
	    "$(cat "$T/o/tend.fd" "$T/o/tend" 2>/dev/null)"
	rm -f "$T/o/runit" "$T/o/tend" "$T/o/runit.fd" "$T/o/tend.fd"
}
if command -v chpst >/dev/null 2>&1 && [ "$(readlink -f "$(command -v chpst)")" != "$(readlink -f "$BIN/svrun")" ]; then
	compare "-e" -e "$T/env"
	compare "-n" -n 2
	compare "-P" -P
	compare "-0 -2" -0 -2
	compare "-b" -b fancy
	FDLIST=true
	compare "limits" -o 40 -p 90 -f 123456 -c 0 -d 234567890 -t 77 -r 3456789
	compare "-m" -m 345678901
	FDLIST=$HELPERS/fdlist
	compare "-l" -l "$T/lock3"
	compare "-L" -L "$T/lock4"
	compare "-v" -v -n 1
	if [ "$(id -u)" -eq 0 ]; then
		compare "-u nobody" -u nobody
		compare "-u :uid:gid:gid" -u :1234:2345:3456
		compare "-u user:group:group" -u nobody:daemon:bin
		# chpst takes the lock as the user, svrun before dropping
		# root: a lock nobody may create keeps them comparable.
		compare "everything" -u nobody -e "$T/env" -o 30 -n 1 -P -1 \
		    -l "$T/o/lock5"
		FDLIST=true
		compare "everything and -m" -u nobody -e "$T/env" -o 30 -n 1 \
		    -P -1 -m 300000000
		FDLIST=$HELPERS/fdlist
	else
		skip "chpst -u comparisons" "not root"
	fi
	# -U: chpst sets UID and GID; svrun also HOME and USER (DESIGN.md 8).
	chpst -U nobody sh -c "$PROBE" "$FDLIST" "$T/o/runit"
	"$T/chpst" -U nobody sh -c "$PROBE" "$FDLIST" "$T/o/tend"
	check_eq "chpst -U: the same UID and GID" \
	    "$(field "$T/o/runit" '^(UID|GID)=')" "$(field "$T/o/tend" '^(UID|GID)=')"
	chpst -u tend-no-such-user true 2>/dev/null
	c_rc1=$?
	"$T/chpst" -u tend-no-such-user true 2>/dev/null
	check_eq "chpst: an unknown user exits 111 in both" "$c_rc1" "$?"
	chpst tend-no-such-program 2>/dev/null
	check_eq "chpst: a missing PROG exits 111 in chpst, 127 in svrun" "111:127" \
	    "$?:$("$T/chpst" tend-no-such-program 2>/dev/null; echo $?)"
else
	skip "chpst comparison" "runit not installed: apt-get install runit"
fi

done_testing
