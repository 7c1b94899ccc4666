#!/usr/bin/env python3
"""t/bench/pid1.py: svscan as PID 1 of a container, beside tini, dumb-init,
s6-svscan and runit's runsvdir as PID 1 (issue 7, item 9).

Driven by t/bench/bench-pid1.sh (root; it builds tend and passes P1_*).
Each system runs as PID 1 of a fresh PID namespace (unshare -pf
--mount-proc), the way a container runtime starts its entrypoint:

  tend       svscan DIR
  s6         s6-svscan DIR (same run scripts)
  runit      runsvdir DIR (same run scripts)
  tini       tini -- sh launch     launch: every run script in the
  dumb-init  dumb-init sh launch   background, then `wait` (the usual
                                   pattern: they supervise nothing)

Every service is the same sh run script: it sets its TERM trap, writes
an "up" marker, then sleeps in `sleep 1000 & wait $!`; its trap writes a
"term" marker and exits 0. Scenarios:

  a  10 services, all handling TERM
  b  100 services, all handling TERM
  c  10 services, one of which ignores TERM (trap '' TERM); timeout-kill
     500 for tend, and the same file (its equivalent) for s6; runit, tini
     and dumb-init have no such knob.

Per sample: start the namespace, wait until every "up" marker is there,
let it settle, read PID 1's /proc/PID/smaps_rollup (and the sum over
the supervision processes: everything in the namespace but the services'
sh and sleep), send SIGTERM to PID 1 from the parent namespace and time
until unshare exits (the namespace is empty by then: the kernel reaps
every process of a dying namespace before its init is reaped), then
count the "term" markers (services that ran their TERM trap) and the
CPU time the shutdown took, all processes of the namespace together,
from a cgroup of our own (CpuGroup below). Systems
are interleaved per sample, the order rotated each sample. A PID 1 that
has not exited after BENCH_HANG seconds is killed with SIGKILL and the
sample is reported as a hang. Only the standard library is used.
"""
import os
import platform
import select
import signal
import subprocess
import sys
import time

ENV = os.environ
QUICK = ENV.get("BENCH_QUICK", "") not in ("", "0")
SAMPLES = int(ENV.get("BENCH_SAMPLES", "3" if QUICK else "10"))
SAMPLES100 = int(ENV.get("BENCH_SAMPLES100", "3" if QUICK else "5"))
SCEN = ENV.get("BENCH_SCEN", "a b c").split()
HANG = float(ENV.get("BENCH_HANG", "15"))
S6HANG = ENV.get("BENCH_S6HANG", "1") not in ("", "0")
SETTLE = 0.2        # s after the last "up" marker, before measuring
UPWAIT = 30.0       # s: the most we wait for every service to be up
SCRATCH = os.path.realpath(ENV["P1_SCRATCH"])
TEND = ENV["P1_TEND"]
DOC = ENV.get("P1_DOC", "")
PATHENV = "/usr/sbin:/usr/bin:/sbin:/bin"
SECTION = "## Containers: svscan as PID 1"


def say(*a):
    print("bench-pid1:", *a, file=sys.stderr, flush=True)


def now():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def has(p):
    return os.access(p, os.X_OK)


# name: (argv after unshare, needed binaries, kind of scan directory)
SYSTEMS = {
    "tend": ([os.path.join(TEND, "svscan"), "{dir}"],
             [os.path.join(TEND, "svscan"), os.path.join(TEND, "supervise")],
             "scan"),
    "s6": (["/usr/bin/s6-svscan", "{dir}"],
           ["/usr/bin/s6-svscan", "/usr/bin/s6-supervise"], "scan"),
    "runit": (["/usr/bin/runsvdir", "{dir}"],
              ["/usr/bin/runsvdir", "/usr/bin/runsv"], "scan"),
    "tini": (["/usr/bin/tini", "--", "/bin/sh", "{launch}"],
             ["/usr/bin/tini"], "launch"),
    "dumb-init": (["/usr/bin/dumb-init", "/bin/sh", "{launch}"],
                  ["/usr/bin/dumb-init"], "launch"),
}
ORDER = ["tend", "s6", "runit", "tini", "dumb-init"]
# BENCH_TEND_ALT=DIR: a second tend (a patch, say) in the same run
ALT = ENV.get("P1_TEND_ALT", "")
if ALT:
    SYSTEMS["tend-alt"] = ([os.path.join(ALT, "svscan"), "{dir}"],
                           [os.path.join(ALT, "svscan"),
                            os.path.join(ALT, "supervise")], "scan")
    ORDER.insert(1, "tend-alt")
