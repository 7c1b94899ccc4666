# t/helpers/sv.sh: shell functions shared by t/supervise-*.sh, t/svscan.sh and
# t/interop.sh, sourced after t/lib.sh. They read a service directory's
# supervise/ files (status through od, so byte order is explicit) and never
# block without a deadline.

# sbyte FILE N: byte N of FILE in decimal (empty if unreadable).
sbyte() {
	od -An -tu1 -j "$2" -N 1 "$1" 2>/dev/null | tr -d ' '
}

# su32 FILE N: the little-endian u32 at offset N of FILE.
su32() {
	set -- $(od -An -tu1 -j "$2" -N 4 "$1" 2>/dev/null)
	[ $# -eq 4 ] || return 1
	echo $(($1 + $2 * 256 + $3 * 65536 + $4 * 16777216))
}

# The status fields of service directory DIR (DIR/log for its logger).
st_pid() { su32 "$1/supervise/status" 12; }
st_paused() { sbyte "$1/supervise/status" 16; }
st_want() { sbyte "$1/supervise/status" 17; }	# 117 'u', 100 'd'
st_term() { sbyte "$1/supervise/status" 18; }
st_state() { sbyte "$1/supervise/status" 19; }	# 0 down, 1 run, 2 finish
st_flags() { sbyte "$1/supervise/status" 21; }
st_runpid() { su32 "$1/supervise/status" 24; }
st_starts() { su32 "$1/supervise/status" 60; }
# st_flag DIR BIT: the tend flag BIT (0x01 ready, 0x02 failed...) is set.
st_flag() {
	sv_f=$(st_flags "$1")
	[ -n "$sv_f" ] && [ $((sv_f & $2)) -ne 0 ]
}
statf() { cat "$1/supervise/stat" 2>/dev/null; }
pidf() { cat "$1/supervise/pid" 2>/dev/null; }

# status_text DIR: runit's stat text, rebuilt from supervise/status.
status_text() {
	set -- "$1" $(od -An -tu1 -N 22 "$1/supervise/status" 2>/dev/null)
	[ $# -eq 23 ] || return 1
	# $18 paused, $19 want, $20 got-TERM, $21 state, $23 tend's flags
	case ${21} in 0) sv_t=down ;; 1) sv_t=run ;; 2) sv_t=finish ;; *) return 1 ;; esac
	[ "${18}" = 1 ] && sv_t="$sv_t, paused"
	[ "${20}" = 1 ] && sv_t="$sv_t, got TERM"
	if [ "${21}" != 0 ] && [ "${19}" = 100 ]; then
		if [ $((${23} & 16)) -ne 0 ]; then
			sv_t="$sv_t, want exit"
		else
			sv_t="$sv_t, want down"
		fi
	fi
	echo "$sv_t"
}

# stat_is DIR TEXT: supervise/stat reads exactly TEXT, and the status
# record (written after it) says the same.
stat_is() {
	[ "$(statf "$1")" = "$2" ] && [ "$(status_text "$1")" = "$2" ]
}

