#!/bin/sh
# svcheck: one line on stdout per problem, exit 0 clean, 1 problems, 100
# usage, 111 when a directory could not be checked. A clean directory, a
# missing run, a run that is not executable, a #! to a missing
# interpreter, each invalid config file, log/ without log/run, supervise/
# permissions (as a user only: root may write anywhere), and the examples
# of sv/ all clean.
# not tested: an I/O error while reading a file.
. "$(dirname "$0")/lib.sh"

# run_svcheck ARGS: sets rc, out (stdout, $T/ removed) and err.
run_svcheck() {
	svcheck "$@" >"$T/out" 2>"$T/err"
	rc=$?
	out=$(sed "s|$T/||g" "$T/out")
	err=$(sed "s|$T/||g" "$T/err")
}

# mkclean DIR: a service directory with nothing wrong in it.
mkclean() {
	mkdir -p "$1/log"
	printf '#!/bin/sh\nexec sleep 1000\n' >"$1/run"
	printf '#!/bin/sh\nexec cat >/dev/null\n' >"$1/log/run"
	chmod 755 "$1/run" "$1/log/run"
	echo 3000 >"$1/timeout-kill"
	echo HUP >"$1/down-signal"
	echo on-failure >"$1/restart"
}

# --- usage
run_svcheck -h
check_eq "-h: usage on stdout, 0" "0:usage: svcheck DIR..." "$rc:$out"
run_svcheck -V
check_eq "-V: the version" "0:svcheck (tend) 0.1.0" "$rc:$out"
run_svcheck
check_eq "no directory: 100" "100:svcheck: fatal: no directory given
usage: svcheck DIR..." "$rc:$err"
run_svcheck -x "$T"
check_eq "unknown option: 100" 100 "$rc"

