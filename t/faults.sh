#!/bin/sh
# t/faults.sh: faults of the machine, as root (each part skips visibly
# otherwise, or without its tools or the right to mount):
#   A. fork fails (RLIMIT_NPROC of an unprivileged supervise user, reached
#      because another process of that user holds the room): the start is
#      retried with the backoff, history says spawnfail error=EAGAIN, and
#      the service starts once there is room under the limit;
#   B. the log directory's filesystem turns read-only under svlog (an
#      ext4 error, errors=remount-ro, on a loop device): one warning, the
#      service lives on, nothing is lost; once the filesystem is repaired
#      and mounted again, a new svlog logs what the pipe kept;
#   C. supervise/ on a full filesystem (a small tmpfs): the service keeps
#      running and being restarted, supervise says what it could not
#      write, and writes the status again once there is room.
. "$(dirname "$0")/lib.sh"
. "$TOP/t/helpers/sv.sh"

PATH=$HELPERS:$PATH
export PATH
[ -x "$HELPERS/writer" ] || make -s -C "$TOP" t/helpers/bin/writer >/dev/null

if [ "$(id -u)" != 0 ]; then
	skip "A. fork failing (RLIMIT_NPROC)" "needs root"
	skip "B. log filesystem read-only" "needs root"
	skip "C. supervise/ on a full filesystem" "needs root"
	done_testing
	exit
fi

MOUNTS=
# Kill what runs under $T, then unmount, then lib.sh's cleanup.
faults_cleanup() {
	for p in $(pids_under "$T"); do kill -9 "$p" 2>/dev/null; done
	for m in $MOUNTS; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
	[ -n "$LOOPDEV" ] && losetup -d "$LOOPDEV" 2>/dev/null
	_cleanup
}
trap faults_cleanup EXIT
chmod 755 "$T"

# start_sv DIR [WRAPPER...]: supervise $T/DIR in the background. Sets SVPID.
start_sv() {
	sv_d=$1
	shift
	(cd "$T" && exec "$@" supervise "$sv_d" >"$T/$sv_d.out" 2>"$T/$sv_d.err") &
	SVPID=$!
}

### A. fork fails: supervise runs as nobody with RLIMIT_NPROC 2, and
### another process of nobody's holds the second place.

if command -v setpriv >/dev/null && command -v prlimit >/dev/null &&
    NOBODY=$(id -u nobody 2>/dev/null); then
	NOGROUP=$(id -g nobody)
	AS_NOBODY="setpriv --reuid=$NOBODY --regid=$NOGROUP --clear-groups"
	# A checkout nobody cannot reach (under /root, 0700): run supervise
	# from the scratch dir instead.
	if ! $AS_NOBODY test -x "$BIN/supervise"; then
		mkdir -p "$T/nbin"
		cp "$BIN/supervise" "$T/nbin/"
		chmod 755 "$T/nbin" "$T/nbin/supervise"
		PATH=$T/nbin:$PATH
	fi
	mkrun "$T/np" 'exec sleep 1000'
	chown -R nobody "$T/np"
	(cd "$T/np" && exec $AS_NOBODY sleep 1000) &
	HOG=$!
	wait_until 5 eval '[ "$(stat -c %u "/proc/$HOG")" = "$NOBODY" ]'
	start_sv np $AS_NOBODY prlimit --nproc=2:2
	SUP=$SVPID
	check "A: fork refused: spawnfail error=EAGAIN" wait_until 5 \
	    hist_has "$T/np" " spawnfail error=EAGAIN\$"
	check "A: says so on stderr" grep -q \
	    "^supervise np: warning: unable to start ./run: " "$T/np.err"
	check "A: retried with the backoff (1 s, then 2 s)" wait_until 5 \
	    hist_has "$T/np" " restart delay=2000\$"
	check "A: down, waiting, meanwhile" eval \
	    'is_down "$T/np" && st_flag "$T/np" 32'
	check "A: supervise itself keeps running" alive "$SUP"
	# The other process goes: there is room under the limit again.
	kill "$HOG"
	check "A: starts once there is room" wait_until 10 is_up "$T/np"
	check "A: as nobody" eval \
	    '[ "$(stat -c %u "/proc/$(st_pid "$T/np")")" = "$NOBODY" ]'
	ctl "$T/np" x
	check "A: 'x' ends it" wait_until 10 gone "$SUP"