ONLY = ENV.get("BENCH_SYSTEMS", "").split()
PRESENT = []
MISSING = {}
for _n in ORDER:
    if ONLY and _n not in ONLY and _n not in ("tend", "tend-alt"):
        continue
    gone = [b for b in SYSTEMS[_n][1] if not has(b)]
    if gone:
        pkg = {"tend": "make", "tend-alt": "build it", "s6": "apt-get install s6",
               "runit": "apt-get install runit",
               "tini": "apt-get install tini",
               "dumb-init": "apt-get install dumb-init"}[_n]
        MISSING[_n] = "%s not installed: %s" % (gone[0], pkg)
        say("skipped %s: %s" % (_n, MISSING[_n]))
    else:
        PRESENT.append(_n)

SCENARIOS = {
    "a": {"n": 10, "deaf": 0, "samples": SAMPLES,
          "title": "10 services, all handling TERM"},
    "b": {"n": 100, "deaf": 0, "samples": SAMPLES100,
          "title": "100 services, all handling TERM"},
    "c": {"n": 10, "deaf": 1, "samples": SAMPLES,
          "title": "10 services, one ignoring TERM (timeout-kill 500 for "
                   "tend and s6)"},
}


# ---------------------------------------------------------------- setup

def rmtree(p):
    if os.path.lexists(p):
        subprocess.run(["rm", "-rf", p], check=True)


def write_exec(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def make_tree(root, n, deaf, timeout_kill):
    """root/sv: a scan directory of n services (the last deaf ones ignore
    TERM); root/launch: the script for tini and dumb-init; root/m: the
    markers, whose directory it returns."""
    rmtree(root)
    m = os.path.join(root, "m")
    sv = os.path.join(root, "sv")
    os.makedirs(m)
    os.mkdir(sv)
    names = ["s%03d" % i for i in range(n)]
    for i, s in enumerate(names):
        d = os.path.join(sv, s)
        os.mkdir(d)
        if i >= n - deaf:
            trap = "trap '' TERM"
        else:
            trap = "trap 'echo done >> %s/term.%s; exit 0' TERM" % (m, s)
        write_exec(os.path.join(d, "run"),
                   "#!/bin/sh\n%s\necho up > %s/up.%s\n"
                   "while :; do sleep 1000 & wait $!; done\n" % (trap, m, s))
        if timeout_kill:
            with open(os.path.join(d, "timeout-kill"), "w") as f:
                f.write("%d\n" % timeout_kill)
    # for tini and dumb-init: every service in the background, then wait
    write_exec(os.path.join(root, "launch"),
               "#!/bin/sh\nfor s in %s/s*/; do (cd \"$s\" && exec ./run) & "
               "done\nwait\n" % sv)
    return m


def markers(m, kind):
    try:
        return sum(1 for f in os.listdir(m) if f.startswith(kind + "."))
    except OSError:
        return 0


# ---------------------------------------------------------------- /proc

def smaps(pid):
    r = {}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                p = line.split()
                if len(p) >= 3 and p[2] == "kB":
                    r[p[0].rstrip(":")] = int(p[1])
    except OSError:
        return None
    return r


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, t)) as f:
                    todo += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return out


class CpuGroup:
    """A cgroup of our own that counts the CPU time of everything in it
    (cgroup v1 cpuacct, else v2 cpu.stat); unshare joins it before exec,
    so every process of the namespace is counted, also those the
    namespace's teardown kills. Without one, CPU is not reported."""

    def __init__(self):
        self.dir = self.file = None
        name = "tend-bench-pid1.%d" % os.getpid()
        for base, f in (("/sys/fs/cgroup/cpuacct", "cpuacct.usage"),
                        ("/sys/fs/cgroup", "cpu.stat"),
                        ("/sys/fs/cgroup/unified", "cpu.stat")):
            if not os.path.exists(os.path.join(base, f)):
                continue
            d = os.path.join(base, name)
            try:
                os.mkdir(d)
            except OSError:
                continue
            if os.path.exists(os.path.join(d, f)):
                self.dir, self.file = d, os.path.join(d, f)
                break
            os.rmdir(d)

    def join(self):
        """In the child, before exec."""
        if self.dir:
            with open(os.path.join(self.dir, "cgroup.procs"), "w") as f:
                f.write("%d\n" % os.getpid())

    def ns(self):
        if not self.file:
            return None
        try:
            with open(self.file) as f:
                t = f.read()
        except OSError:
            return None
        if self.file.endswith("cpuacct.usage"):
            return int(t)
        for line in t.split("\n"):
            if line.startswith("usage_usec "):
                return int(line.split()[1]) * 1000
        return None

    def remove(self):
        if self.dir:
            try:
                os.rmdir(self.dir)
            except OSError:
                pass


CG = None


def exe(pid):
    try:
        return os.path.realpath(os.readlink("/proc/%d/exe" % pid))
    except OSError:
        return ""


SERVICE_EXES = {os.path.realpath("/bin/sh"), os.path.realpath("/bin/sleep"),
                os.path.realpath("/usr/bin/sleep")}


# ---------------------------------------------------------------- a sample

def one(sysname, scen, k):
    """One sample of one system: a dict of figures."""
    sc = SCENARIOS[scen]
    argv0, _, kind = SYSTEMS[sysname]
    root = os.path.join(SCRATCH, "%s-%s" % (scen, sysname))
    tk = 500 if sc["deaf"] and sysname in ("tend", "tend-alt", "s6") \
        else 0
    if sysname == "s6-nokill":
        argv0 = SYSTEMS["s6"][0]
    m = make_tree(root, sc["n"], sc["deaf"], tk)
    argv = ["/usr/bin/unshare", "-pf", "--mount-proc"] + \
        [a.replace("{dir}", root + "/sv").replace("{launch}", root + "/launch")
         for a in argv0]
    err = open(root + ".err", "ab")
    up = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err,
                          stderr=err, cwd="/", env={"PATH": PATHENV},
                          start_new_session=True, preexec_fn=CG.join)
    err.close()
    r = {"up": False}
    pfd = os.pidfd_open(up.pid)
    try:
        end = time.monotonic() + UPWAIT
        pid1 = None
        while time.monotonic() < end:
            if pid1 is None:
                c = children(up.pid)
                if c:
                    pid1 = c[0]
            if pid1 is not None and markers(m, "up") >= sc["n"]:
                break
            if up.poll() is not None:
                break
            time.sleep(0.005)
        if pid1 is None or markers(m, "up") < sc["n"]:
            say("%s %s: only %d of %d services up after %.0f s"
                % (scen, sysname, markers(m, "up"), sc["n"], UPWAIT))
            return r
        r["up"] = True
        time.sleep(SETTLE)
        mm = smaps(pid1) or {}
        r["pss"] = mm.get("Pss")
        r["pd"] = mm.get("Private_Dirty")
        tot = 0
        for p in descendants(pid1):
            if p != pid1 and exe(p) in SERVICE_EXES:
                continue
            s = smaps(p)
            if s:
                tot += s.get("Pss", 0)
        r["sup_pss"] = tot
        cpu0 = CG.ns()
        t0 = now()
        os.kill(pid1, signal.SIGTERM)
        ready = select.select([pfd], [], [], HANG)[0]
        t1 = now()
        if ready:
            r["ms"] = (t1 - t0) / 1e6
            r["hang"] = False
        else:
            r["ms"] = None
            r["hang"] = True
            os.kill(pid1, signal.SIGKILL)
            select.select([pfd], [], [], 10)
        rc = up.wait(10)
        r["rc"] = "killed" if r["hang"] else rc
        cpu1 = CG.ns()
        r["cpu"] = None if cpu0 is None or cpu1 is None else \
            (cpu1 - cpu0) / 1e6
        r["graceful"] = markers(m, "term")
    finally:
        os.close(pfd)
        if up.poll() is None:
            try:
                os.killpg(up.pid, signal.SIGKILL)
            except OSError:
                pass
            up.wait()
        rmtree(root)
    return r