# st_pidstate DIR: "PID STATE" from one read of the status record (two
# separate reads could straddle a change).
st_pidstate() {
	set -- $(od -An -tu1 -j 12 -N 8 "$1/supervise/status" 2>/dev/null)
	[ $# -eq 8 ] || return 1
	echo "$(($1 + $2 * 256 + $3 * 65536 + $4 * 16777216)) $8"
}

# is_up DIR: state 1 with a pid.
is_up() {
	sv_ps=$(st_pidstate "$1") || return 1
	[ "${sv_ps#* }" = 1 ] && [ "${sv_ps% *}" != 0 ]
}

# is_down DIR: state 0, pid 0.
is_down() { [ "$(st_pidstate "$1")" = "0 0" ]; }

# up_other DIR OLDPID: up with a pid other than OLDPID.
up_other() {
	sv_ps=$(st_pidstate "$1") || return 1
	[ "${sv_ps#* }" = 1 ] && [ "${sv_ps% *}" != 0 ] &&
	    [ "${sv_ps% *}" != "$2" ]
}

# hist_has DIR ERE: a line of DIR/supervise/history matches ERE.
hist_has() { grep -Eq -- "$2" "$1/supervise/history" 2>/dev/null; }
# hist_count DIR ERE: how many lines match.
hist_count() {
	sv_c=$(grep -Ec -- "$2" "$1/supervise/history" 2>/dev/null)
	echo "${sv_c:-0}"
}

# ctl DIR BYTES: write BYTES to DIR/supervise/control, giving up after 5 s
# (an open of a FIFO nobody reads would block forever).
ctl() {
	timeout 5 sh -c 'printf "%s" "$1" > "$2"' ctl "$2" \
	    "$1/supervise/control"
}

# pstate PID: the one-letter state of PID from /proc (empty if gone).
pstate() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# gone PID: PID has exited (absent, or a zombie nobody reaped yet).
gone() {
	sv_s=$(pstate "$1")
	[ -z "$sv_s" ] || [ "$sv_s" = Z ]
}

# alive PID: PID runs (not a zombie).
alive() { ! gone "$1"; }

# pids_under DIR: the pids of the processes whose working directory is DIR
# or below it, sorted. One stat(1) reads every /proc/PID/cwd link:
#   '/proc/123/cwd' -> '/tmp/x/b c'
pids_under() {
	stat -c '%N' /proc/[0-9]*/cwd 2>/dev/null | awk -v d="$1" '
	    {
		i = index($0, "\047 -> \047")
		if (i == 0)
			next
		pid = substr($0, 8, i - 8 - 4)
		t = substr($0, i + 6, length($0) - i - 6)
		if (t == d || substr(t, 1, length(d) + 1) == d "/")
			print pid
	    }' | sort -n
}

# nprocs_under DIR: how many.
nprocs_under() { pids_under "$1" | wc -l | tr -d ' '; }

# now_ms: the clock in milliseconds.
now_ms() { date +%s%3N; }

# wait_ms MS CMD...: poll CMD every 10 ms until it succeeds or MS
# milliseconds have passed (then run it a last time).
wait_ms() {
	sv_end=$(($(now_ms) + $1))
	shift
	while [ "$(now_ms)" -lt "$sv_end" ]; do
		"$@" && return 0
		sleep 0.01
	done
	"$@"
}

# holds_for MS CMD...: CMD stays true for MS milliseconds (a bounded check
# that something does not happen, e.g. a service that must stay down).
holds_for() {
	sv_end=$(($(now_ms) + $1))
	shift
	while [ "$(now_ms)" -lt "$sv_end" ]; do
		"$@" || return 1
		sleep 0.01
	done
	"$@"
}

# mkrun DIR BODY: DIR/run = "#!/bin/sh" + BODY, executable.
mkrun() {
	mkdir -p "$1"
	printf '#!/bin/sh\n%s\n' "$2" > "$1/run.new"
	chmod 755 "$1/run.new"
	mv "$1/run.new" "$1/run"
}

# mkfile DIR/NAME BODY: a script, executable (finish, log/run...).
mkscript() {
	printf '#!/bin/sh\n%s\n' "$2" > "$1"
	chmod 755 "$1"
}

# hist_secs LINE: the time of day of a history record in seconds (for
# differences between two records of one test run).
hist_secs() {
	echo "$1" | sed -E 's/^[0-9-]+T([0-9]+):([0-9]+):([0-9.]+)Z.*/\1 \2 \3/' |
	    awk '{ printf "%.6f\n", $1 * 3600 + $2 * 60 + $3 }'
}

# secs_between A B: B - A, in seconds, of two history lines.
secs_between() {
	awk -v a="$(hist_secs "$1")" -v b="$(hist_secs "$2")" \
	    'BEGIN { printf "%.3f\n", b - a }'
}

# ge A B / lt A B: decimal comparisons.
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# is_zombie_or_gone PID, then reap with `wait`: the exit status of a child.
exit_of() {
	wait_until "${2:-10}" gone "$1" || return 255
	wait "$1"
}

# --- For t/supervise-*.sh (the other files define their own start_sv).

# supervise_setup: the helper programs (lines, probe) built and on PATH.
supervise_setup() {
	PATH=$HELPERS:$PATH
	export PATH
	for sv_h in lines probe; do
		[ -x "$HELPERS/$sv_h" ] ||
		    make -s -C "$TOP" "t/helpers/bin/$sv_h" >/dev/null
	done
}

# start_sv DIR: supervise $T/DIR, started from $T with its relative name;
# stdout to $T/DIR.stdout, stderr to $T/DIR.err. Sets SVPID.
start_sv() {
	(cd "$T" && exec supervise "$1" >"$T/$1.stdout" 2>"$T/$1.err") &
	SVPID=$!
}

# last_line FILE WANT: the last line of FILE is WANT.
last_line() { [ "$(tail -n 1 "$1" 2>/dev/null)" = "$2" ]; }

# sig_since N NAME: a line NAME was appended to sig.log after its first N.
sig_since() { tail -n "+$(($1 + 1))" "$T/sig.log" | grep -qx "$2"; }
# nsig: how many lines sig.log has.
nsig() { wc -l < "$T/sig.log" | tr -d ' '; }

# lines_at_least FILE N: FILE has N lines or more.
lines_at_least() { [ "$(wc -l < "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }
