# t/helpers/clients.sh: shell functions shared by t/svc.sh, t/svstat.sh
# and t/svok.sh, sourced after t/lib.sh: start a supervisor of any family
# on a directory, and forge status records of every layout.

# mksv DIR [RUN]: a service directory; RUN defaults to a long sleep.
mksv() {
	mkdir -p "$1"
	printf '#!/bin/sh\n%s\n' "${2:-exec sleep 1000}" >"$1/run"
	chmod +x "$1/run"
}

# start KIND NAME: that family's supervisor on $T/NAME, in the background.
start() {
	case $1 in
	runit) _s=/usr/bin/runsv ;;
	daemontools) _s=/usr/bin/supervise ;;
	tend) _s=$BIN/supervise ;;
	esac
	(cd "$T" && exec "$_s" "$2") </dev/null >>"$T/$1.out" 2>&1 &
}

have() {
	case $1 in
	runit) [ -x /usr/bin/runsv ] ;;
	daemontools) [ -x /usr/bin/supervise ] ;;
	tend) [ -x "$BIN/supervise" ] ;;
	esac
}

# put_status DIR: write DIR/supervise/status by rename, as supervisors do,
# from st_len (18, 20 or 64 bytes), st_age (seconds since the last change),
# st_pid, st_paused, st_want (u, d, or 0: daemontools' "once"), st_term,
# st_state, and tend's st_flags, st_runpid, st_wstatus, st_short,
# st_starts and st_due (seconds from now until the next start).
put_status() {
	_d=$1
	_now=$(date +%s)
	case $st_want in u) _w=117 ;; d) _w=100 ;; *) _w=0 ;; esac
	set -- $(tai $((_now - st_age))) $(le32 "$st_pid") "$st_paused" "$_w" \
	    "$st_term" "$st_state" 1 "$st_flags" 0 0 $(le32 "$st_runpid") \
	    $(le32 "$st_wstatus") $(tai $((_now - st_age))) \
	    $(le32 "$st_short") $(tai $((_now + st_due))) $(le32 "$st_starts")
	_f=
	_n=0
	for _b; do
		[ "$_n" -lt "$st_len" ] || break
		_f=$_f$(printf '\\%03o' "$_b")
		_n=$((_n + 1))
	done
	mkdir -p "$_d/supervise"
	printf "$_f" >"$_d/supervise/status.new"
	mv "$_d/supervise/status.new" "$_d/supervise/status"
}

# djb's TAI64N label of unix time $1: 12 bytes, big-endian, no nanoseconds.
tai() {
	_t=$(($1 + 10))
	echo 64 $(((_t >> 48) & 255)) $(((_t >> 40) & 255)) \
	    $(((_t >> 32) & 255)) $(((_t >> 24) & 255)) $(((_t >> 16) & 255)) \
	    $(((_t >> 8) & 255)) $((_t & 255)) 0 0 0 0
}

le32() {
	echo $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) \
	    $((($1 >> 24) & 255))
}

# st_reset: an up service, runit's 20 bytes, changed 100 seconds ago.
st_reset() {
	st_len=20 st_age=100 st_pid=4242 st_paused=0 st_want=u st_term=0
	st_state=1 st_flags=0 st_runpid=4242 st_wstatus=0 st_short=0
	st_starts=1 st_due=0
}