def run_scenario(scen):
    sc = SCENARIOS[scen]
    systems = list(PRESENT)
    res = {s: [] for s in systems}
    say("scenario %s: %s, %d samples of %s"
        % (scen, sc["title"], sc["samples"], " ".join(systems)))
    for k in range(sc["samples"]):
        order = systems[k % len(systems):] + systems[:k % len(systems)]
        for s in order:
            r = one(s, scen, k)
            res[s].append(r)
        say("  sample %d: %s" % (k + 1, ", ".join(
            "%s %s" % (s, short(res[s][-1])) for s in systems)))
    if scen == "c" and S6HANG and "s6" in systems:
        say("scenario c: s6 once more without timeout-kill (bounded %.0f s)"
            % HANG)
        SYSTEMS["s6-nokill"] = SYSTEMS["s6"]
        res["s6-nokill"] = [one("s6-nokill", scen, 0)]
        say("  s6 without timeout-kill: %s" % short(res["s6-nokill"][0]))
    return res


def short(r):
    if not r.get("up"):
        return "not up"
    if r.get("hang"):
        return "hang, %d graceful" % r["graceful"]
    cpu = "" if r.get("cpu") is None else " (CPU %.1f)" % r["cpu"]
    return "%.1f ms%s, %d graceful" % (r["ms"], cpu, r["graceful"])


# ---------------------------------------------------------------- report

def q(xs, p):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' "
             "/proc/meminfo")
    deb = sh("cat /etc/debian_version")
    pk = sh("dpkg-query -W -f '${Package} ${Version}, ' tini dumb-init s6 "
            "runit dash 2>/dev/null").rstrip(", ")
    libc = platform.libc_ver()
    return ("%d cores (%s), %s RAM, Linux %s, Debian %s, %s %s; %s"
            % (os.cpu_count(), cpu or "?", mem, platform.release(), deb,
               libc[0], libc[1], pk))


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def cell_time(rs):
    ok = [r for r in rs if r.get("up")]
    if not ok:
        return "not up"
    hangs = sum(1 for r in ok if r.get("hang"))
    ms = [r["ms"] for r in ok if not r.get("hang")]
    if hangs and not ms:
        return "hangs (killed at %.0f s)" % HANG
    s = "%.1f ms (p90 %.1f)" % (q(ms, 0.5), q(ms, 0.9))
    if hangs:
        s += ", %d of %d hang" % (hangs, len(ok))
    return s


def cell_grace(rs, n):
    g = [r["graceful"] for r in rs if r.get("up")]
    if not g:
        return "–"
    lo, hi = min(g), max(g)
    return ("%d of %d" % (lo, n)) if lo == hi else \
        ("%d–%d of %d (median %g)" % (lo, hi, n, q(g, 0.5)))


def cell_cpu(rs):
    v = q([r.get("cpu") for r in rs if r.get("up") and not r.get("hang")],
          0.5)
    return "–" if v is None else "%.1f ms" % v


def cell_kb(rs, key):
    v = q([r.get(key) for r in rs if r.get("up")], 0.5)
    return "–" if v is None else "%.0f kB" % v


def cell_rc(rs):
    c = sorted({str(r.get("rc")) for r in rs if r.get("up") and "rc" in r})
    return "/".join(str(x) for x in c) if c else "–"