# --- clean
mkclean "$T/web"
run_svcheck "$T/web"
check_eq "a clean directory: 0, silent" "0::" "$rc:$out:$err"
run_svcheck "$T/web/"
check_eq "a trailing slash is fine" "0:" "$rc:$out"
# The examples, copied: the checkout may not be ours to write in.
mkdir "$T/examples"
for d in "$TOP"/sv/*/; do
	d=${d%/}
	cp -R "$d" "$T/examples/"
	rm -rf "$T/examples/${d##*/}/supervise" "$T/examples/${d##*/}/log/supervise"
	run_svcheck "$T/examples/${d##*/}"
	check_eq "example sv/${d##*/} is clean" "0:" "$rc:$out"
done

# --- run
mkclean "$T/norun"
rm "$T/norun/run"
run_svcheck "$T/norun"
check_eq "missing run: 1, one line" "1:svcheck: norun/run: missing" "$rc:$out"
mkclean "$T/noexec"
chmod 644 "$T/noexec/run"
run_svcheck "$T/noexec"
check_eq "run not executable" "1:svcheck: noexec/run: not executable" "$rc:$out"
mkclean "$T/nointerp"
printf '#!/tend/no/such/sh -e\necho\n' >"$T/nointerp/run"
run_svcheck "$T/nointerp"
check_eq "#! to a missing interpreter" \
    "1:svcheck: nointerp/run: interpreter not found: \"/tend/no/such/sh\"" \
    "$rc:$out"
mkclean "$T/crlf"
printf '#!/bin/sh\r\necho\r\n' >"$T/crlf/run"
run_svcheck "$T/crlf"
check_eq "#! line with CRLF: the CR shown" \
    "1:svcheck: crlf/run: interpreter not found: \"/bin/sh\\x0d\"" "$rc:$out"
mkclean "$T/dirrun"
rm "$T/dirrun/run"
mkdir "$T/dirrun/run"
run_svcheck "$T/dirrun"
check_eq "run a directory" "1:svcheck: dirrun/run: not a regular file" "$rc:$out"
mkclean "$T/finish"
printf '#!/bin/sh\n' >"$T/finish/finish"
run_svcheck "$T/finish"
check_eq "finish not executable" \
    "1:svcheck: finish/finish: not executable (supervise skips it)" "$rc:$out"

# --- check, control/ scripts, the logger's finish and check: like finish
mkclean "$T/chk"
printf '#!/bin/sh\nexit 0\n' >"$T/chk/check"
echo 1000 >"$T/chk/check-interval"
run_svcheck "$T/chk"
check_eq "check not executable (and its check-interval ignored)" \
    "1:svcheck: chk/check: not executable (supervise skips it)
svcheck: chk/check-interval: ignored: no executable check" "$rc:$out"
printf '#!/tend/no/such/sh\nexit 0\n' >"$T/chk/check"
chmod 755 "$T/chk/check"
run_svcheck "$T/chk"
check_eq "check's interpreter missing (supervise runs it: it fails)" \
    "1:svcheck: chk/check: interpreter not found: \"/tend/no/such/sh\"" \
    "$rc:$out"
printf '#!/bin/sh\nexit 0\n' >"$T/chk/check"
run_svcheck "$T/chk"
check_eq "an executable check: clean" "0:" "$rc:$out"
mkclean "$T/ctl"
mkdir "$T/ctl/control"
printf '#!/bin/sh\nexit 0\n' >"$T/ctl/control/t"
printf '#!/bin/sh\nexit 0\n' >"$T/ctl/control/d"
chmod 755 "$T/ctl/control/d"
printf '#!./no-such-helper\n' >"$T/ctl/control/u"
chmod 755 "$T/ctl/control/u"
printf '#!/bin/sh\n' >"$T/ctl/control/o"
printf '#!/bin/sh\n' >"$T/ctl/control/term"
: >"$T/ctl/control/.u.swp"
run_svcheck "$T/ctl"
check_eq "control/: each script like finish, the names never run" \
    "1:svcheck: ctl/control/u: interpreter not found: \"./no-such-helper\"
svcheck: ctl/control/t: not executable (supervise skips it)
svcheck: ctl/control/o: never run: o runs control/u
svcheck: ctl/control/term: never run: not a control letter (one of udpchaiq12tkx)" \
    "$rc:$out"
printf '#!/bin/sh\n' >"$T/ctl/no-such-helper"
chmod 755 "$T/ctl/no-such-helper" "$T/ctl/control/t"
rm "$T/ctl/control/o" "$T/ctl/control/term"
run_svcheck "$T/ctl"
check_eq "control/: a relative interpreter is found from the service directory" \
    "0:" "$rc:$out"
rm -r "$T/ctl/control"
: >"$T/ctl/control"
run_svcheck "$T/ctl"
check_eq "control a file" "1:svcheck: ctl/control: not a directory" "$rc:$out"
mkclean "$T/logprogs"
printf '#!/bin/sh\n' >"$T/logprogs/log/finish"
printf '#!/tend/no/such/sh\n' >"$T/logprogs/log/check"
chmod 755 "$T/logprogs/log/check"
run_svcheck "$T/logprogs"
check_eq "the logger's finish and check too" \
    "1:svcheck: logprogs/log/finish: not executable (supervise skips it)
svcheck: logprogs/log/check: interpreter not found: \"/tend/no/such/sh\"" \
    "$rc:$out"

# --- health settings that do nothing as the directory stands
mkclean "$T/noeff"
echo 500 >"$T/noeff/check-interval"
echo 100 >"$T/noeff/check-timeout"
echo 2 >"$T/noeff/check-failures"
echo 3000 >"$T/noeff/ready-timeout"
: >"$T/noeff/log/essential"
run_svcheck "$T/noeff"
check_eq "liveness settings without a check, ready-timeout, log/essential" \
    "1:svcheck: noeff/check-interval: ignored: no executable check
svcheck: noeff/check-timeout: ignored: no executable check
svcheck: noeff/check-failures: ignored: no executable check
svcheck: noeff/ready-timeout: ignored: ready at once without a check or notification-fd
svcheck: noeff/log/essential: ignored: only a service is essential, not its logger" \
    "$rc:$out"
echo 0 >"$T/noeff/ready-timeout"
echo 3 >"$T/noeff/notification-fd"
rm "$T/noeff/log/essential" "$T/noeff/check-interval" \
    "$T/noeff/check-timeout" "$T/noeff/check-failures"
echo 3000 >"$T/noeff/ready-timeout"
: >"$T/noeff/essential"
run_svcheck "$T/noeff"
check_eq "ready-timeout with notification-fd, essential service: clean" \
    "0:" "$rc:$out"
mkclean "$T/badhealth"
printf '#!/bin/sh\nexit 0\n' >"$T/badhealth/check"
chmod 755 "$T/badhealth/check"
echo 1s >"$T/badhealth/check-interval"
echo -1 >"$T/badhealth/check-failures"
echo 5000ms >"$T/badhealth/ready-timeout"
run_svcheck "$T/badhealth"
check_eq "invalid health values: each named, the others not flagged ignored" \
    "1:svcheck: badhealth/check-interval: not a number: \"1s\"
svcheck: badhealth/check-failures: not a number: \"-1\"
svcheck: badhealth/ready-timeout: not a number: \"5000ms\"" "$rc:$out"

# --- log/
mkclean "$T/nolog"
rm "$T/nolog/log/run"
run_svcheck "$T/nolog"
check_eq "log/ without log/run" "1:svcheck: nolog/log/run: missing" "$rc:$out"
mkclean "$T/logconf"
echo 1s >"$T/logconf/log/timeout-kill"
run_svcheck "$T/logconf"
check_eq "the logger's config files too" \
    "1:svcheck: logconf/log/timeout-kill: not a number: \"1s\"" "$rc:$out"

# --- each config file
bad() {
	mkclean "$T/c-$1"
	printf '%s\n' "$2" >"$T/c-$1/$1"
	run_svcheck "$T/c-$1"
	check_eq "invalid $1" "1:svcheck: c-$1/$1: $3" "$rc:$out"
}
bad timeout-finish abc 'not a number: "abc"'
bad timeout-kill -5 'not a number: "-5"'
bad min-uptime 1.5 'not a number: "1.5"'
bad backoff-max 99999999999999999999 'out of range: "99999999999999999999"'
bad max-restarts "" 'not a number: ""'
bad notification-fd 1 'not a descriptor from 3 to 1024: "1"'
bad notification-fd 5000 'not a descriptor from 3 to 1024: "5000"'
bad down-signal TERMINATE 'not a known signal: "TERMINATE"'
bad down-signal 0 'not a known signal: "0"'
bad restart sometimes 'not always, on-failure or never: "sometimes"'
bad check-interval x 'not a number: "x"'
bad check-timeout 10ms 'not a number: "10ms"'
bad check-failures three 'not a number: "three"'
bad ready-timeout 1e3 'not a number: "1e3"'
mkclean "$T/many"
echo abc >"$T/many/timeout-kill"
echo nope >"$T/many/restart"
rm "$T/many/run"
run_svcheck "$T/many"
check_eq "every problem, one line each" "1:svcheck: many/run: missing
svcheck: many/timeout-kill: not a number: \"abc\"
svcheck: many/restart: not always, on-failure or never: \"nope\"" "$rc:$out"
run_svcheck "$T/web" "$T/many" "$T/norun"
check_eq "several directories: each checked, 1" 1 "$rc"
check_eq "several directories: 4 lines" 4 "$(echo "$out" | wc -l | tr -d ' ')"

# --- could not check, not a directory
run_svcheck "$T/nowhere"
check_eq "missing directory: a problem" "1:svcheck: nowhere: no such directory" \
    "$rc:$out"
: >"$T/file"
run_svcheck "$T/file"
check_eq "a file: a problem" "1:svcheck: file: not a directory" "$rc:$out"
ln -s loop "$T/loop"	# a link to itself
run_svcheck "$T/loop" "$T/web"
check_eq "a symlink loop cannot be checked: 111, named" \
    "111::svcheck: warning: unable to check loop: $(printf 'Too many levels of symbolic links')" \
    "$rc:$out:$err"

# --- permissions supervise needs (as a user: root may write anywhere)
if [ "$(id -u)" -ne 0 ]; then
	mkclean "$T/ro"
	chmod 555 "$T/ro"
	run_svcheck "$T/ro"
	check_eq "supervise/ cannot be created" \
	    "1:svcheck: ro/supervise: cannot be created: access denied" "$rc:$out"
	chmod 755 "$T/ro"
	mkdir "$T/ro/supervise"
	chmod 555 "$T/ro/supervise"
	run_svcheck "$T/ro"
	check_eq "supervise/ not writable" \
	    "1:svcheck: ro/supervise: not writable: access denied" "$rc:$out"
	chmod 755 "$T/ro/supervise"
else
	skip "supervise/ permissions" "root may write anywhere; run as a user"
fi
mkclean "$T/sfile"
: >"$T/sfile/supervise"
run_svcheck "$T/sfile"
check_eq "supervise a file" "1:svcheck: sfile/supervise: not a directory" "$rc:$out"

# --- supervise uses the same checks: one record and one warning, not a
# spawnfail at every retry; the status flags the directory; fixed, it runs.
mkclean "$T/broken"
rm -r "$T/broken/log"
printf '#!/tend/no/such/sh\n' >"$T/broken/run"
(cd "$T" && exec supervise broken >"$T/broken.out" 2>"$T/broken.err") &
hist=$T/broken/supervise/history
check "supervise: retries with a delay" wait_until 10 \
    grep -qs 'restart delay=2000$' "$hist"
check_eq "supervise: one 'broken' record naming the interpreter" \
    "broken file=run problem=nointerp interpreter=/tend/no/such/sh" \
    "$(grep -o 'broken .*' "$hist")"
check_eq "supervise: no spawnfail records" 0 "$(grep -c spawnfail "$hist")"
check_eq "supervise: one warning" \
    "supervise broken: warning: unable to start ./run: interpreter not found: \"/tend/no/such/sh\"" \
    "$(cat "$T/broken.err")"
check "svstat shows it" eval 'svstat "$T/broken" | grep -q "bad config"'
printf '#!/bin/sh\nexec sleep 1000\n' >"$T/broken/run"
check "supervise: fixed, it starts" wait_until 10 grep -q ' start pid=' "$hist"
check "svstat: the flag is gone once it runs" wait_until 5 \
    eval '! svstat "$T/broken" | grep -q "bad config"'
chmod 644 "$T/broken/run"
svc -k "$T/broken"
check "supervise: a new episode, a new record" wait_until 10 \
    grep -q 'broken file=run problem=notexec$' "$hist"
svc -dx "$T/broken"
wait

done_testing
