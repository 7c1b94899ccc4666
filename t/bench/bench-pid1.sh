#!/bin/sh
# t/bench/bench-pid1.sh: svscan as PID 1 of a container beside tini,
# dumb-init, s6-svscan and runit's runsvdir as PID 1, in the same run
# (issue 7, item 9). Run by make bench, never by make check. Writes the
# "## Containers: svscan as PID 1" section of doc/performance.md
# (BENCH_DOC= to print only). The scenarios and figures are described at
# the top of t/bench/pid1.py, which does the work.
#
#   BENCH_QUICK=1        smoke run: 3 samples of each scenario
#   BENCH_SAMPLES=10     samples with 10 services (scenarios a and c)
#   BENCH_SAMPLES100=5   samples with 100 services (scenario b)
#   BENCH_SCEN="a b c"   the scenarios to run
#   BENCH_SYSTEMS="tend s6 runit tini dumb-init"
#   BENCH_HANG=15        seconds before a PID 1 that does not exit is
#                        killed (and reported as hanging)
#   BENCH_S6HANG=0       skip the one s6 sample without timeout-kill
#   BENCH_TEND=DIR       tend's svscan and supervise from DIR
#   BENCH_TEND_ALT=DIR   a second tend (a patch) in the same run, as "tend-alt"
#   BENCH_TMP=/dev/shm   where the scratch service directories go
#
# Needs root (unshare -pf --mount-proc): skipped, visibly, otherwise. As
# root it installs what is missing (tini dumb-init s6 runit musl-tools)
# with apt-get; an anchor still missing is skipped visibly, its column
# empty. tend is built static (musl) into a scratch directory, never into
# bin/ (others may be building there); without musl-gcc, bin/ is used.
cd "$(dirname "$0")/../.." || exit 111
top=$(pwd)

if [ "$(id -u)" != 0 ]; then
	echo "bench-pid1: skipped: needs root (unshare -pf --mount-proc)" >&2
	exit 0
fi

need=
for f in /usr/bin/tini /usr/bin/dumb-init /usr/bin/s6-svscan \
    /usr/bin/s6-supervise /usr/bin/runsvdir /usr/bin/runsv /usr/bin/musl-gcc; do
	[ -x "$f" ] || need=yes
done
if [ -n "$need" ] && command -v apt-get >/dev/null; then
	echo "bench-pid1: installing tini dumb-init s6 runit musl-tools" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    tini dumb-init s6 runit musl-tools >&2 ||
	    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q tini dumb-init s6 runit musl-tools >&2; }
fi
command -v python3 >/dev/null ||
    { echo "bench-pid1: skipped: python3 missing: apt-get install python3" >&2; exit 0; }
if ! unshare -pf --mount-proc true 2>/dev/null; then
	echo "bench-pid1: skipped: unshare -pf --mount-proc failed (util-linux; a container without CAP_SYS_ADMIN?)" >&2
	exit 0
fi

tmp=${BENCH_TMP:-/dev/shm}
[ -d "$tmp" ] && [ -w "$tmp" ] || tmp=${TMPDIR:-/tmp}
scratch=$(mktemp -d "$tmp/tend-pid1.XXXXXX") || exit 111
# Binaries on disk, synced: a page of a file on tmpfs is dirty, and would
# count as Private_Dirty of the one process mapping it.
mkdir -p t/bench/out
out=$(mktemp -d "$top/t/bench/out/pid1.XXXXXX") || exit 111
trap 'rm -rf "$scratch" "$out"' EXIT
trap 'exit 130' INT TERM

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src 2>/dev/null)" ]; then
	commit="$commit + uncommitted src/"
fi

if [ -n "$BENCH_TEND" ]; then
	tend=$BENCH_TEND
	build="tend from $BENCH_TEND"
elif command -v musl-gcc >/dev/null; then
	mkdir -p "$out/obj"
	cflags="-O2 -std=c99 -D_GNU_SOURCE -Isrc/lib"
	objs=
	for c in src/lib/*.c; do
		o=$out/obj/$(basename "$c" .c).o
		if musl-gcc -static $cflags -c -o "$o" "$c" 2>"$out/obj/err"; then
			objs="$objs $o"
		else
			echo "bench-pid1: warning: $c does not compile, left out" >&2
		fi
	done
	for p in svscan supervise; do
		musl-gcc -static $cflags -o "$out/$p" "src/$p.c" $objs \
		    2>"$out/obj/err" ||
		    { echo "bench-pid1: fatal: tend's $p did not build" >&2
		    cat "$out/obj/err" >&2; exit 111; }
	done
	sync "$out"/svscan "$out"/supervise 2>/dev/null || sync
	tend=$out
	build="tend $commit, static musl (musl-gcc -static -O2)"
else
	tend=$top/bin
	build="tend $commit, bin/ (make; no musl-gcc: apt-get install musl-tools)"
fi
[ -x "$tend/svscan" ] && [ -x "$tend/supervise" ] ||
    { echo "bench-pid1: fatal: no svscan and supervise in $tend (make first)" >&2; exit 111; }

# A second tend to compare in the same run, copied to disk like the first.
alt=
if [ -n "$BENCH_TEND_ALT" ]; then
	mkdir -p "$out/alt"
	cp "$BENCH_TEND_ALT/svscan" "$BENCH_TEND_ALT/supervise" "$out/alt/" ||
	    { echo "bench-pid1: fatal: no svscan and supervise in $BENCH_TEND_ALT" >&2; exit 111; }
	sync "$out"/alt/* 2>/dev/null || sync
	alt=$out/alt
fi

cmd="sh t/bench/bench-pid1.sh (part of make bench)"
for v in BENCH_QUICK BENCH_SAMPLES BENCH_SAMPLES100 BENCH_SCEN BENCH_SYSTEMS \
    BENCH_TEND BENCH_TEND_ALT BENCH_HANG BENCH_S6HANG; do
	eval "val=\${$v}"
	[ -n "$val" ] && cmd="$v=\"$val\" $cmd"
done

P1_SCRATCH=$scratch P1_TEND=$tend P1_TEND_ALT=$alt P1_BUILD=$build P1_CMD=$cmd \
P1_DOC=${BENCH_DOC-$top/doc/performance.md} \
    python3 t/bench/pid1.py
