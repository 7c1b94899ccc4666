#!/bin/sh
# t/bench/bench-tree.sh: tend's supervision tree against daemontools, runit
# and s6, side by side, and tend alone at 10,000 services (issues 4, 13). Run by
# make bench, never by make check. Writes the "## Supervision tree" section
# of doc/performance.md (BENCH_DOC= to print only).
#
#   BENCH_QUICK=1   smoke run: 100 services, 20 samples, 5 s idle windows
#   BENCH_IDLE=30   seconds of each idle window
#   BENCH_N, BENCH_NSTART, BENCH_SAMPLES, BENCH_REPS, BENCH_SCALE,
#   BENCH_PHASES="start idle lat scale", BENCH_SUITES="tend s6 ..."
#   BENCH_TEND=DIR  tend's binaries from DIR instead of a build of src/
#   BENCH_TEND_B=DIR  another build of tend (svscan, supervise, svc, svlog)
#                   measured side by side, in a table of its own
#   BENCH_FS=both   where the service directories go: "disk" (a directory
#                   under t/bench/out/, on the repository's filesystem, or
#                   under BENCH_DISK=DIR), "tmpfs" (/dev/shm, or
#                   BENCH_TMP=DIR), or "both" (the default: disk, then
#                   tmpfs; the idle and scale phases run on the first only)
#
# Builds tend (static musl) and the helpers (stamp, sink, floor, downwatch)
# into a scratch directory, never into bin/: others may be building there.
# As root
# it installs what is missing (daemontools runit s6 strace musl-tools) with
# apt-get; a missing anchor leaves its column empty, and the document is
# then not written (tree.py exits 1 and names what is missing).
cd "$(dirname "$0")/../.." || exit 111
top=$(pwd)

need=
for f in /usr/bin/supervise /usr/bin/multilog /usr/bin/runsv /usr/bin/svlogd \
    /usr/bin/s6-supervise /usr/bin/s6-log /usr/bin/strace /usr/bin/musl-gcc; do
	[ -x "$f" ] || need=yes
done
if [ -n "$need" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "bench-tree: installing daemontools runit s6 strace musl-tools" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    daemontools runit s6 strace musl-tools >&2 ||
	    { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q daemontools runit s6 strace musl-tools >&2; }
fi
command -v python3 >/dev/null || { echo "bench-tree: python3 missing" >&2; exit 111; }

# Service and supervise directories on the real disk (where /etc/service
# usually is, and where every file a supervisor writes costs), and on tmpfs
# (as /run/service would be).
fsmode=${BENCH_FS:-both}
case $fsmode in
disk | tmpfs | both) ;;
*) echo "bench-tree: fatal: BENCH_FS is disk, tmpfs or both, not $fsmode" >&2
	exit 100 ;;
esac
mkdir -p t/bench/out
disk=${BENCH_DISK:-$top/t/bench/out}
tmp=${BENCH_TMP:-/dev/shm}
[ -d "$tmp" ] && [ -w "$tmp" ] || tmp=${TMPDIR:-/tmp}
scratch=$(mktemp -d "$disk/tend-bench.XXXXXX") || exit 111
tscratch=
# Binaries go to disk, synced: a page of a file on tmpfs (or one not yet
# written back) is dirty, so a binary mapped by one process only (svscan)
# would count its whole text as Private_Dirty.
out=$(mktemp -d "$top/t/bench/out/bin.XXXXXX") || exit 111
trap 'rm -rf "$scratch" "$out" ${tscratch:+"$tscratch"}' EXIT
trap 'exit 130' INT TERM
fslist= fsdesc=
if [ "$fsmode" != tmpfs ]; then
	mkdir "$scratch/disk" || exit 111
	fslist="disk=$scratch/disk"
	fsdesc="disk=disk ($(df -PT "$scratch" |
	    awk 'NR == 2 { print $2 ", " $1 }'), $disk)"
fi
if [ "$fsmode" != disk ]; then
	tscratch=$(mktemp -d "$tmp/tend-bench.XXXXXX") || exit 111
	fslist="$fslist tmpfs=$tscratch"
	fsdesc="$fsdesc;tmpfs=tmpfs ($tmp)"
fi
mkdir -p "$scratch/obj"

# A static build wants musl; without it, glibc -static, and the report says.
if command -v musl-gcc >/dev/null; then
	cc="musl-gcc -static"
	ccname="musl-gcc -static -O2"
else
	cc="${CC:-cc} -static"
	ccname="${CC:-cc} -static -O2 (no musl-gcc: glibc)"
fi
cflags="-O2 -std=c99 -D_GNU_SOURCE -Isrc/lib"

# Library modules one by one: one that is being written and does not
# compile yet must not stop the others.
objs=
for c in src/lib/*.c; do
	o=$scratch/obj/$(basename "$c" .c).o
	if $cc $cflags -c -o "$o" "$c" 2>"$scratch/obj/err"; then
		objs="$objs $o"
	else
		echo "bench-tree: warning: $c does not compile, left out" >&2
	fi
done
for p in svscan supervise svc svlog; do
	[ -f "src/$p.c" ] || continue
	$cc $cflags -o "$out/$p" "src/$p.c" $objs 2>"$scratch/obj/err" ||
	    echo "bench-tree: warning: src/$p.c does not build" >&2
done
for p in svscan supervise svc; do
	[ -x "$out/$p" ] || { echo "bench-tree: fatal: tend's $p did not build" >&2
	    cat "$scratch/obj/err" >&2; exit 111; }
done
for p in stamp sink floor downwatch; do
	$cc -O2 -std=c99 -D_GNU_SOURCE -o "$out/$p" "t/bench/$p.c" || exit 111
done

sync "$out"/* 2>/dev/null || sync

logger=sink
[ -x "$out/svlog" ] && logger=native
[ -n "$BENCH_LOGGER" ] && logger=$BENCH_LOGGER

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src 2>/dev/null)" ]; then
	commit="$commit + uncommitted src/"
fi
# make sets MAKELEVEL: run by hand, the document names this script.
cmd="make bench"
[ -z "${MAKELEVEL:-}" ] && cmd="sh t/bench/bench-tree.sh"
[ -n "$BENCH_QUICK" ] && cmd="BENCH_QUICK=$BENCH_QUICK $cmd"
[ -n "$BENCH_IDLE" ] && cmd="BENCH_IDLE=$BENCH_IDLE $cmd"
for v in BENCH_FS BENCH_N BENCH_NSTART BENCH_SAMPLES BENCH_REPS BENCH_PHASES \
    BENCH_SUITES BENCH_SCALE; do
	eval "x=\${$v-}"
	[ -n "$x" ] && cmd="$v='$x' $cmd"
done

# BENCH_TEND=DIR: measure tend binaries built elsewhere (say, a patch).
BT_SCRATCH=$scratch BT_TEND=${BENCH_TEND:-$out} BT_STAMP=$out/stamp BT_SINK=$out/sink \
BT_FLOOR=$out/floor BT_DOWNWATCH=$out/downwatch BT_LOGGER=$logger \
BT_TEND_B=${BENCH_TEND_B:+$(cd "$BENCH_TEND_B" && pwd)} \
BT_COMMIT="tend $commit, $ccname" BT_FSLIST="$fslist" BT_FSDESC="$fsdesc" \
BT_CMD="$cmd" BT_DOC=${BENCH_DOC-$top/doc/performance.md} \
    python3 t/bench/tree.py