else
	skip "A. fork failing (RLIMIT_NPROC)" \
	    "setpriv, prlimit or user nobody missing: apt-get install util-linux"
fi

### B. The log filesystem turns read-only under svlog.

LOOPDEV=
IMG=$T/log.img
MNT=$T/logfs
mkdir -p "$MNT"
if ! command -v mkfs.ext4 >/dev/null || ! command -v e2fsck >/dev/null; then
	skip "B. log filesystem read-only" "mkfs.ext4 missing: apt-get install e2fsprogs"
elif ! { truncate -s 16M "$IMG" && mkfs.ext4 -q -F "$IMG" &&
    LOOPDEV=$(losetup -f --show "$IMG" 2>/dev/null) &&
    mount -o errors=remount-ro "$LOOPDEV" "$MNT" 2>/dev/null; }; then
	skip "B. log filesystem read-only" "no loop device or no right to mount"
elif [ ! -w "/sys/fs/ext4/${LOOPDEV#/dev/}/trigger_fs_error" ]; then
	skip "B. log filesystem read-only" "kernel without ext4 trigger_fs_error"
else
	MOUNTS="$MNT"
	mkrun "$T/ro" 'exec writer ro 500 ../ro.state'
	mkdir -p "$T/ro/log"
	mkscript "$T/ro/log/run" "exec svlog -t none '$MNT/main'"
	start_sv ro
	SUP=$SVPID
	check "B: service and logger up" wait_until 5 eval \
	    'is_up "$T/ro" && is_up "$T/ro/log"'
	P=$(st_pid "$T/ro")
	check "B: lines logged" wait_until 5 eval \
	    '[ "$(wc -l < "$MNT/main/current")" -ge 500 ]'
	# Lines svlog wrote are on the disk before the fault (else the
	# filesystem, not tend, would lose the pages it had not written):
	# pause the writer, let svlog catch up, sync.
	ctl "$T/ro" p
	nlines() { wc -l < "$MNT/main/current"; }
	n0=-1
	k=0
	while [ "$n0" != "$(nlines)" ] && [ "$k" -lt 30 ]; do
		n0=$(nlines)
		k=$((k + 1))
		sleep 0.3	# catching up: a bounded loop, not a result
	done
	sync -f "$MNT/main/current"
	# What ext4 does on an I/O error with errors=remount-ro.
	echo 1 > "/sys/fs/ext4/${LOOPDEV#/dev/}/trigger_fs_error"
	ctl "$T/ro" c
	check "B: svlog warns: read-only file system" wait_until 5 grep -q \
	    "^svlog: warning: unable to write to $MNT/main/current, pausing: Read-only file system\$" \
	    "$T/ro.err"
	check "B: once, not at every retry (2 s)" holds_for 2000 eval \
	    '[ "$(grep -c "pausing" "$T/ro.err")" = 1 ]'
	check "B: the service lives on, the same process" eval \
	    '[ "$(st_pid "$T/ro")" = "$P" ] && alive "$P"'
	# The operator's repair: stop the logger, unmount, fsck, mount.
	ctl "$T/ro/log" d
	check "B: the stuck logger stops when told (it says what it keeps)" \
	    wait_until 10 is_down "$T/ro/log"
	check "B: svlog said how much it could not write" grep -q \
	    "^svlog: fatal: unable to write [0-9]* bytes to $MNT/main/current: Read-only file system\$" \
	    "$T/ro.err"
	umount "$MNT" && e2fsck -fy "$LOOPDEV" >/dev/null 2>&1
	mount -o errors=remount-ro "$LOOPDEV" "$MNT"
	check "B: the filesystem is writable again" touch "$MNT/main/probe"
	ctl "$T/ro/log" u
	check "B: a new logger runs" wait_until 5 is_up "$T/ro/log"
	svc -dx "$T/ro"
	check "B: the writer stopped and said its last line" wait_until 10 \
	    test -s "$T/ro.state"
	check "B: supervise exits" wait_until 10 gone "$SUP"
	last=$(sed -n 's/^last=\([0-9]*\) .*/\1/p' "$T/ro.state")
	# Every line 1..last, in order; replays of a batch the killed logger
	# had written are allowed (svlog.8); a last line cut by the error is
	# dropped from the check (its whole copy follows).
	res=$(for f in $(ls "$MNT/main" | grep '^@' | sort) current; do
		[ -f "$MNT/main/$f" ] && cat "$MNT/main/$f"; echo; done |
	    awk -v last="$last" '
		$1 != "ro" || NF != 2 { next }
		{ v = $2 + 0; if (v <= max) { dup++; next }
		  if (v != max + 1) { lost += v - max - 1
			if (!gap) gap = (max + 1) "-" (v - 1) }
		  max = v }
		END { if (max < last) lost += last - max
		      printf "lost=%d duplicates=%d first_gap=%s\n", lost, dup, gap }')
	echo "# B: lines=$last $res"
	check "B: no line lost, none out of order (lines $last)" eval \
	    'case "$res" in lost=0\ *) true ;; *) false ;; esac'
	check_eq "B: the service was never restarted" "1 0" \
	    "$(hist_count "$T/ro" " start pid=") $(hist_count "$T/ro" " exit pid=[0-9]* signal=")"
fi

### C. supervise/ on a full filesystem.

FMNT=$T/fullfs
mkdir -p "$FMNT"
if ! mount -t tmpfs -o size=256k tmpfs "$FMNT" 2>/dev/null; then
	skip "C. supervise/ on a full filesystem" "no right to mount a tmpfs"
else
	MOUNTS="$MOUNTS $FMNT"
	mkrun "$T/fu" 'exec sleep 1000'
	echo 1 > "$T/fu/min-uptime"
	ln -s "$FMNT/fu.supervise" "$T/fu/supervise"
	start_sv fu
	SUP=$SVPID
	check "C: up" wait_until 5 is_up "$T/fu"
	P=$(st_pid "$T/fu")
	dd if=/dev/zero of="$FMNT/filler" bs=4096 2>/dev/null
	check "C: the filesystem is full" eval \
	    '! (echo x > "$FMNT/probe") 2>/dev/null'
	ctl "$T/fu" t
	# running_sleep: the pid of the sleep now running in fu, not P.
	running_sleep() {
		for p in $(pids_under "$T/fu"); do
			[ "$p" != "$P" ] && [ "$(cat "/proc/$p/comm")" = sleep ] &&
			    echo "$p"
		done
	}
	check "C: the service is restarted all the same" wait_until 5 eval \
	    '[ -n "$(running_sleep)" ]'
	check "C: supervise says it could not write the status" wait_until 5 \
	    grep -q "^supervise fu: warning: unable to write supervise/status: out of disk space\$" \
	    "$T/fu.err"
	# Enough restarts to fill the history's last page.
	k=0
	while [ "$k" -lt 60 ]; do
		q=$(running_sleep)
		ctl "$T/fu" t
		wait_until 5 eval '[ -n "$(running_sleep)" ] &&
		    [ "$(running_sleep)" != "$q" ]' || break
		k=$((k + 1))
	done
	check_eq "C: 60 restarts on the full filesystem" 60 "$k"
	check "C: supervise says it could not append to the history" grep -q \
	    "^supervise fu: warning: unable to append to supervise/history: out of disk space\$" \
	    "$T/fu.err"
	check_eq "C: each warning once per episode" "1 1" \
	    "$(grep -c "unable to write supervise/status" "$T/fu.err") $(grep -c "unable to append to supervise/history" "$T/fu.err")"
	check "C: supervise keeps running (1 s)" holds_for 1000 alive "$SUP"
	P2=$(running_sleep)
	rm -f "$FMNT/filler"
	ctl "$T/fu" t
	check "C: room again: the status follows the service" wait_until 5 \
	    eval 'is_up "$T/fu" && [ "$(st_pid "$T/fu")" != "$P" ] &&
	    [ "$(st_pid "$T/fu")" != "$P2" ]'
	check "C: the pid in the status runs" eval 'alive "$(st_pid "$T/fu")"'
	ctl "$T/fu" x
	check "C: 'x' ends it" wait_until 10 gone "$SUP"
	check_eq "C: nothing left" 0 "$(nprocs_under "$T/fu")"
fi

done_testing