NOTES = {
    "tend": "svscan DIR",
    "tend-alt": "svscan DIR, BENCH_TEND_ALT",
    "s6": "s6-svscan DIR",
    "s6-nokill": "s6-svscan DIR, no timeout-kill",
    "runit": "runsvdir DIR",
    "tini": "tini -- sh launch",
    "dumb-init": "dumb-init sh launch",
}


def report(R):
    L = []
    for scen in SCEN:
        if scen not in R:
            continue
        sc = SCENARIOS[scen]
        res = R[scen]
        L.append("%s) %s; %d samples (%s for s6 without timeout-kill):"
                 % (scen, sc["title"], sc["samples"],
                    "1" if "s6-nokill" in res else "none")
                 if scen == "c" else
                 "%s) %s; %d samples:" % (scen, sc["title"], sc["samples"]))
        L.append("")
        L.append("| PID 1 | SIGTERM → exit, median (p90) | CPU used by "
                 "the shutdown, all processes | services that "
                 "ran their TERM trap | exit status | PID 1 Pss | PID 1 "
                 "Private_Dirty | supervision Pss (all but the services) |")
        L.append("| --- " * 8 + "|")
        for s in [x for x in ORDER + ["s6-nokill"] if x in res]:
            rs = res[s]
            L.append("| %s (`%s`) | %s | %s | %s | %s | %s | %s | %s |" % (
                s if s != "s6-nokill" else "s6", NOTES[s], cell_time(rs),
                cell_cpu(rs),
                cell_grace(rs, sc["n"]), cell_rc(rs), cell_kb(rs, "pss"),
                cell_kb(rs, "pd"), cell_kb(rs, "sup_pss")))
        for s, why in MISSING.items():
            L.append("| %s | skipped: %s | | | | | | |" % (s, why))
        L.append("")
    return L


def med(R, scen, s):
    rs = R.get(scen, {}).get(s, [])
    return q([r.get("ms") for r in rs if r.get("up") and not r.get("hang")],
             0.5)


def all_graceful(R, scen, s, n):
    rs = [r for r in R.get(scen, {}).get(s, []) if r.get("up")]
    return bool(rs) and all(r["graceful"] == n for r in rs)


def targets(R):
    T = []
    if "a" in R and "tend" in R["a"]:
        t, s6 = med(R, "a", "tend"), med(R, "a", "s6")
        g = all_graceful(R, "a", "tend", 10)
        if t is None or s6 is None:
            T.append("- 10 services, graceful, within s6-svscan's time in "
                     "the same run: not measured (tend %s, s6 %s)"
                     % (t, s6))
        else:
            ok = g and t <= s6
            T.append("- 10 services, graceful, within s6-svscan's time in "
                     "the same run: tend %.1f ms, s6-svscan %.1f ms, tend "
                     "graceful in every sample: %s — %s"
                     % (t, s6, "yes" if g else "no",
                        "met" if ok else "**missed**"))
    if "b" in R and "tend" in R["b"]:
        t = med(R, "b", "tend")
        g = all_graceful(R, "b", "tend", 100)
        if t is None:
            T.append("- 100 services, graceful, < 100 ms: not measured")
        else:
            ok = g and t < 100
            T.append("- 100 services, graceful, < 100 ms: tend %.1f ms, "
                     "graceful in every sample: %s — %s"
                     % (t, "yes" if g else "no",
                        "met" if ok else "**missed**"))
    return T


def write_doc(L, T, meta):
    sec = [SECTION, ""]
    sec.append("Measured by `t/bench/bench-pid1.sh` (part of `make bench`; "
               "driver `t/bench/pid1.py`), on %s, %s." % (meta["date"],
                                                         meta["build"]))
    sec.append("")
    sec.append("Command: `%s`" % meta["cmd"])
    sec.append("")
    sec.append("Machine: %s. Load average at the start %s, at the end %s; "
               "the run took %.0f s." % (meta["machine"], meta["load0"],
                                          meta["load1"], meta["secs"]))
    sec.append("")
    sec.append(
        "Each system is PID 1 of a fresh PID namespace (`unshare -pf "
        "--mount-proc`), as a container runtime starts its entrypoint. "
        "Every service is the same `sh` run script: `trap 'echo done >> "
        "MARKER; exit 0' TERM`, an \"up\" marker, then `while :; do sleep "
        "1000 & wait $!; done`; the TERM-ignorer has `trap '' TERM`. tend, "
        "s6-svscan and runsvdir supervise a scan directory of these; tini "
        "and dumb-init run one `sh` script that starts every run script in "
        "the background and `wait`s (the usual pattern: they supervise "
        "nothing). Once every service has written its up marker and %.1f s "
        "more has passed, PID 1's memory is read from "
        "/proc/PID/smaps_rollup (supervision Pss: the sum over PID 1 and "
        "everything in the namespace but the services' `sh` and `sleep`); "
        "then SIGTERM goes to PID 1 from the parent namespace, and the time "
        "runs to unshare's exit (the kernel reaps every process of the "
        "namespace before its init, so the container is empty then). "
        "\"Ran their TERM trap\" counts the markers written by the traps; "
        "CPU is that of every process of the namespace from the SIGTERM "
        "to the exit, from a cgroup of the run's own (cpuacct or cgroup2 "
        "cpu.stat), so it counts what the namespace's teardown kills too. "
        "Systems interleaved per sample, order rotated; median and p90. A "
        "PID 1 still there after %.0f s is killed (\"hangs\")."
        % (SETTLE, HANG))
    sec.append("")
    sec.append(
        "Knobs for the TERM-ignorer (scenario c): tend `timeout-kill` 500 "
        "(ms, then SIGKILL of the service's process group; svscan's overall "
        "deadline `-k` stays 9000); s6 has the same file, `timeout-kill` "
        "500 in the service directory (s6-supervise kills after it), and "
        "is also run once without it; runit has no such knob for "
        "runsvdir (`sv -w` is a client's wait, and runsvdir exits on TERM "
        "at once anyway); tini and dumb-init have none (the namespace's "
        "death kills what is left).")
    sec.append("")
    sec += L
    sec.append("Targets (issue 7), this run:")
    sec.append("")
    sec += T
    sec.append("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "pid1-notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            sec.append(f.read().rstrip("\n"))
        sec.append("")
    text = "\n".join(sec) + "\n"
    print(text)
    if not DOC:
        return
    old = ""
    if os.path.exists(DOC):
        with open(DOC) as f:
            old = f.read()
    if not old:
        old = "# Performance\n\n"
    lines = old.split("\n")
    start = next((i for i, l in enumerate(lines)
                  if l.strip() == SECTION), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].startswith("## ")), len(lines))
        tail = "\n".join(lines[end:])
        new = "\n".join(lines[:start]) + "\n" + text + \
            ("\n" + tail if tail.strip() else "")
        if start == 0:
            new = new.lstrip("\n")
    with open(DOC + ".new", "w") as f:
        f.write(new)
    os.rename(DOC + ".new", DOC)
    say("wrote the \"%s\" section of %s" % (SECTION[3:], DOC))


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    load0 = loadavg()
    t0 = time.monotonic()
    if "tend" not in PRESENT:
        say("fatal: tend's svscan is missing")
        return 111
    global CG
    CG = CpuGroup()
    if not CG.dir:
        say("no cgroup of our own (cpuacct or cgroup2): CPU not reported")
    R = {}
    try:
        for scen in SCEN:
            if scen in SCENARIOS:
                R[scen] = run_scenario(scen)
    finally:
        CG.remove()
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "build": ENV.get("P1_BUILD", "?"),
            "cmd": ENV.get("P1_CMD", "make bench"), "machine": machine(),
            "load0": load0, "load1": loadavg(),
            "secs": time.monotonic() - t0}
    write_doc(report(R), targets(R), meta)
    return 0


if __name__ == "__main__":
    sys.exit(main())
