#!/bin/sh
# .ci/bare-root.sh: README's two commands on a machine that has nothing.
# Builds a bare Debian root with mmdebstrap (build-essential and git only),
# clones this commit into it and, chrooted there with /proc mounted, runs
# as a new user would:
#   make run      sv/hello must come up (svstat says so), then ^C (TERM)
#   make check    as root: it must install the Check library itself and pass
# and, as an unprivileged user, a short make check that must show the unit
# tests as skipped with the command that enables them, and still pass.
# Nothing is cached between runs: every step starts from the bare root.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$top" rev-parse HEAD)
suite=${BARE_SUITE:-bookworm}
root=$(mktemp -d /var/tmp/tend-bare.XXXXXX)

cleanup() {
	for p in /proc/[0-9]*; do
		r=$(readlink "$p/root" 2>/dev/null) || continue
		[ "$r" = "$root" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	umount -l "$root/proc" 2>/dev/null || true
	rm -rf "$root"
}
# BARE_KEEP=1 leaves the root in place, to look into a failure.
[ -n "${BARE_KEEP:-}" ] || trap cleanup EXIT

t0=$(date +%s)
echo "== bare root: mmdebstrap --variant=apt --include=build-essential,git $suite"
mmdebstrap --quiet --variant=apt --include=build-essential,git "$suite" \
    "$root" >/dev/null
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc"
git clone -q "$top" "$root/root/tend"
git -C "$root/root/tend" checkout -q "$rev"
in_root() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
	    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    sh -c "$1"
}

echo "== bare root: make run"
in_root 'cd /root/tend
# make run in a session of its own: ^C is TERM to its process group, and
# only ours (the host'"'"'s processes are visible in /proc here).
setsid make run >/tmp/run.log 2>&1 &
mk=$!
mine() {
	for p in /proc/[0-9]*; do
		case "$(readlink "$p/cwd" 2>/dev/null)" in
		/root/tend/sv/*) echo "${p#/proc/}" ;;
		esac
	done
}
i=0
until bin/svstat sv/hello 2>/dev/null | grep -q "^sv/hello: up "; do
	i=$((i + 1))
	if [ "$i" -gt 3000 ]; then
		echo "sv/hello did not come up in 30 s"; cat /tmp/run.log
		kill -TERM -"$mk"; exit 1
	fi
	sleep 0.01
done
bin/svstat sv/hello
kill -TERM -"$mk"
i=0
while [ -n "$(mine)" ]; do
	i=$((i + 1))
	[ "$i" -gt 1000 ] && { echo "the tree did not stop on TERM"; exit 1; }
	sleep 0.01
done
echo "make run: sv/hello came up; the tree stopped on TERM"'

echo "== bare root: make check as an unprivileged user, without Check"
in_root 'useradd -m newuser && cp -a /root/tend /home/newuser/tend &&
chown -R newuser /home/newuser/tend'
in_root 'cd /home/newuser/tend && su newuser -s /bin/sh -c \
    "make -s clean && make -s check TESTS=t/svok.sh" >/tmp/user.log 2>&1
rc=$?
grep -v "^ok - " /tmp/user.log | tail -n 20
[ "$rc" -eq 0 ] && grep -q "^skip - unit tests.*apt-get install check pkg-config" /tmp/user.log'

echo "== bare root: make check as root"
in_root 'cd /root/tend && make check >/tmp/check.log 2>&1
rc=$?
grep "^make check: installing" /tmp/check.log
grep -v "^ok - " /tmp/check.log | tail -n 40
exit $rc'
echo "== bare root: passed in $(($(date +%s) - t0)) s"
