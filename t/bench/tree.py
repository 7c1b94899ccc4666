#!/usr/bin/env python3
"""t/bench/tree.py: tend's supervision tree against daemontools, runit and
s6, side by side, and tend alone up to 10,000 services (issue 4).

Driven by t/bench/bench-tree.sh, which builds the static binaries and passes
their places in the environment (BT_*). Every service is t/bench/stamp.c:
it reads CLOCK_MONOTONIC at the top of main() and sends "NS PID CWD" to our
unix datagram socket, so every latency runs from an event taken here (just
before kill(), just before spawning the control command, just before
spawning the scanner) to that stamp, on the same clock.

All suites run at the same time and their samples are interleaved (round
robin per batch, the order rotated each batch), so they share the machine's
noise. The floors are measured the same way: "floor sup" (fork, exec,
waitpid, again) is supervised like the others, "floor kill PID" stands for
svc -t, "floor spawn" starts N services with nothing else.

We make ourselves a child subreaper, so every orphan of a torn-down tree
comes back to us and is reaped (PID 1 in a container often does not).
Only the standard library is used.
"""
import ctypes
import os
import platform
import select
import signal
import socket
import statistics
import subprocess
import sys
import time

ENV = os.environ
QUICK = ENV.get("BENCH_QUICK", "") not in ("", "0")
IDLE = int(ENV.get("BENCH_IDLE", "5" if QUICK else "30"))
NMEM = int(ENV.get("BENCH_N", "100" if QUICK else "200"))
NSTART = int(ENV.get("BENCH_NSTART", "100" if QUICK else "1000"))
SAMPLES = int(ENV.get("BENCH_SAMPLES", "20" if QUICK else "100"))
REPS = int(ENV.get("BENCH_REPS", "1" if QUICK else "3"))
SCALE = [int(x) for x in ENV.get("BENCH_SCALE",
                                 "100 1000" if QUICK else "1000 10000").split()]
SCALE_SAMPLES = int(ENV.get("BENCH_SCALE_SAMPLES", "10" if QUICK else "30"))
BATCH = 10
MINUP = 1.5      # s: a service is killed only after this long (every
                 # supervisor here throttles runs shorter than 1 s)
GAP = 0.005      # s between samples, to let the last one's writes settle

SCRATCH = os.path.realpath(ENV["BT_SCRATCH"])
# The filesystems to measure on, "NAME=DIR NAME=DIR" (bench-tree.sh:
# disk, tmpfs or both); the first also gets the idle and scale phases.
FSLIST = [tuple(x.split("=", 1)) for x in
          ENV.get("BT_FSLIST", "tmpfs=" + SCRATCH).split()]
FSDESC = dict(tuple(x.split("=", 1)) for x in
              ENV.get("BT_FSDESC", "").split(";") if "=" in x)
CUR = {"base": SCRATCH, "fs": FSLIST[0][0]}   # where trees go now
TEND = ENV["BT_TEND"]            # directory of tend's static binaries
TEND_B = ENV.get("BT_TEND_B", "")    # another build, side by side
STAMP = ENV["BT_STAMP"]
SINK = ENV["BT_SINK"]
FLOOR = ENV["BT_FLOOR"]
DOWNWATCH = ENV.get("BT_DOWNWATCH", "")
DOC = ENV.get("BT_DOC", "")
LOGGER = ENV.get("BT_LOGGER", "sink")    # "native" or "sink"
SOCK = os.path.join(SCRATCH, "stamp.sock")
PATHENV = "/usr/sbin:/usr/bin:/sbin:/bin"

CLOCK = time.CLOCK_MONOTONIC


def now():
    return time.clock_gettime_ns(CLOCK)


def say(*a):
    print("bench-tree:", *a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- suites

def has(p):
    return os.access(p, os.X_OK)


SUITES = {}


def suite(name, **kw):
    SUITES[name] = kw


tend_logger = os.path.join(TEND, "svlog")
suite("tend",
      scanner=[os.path.join(TEND, "svscan"), "{root}"],
      scan_exe=os.path.join(TEND, "svscan"),
      sup_exe=[os.path.join(TEND, "supervise")],
      svc=lambda d, c="t": [os.path.join(TEND, "svc"), "-" + c, d],
      # svlog needs no argument (it defaults to ./main), so tend's log/run
      # is a symlink to it; the others' loggers need arguments, hence a
      # shell script.
      logger=([tend_logger] if LOGGER == "native" else None),
      present=has(os.path.join(TEND, "svscan")))
# BENCH_TEND_B=DIR: a second build of tend (a patch, another branch) in the
# same interleaved run; its figures go to a table of their own.
suite("tend-b",
      scanner=[os.path.join(TEND_B, "svscan"), "{root}"],
      scan_exe=os.path.join(TEND_B, "svscan"),
      sup_exe=[os.path.join(TEND_B, "supervise")],
      svc=lambda d, c="t": [os.path.join(TEND_B, "svc"), "-" + c, d],
      logger=([os.path.join(TEND_B, "svlog")]
              if LOGGER == "native" and has(os.path.join(TEND_B, "svlog"))
              else None),
      present=bool(TEND_B) and has(os.path.join(TEND_B, "svscan")))
suite("daemontools",
      scanner=["/usr/bin/svscan", "{root}"],
      scan_exe="/usr/bin/svscan",
      sup_exe=["/usr/bin/supervise"],
      svc=lambda d, c="t": ["/usr/bin/svc", "-" + c, d],
      logger=(["/usr/bin/multilog", "t", "./main"]
              if LOGGER == "native" else None),
      present=has("/usr/bin/svscan") and has("/usr/bin/supervise")
      and has("/usr/bin/multilog"))
suite("runit",
      scanner=["/usr/bin/runsvdir", "{root}"],
      scan_exe="/usr/bin/runsvdir",
      sup_exe=["/usr/bin/runsv"],
      svc=lambda d, c="t": ["/usr/bin/sv", c, d],
      logger=(["/usr/bin/svlogd", "-tt", "./main"]
              if LOGGER == "native" else None),
      present=has("/usr/bin/runsvdir") and has("/usr/bin/runsv"))
suite("s6",
      scanner=["/usr/bin/s6-svscan", "-c", "{cap}", "{root}"],
      scan_exe="/usr/bin/s6-svscan",
      sup_exe=["/usr/bin/s6-supervise"],
      svc=lambda d, c="t": ["/usr/bin/s6-svc", "-" + c, d],
      logger=(["/usr/bin/s6-log", "t", "./main"]
              if LOGGER == "native" else None),
      present=has("/usr/bin/s6-svscan") and has("/usr/bin/s6-supervise"))
# s6 again, with readiness notification: s6-supervise throttles a service
# that dies unready; this is the fair s6 figure for restart latency.
suite("s6-ready",
      scanner=SUITES["s6"]["scanner"], scan_exe=SUITES["s6"]["scan_exe"],
      sup_exe=SUITES["s6"]["sup_exe"], svc=SUITES["s6"]["svc"],
      logger=SUITES["s6"]["logger"], present=SUITES["s6"]["present"],
      notify=True)
suite("floor",
      scanner=None, scan_exe=None, sup_exe=[FLOOR],
      svc=lambda d, c="t": None, logger=None, present=True)

ANCHORS = ["daemontools", "runit", "s6"]
MAIN = ["tend"] + ANCHORS
ONLY = ENV.get("BENCH_SUITES", "").split()
for n in list(SUITES):
    if ONLY and n not in ONLY and n != "floor":
        SUITES[n]["present"] = False
        continue
    if not SUITES[n]["present"] and n != "tend-b":
        say("%s is not installed: its columns stay empty" % n)


def logger_exe(s):
    lg = SUITES[s]["logger"]
    return lg[0] if lg else SINK


def role(s, exe):
    d = SUITES[s]
    if exe == STAMP:
        return "service"
    if d["scan_exe"] and exe == d["scan_exe"]:
        return "scanner"
    if exe in d["sup_exe"]:
        return "supervisor"
    if exe == logger_exe(s):
        return "logger"
    return "other"


# ---------------------------------------------------------------- processes

def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def tree_procs(root):
    """(pid, exe) of every live process whose cwd is under root."""
    out = []
    pre = root + "/"
    me = os.getpid()
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            cwd = os.readlink("/proc/%s/cwd" % p)
            if cwd != root and not cwd.startswith(pre):
                continue
            exe = os.readlink("/proc/%s/exe" % p)
        except OSError:
            continue
        if int(p) != me:
            out.append((int(p), exe))
    return out


def kill_tree(root):
    for _ in range(200):
        ps = tree_procs(root)
        if not ps:
            break
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid, _ in ps:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
        reap()
        time.sleep(0.02)
    reap()


def spawn(argv, err=None, setsid=False):
    fa = []
    if err is not None:
        fa = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
              (os.POSIX_SPAWN_OPEN, 1, err,
               os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644),
              (os.POSIX_SPAWN_DUP2, 1, 2)]
    return os.posix_spawn(argv[0], argv, SPAWNENV, file_actions=fa,
                          setsid=setsid)


SPAWNENV = {"PATH": PATHENV, "STAMP_SOCK": SOCK}
SCANNERS = set()


# ---------------------------------------------------------------- stamps

class Stamps:
    def __init__(self):
        try:
            os.unlink(SOCK)
        except FileNotFoundError:
            pass
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.s.bind(SOCK)
        self.cur = {}       # cwd -> (pid, ns)

    def rx(self, timeout):
        """One stamp (ns, pid, cwd), or None after timeout seconds."""
        self.s.settimeout(max(timeout, 0.0001))
        try:
            m = self.s.recv(1024)
        except (socket.timeout, BlockingIOError):
            return None
        ns, pid, cwd = m.decode().split(" ", 2)
        ns, pid = int(ns), int(pid)
        self.cur[cwd] = (pid, ns)
        return ns, pid, cwd

    def drain(self):
        while self.rx(0) is not None:
            pass

    def wait_new(self, cwd, oldpid, timeout=5.0):
        """ns of the first stamp from cwd by another pid than oldpid."""
        end = time.monotonic() + timeout
        while True:
            c = self.cur.get(cwd)
            if c is not None and c[0] != oldpid:
                return c[1]
            left = end - time.monotonic()
            if left <= 0:
                return None
            self.rx(left)


ST = None


# ---------------------------------------------------------------- trees

class Tree:
    def __init__(self, s, n, logged, tag=""):
        self.s, self.n, self.logged = s, n, logged
        self.root = os.path.join(CUR["base"], "%s-%d%s" % (s, n, tag))
        self.dirs = [os.path.join(self.root, "s%05d" % i) for i in range(n)]
        self.pid = None
        self.floorpids = []
        self.next = 0
        self.lastkill = {}

    def make(self):
        d = SUITES[self.s]
        if os.path.isdir(self.root):
            subprocess.run(["rm", "-rf", self.root], check=True)
        os.makedirs(self.root)
        lg = d["logger"]
        for sd in self.dirs:
            os.mkdir(sd)
            os.symlink(STAMP, os.path.join(sd, "run"))
            if d.get("notify"):
                with open(os.path.join(sd, "notification-fd"), "w") as f:
                    f.write("3\n")
            if self.logged:
                ld = os.path.join(sd, "log")
                os.mkdir(ld)
                os.mkdir(os.path.join(ld, "main"))
                if lg is None:
                    os.symlink(SINK, os.path.join(ld, "run"))
                elif len(lg) == 1:
                    os.symlink(lg[0], os.path.join(ld, "run"))
                else:
                    with open(os.path.join(ld, "run"), "w") as f:
                        f.write("#!/bin/sh\nexec %s\n" % " ".join(lg))
                    os.chmod(os.path.join(ld, "run"), 0o755)

    def start(self):
        """Start the tree; returns the monotonic ns just before."""
        d = SUITES[self.s]
        err = self.root + ".err"
        if d["scanner"] is None:
            t0 = now()
            for sd in self.dirs:
                self.floorpids.append(spawn([FLOOR, "sup", sd], err, True))
            return t0
        argv = [a.replace("{root}", self.root)
                 .replace("{cap}", str(4 * self.n + 16)) for a in d["scanner"]]
        t0 = now()
        self.pid = spawn(argv, err, True)
        SCANNERS.add(self.pid)
        return t0

    def wait_running(self, t0, timeout):
        """Seconds from t0 to the last service stamp, and to the point
        where the loggers were seen running too (None on timeout)."""
        # stamps already taken (several trees start at once)
        done = [d for d in self.dirs if d in ST.cur and ST.cur[d][1] >= t0]
        want = set(self.dirs) - set(done)
        last = max((ST.cur[d][1] for d in done), default=0)
        end = time.monotonic() + timeout
        while want:
            left = end - time.monotonic()
            if left <= 0:
                return None, None
            m = ST.rx(left)
            if m is not None and m[2] in want:
                want.discard(m[2])
                last = max(last, m[0])
        tsvc = (last - t0) / 1e9
        if not self.logged:
            return tsvc, tsvc
        lexe = logger_exe(self.s)
        while time.monotonic() < end:
            t = now()
            k = sum(1 for _, e in tree_procs(self.root) if e == lexe)
            if k >= self.n:
                return tsvc, max(tsvc, (t - t0) / 1e9)
            time.sleep(0.01)
        return tsvc, None

    def stop(self):
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            SCANNERS.discard(self.pid)
        kill_tree(self.root)
        self.pid = None
        self.floorpids = []

    def all(self):
        """tree_procs(), plus the scanner: runsvdir does not chdir."""
        ps = tree_procs(self.root)
        if self.pid is not None and self.pid not in [p for p, _ in ps]:
            try:
                ps.append((self.pid, os.readlink("/proc/%d/exe" % self.pid)))
            except OSError:
                pass
        return ps

    def procs(self):
        return [(p, role(self.s, e)) for p, e in self.all()]

    def pick(self):
        """The next service old enough to be killed without a throttle."""
        for _ in range(2 * self.n):
            sd = self.dirs[self.next % self.n]
            self.next += 1
            c = ST.cur.get(sd)
            if c is None:
                continue
            if (now() - c[1]) / 1e9 >= MINUP:
                return sd
        # every one is younger than MINUP: wait for the oldest
        sd = min((d for d in self.dirs if d in ST.cur),
                 key=lambda d: ST.cur[d][1])
        time.sleep(max(0, MINUP - (now() - ST.cur[sd][1]) / 1e9))
        return sd


# ---------------------------------------------------------------- measures

def run_client(argv):
    """Spawn a control command; (ns just before, ms to its exit)."""
    t0 = now()
    cmd = os.posix_spawn(argv[0], argv, SPAWNENV)
    try:
        os.waitpid(cmd, 0)
    except ChildProcessError:
        pass
    return t0, (now() - t0) / 1e6


def sample(tree, kind):
    """One sample: {figure: value}. "kill": kill -KILL the service, ms to
    the new service's stamp. "svct": spawn `svc -t` (or its kin), ms to the
    new stamp, and ms of the command alone (spawn to its exit). "du": `svc
    -d`, ms until downwatch reads a status that says down (and its
    wake-ups), then `svc -u`, ms to the new stamp."""
    sd = tree.pick()
    ST.drain()
    old = ST.cur[sd][0]
    r = {}
    if kind == "kill":
        t0 = now()
        os.kill(old, signal.SIGKILL)
        ns = ST.wait_new(sd, old, 5.0)
        r["kill"] = None if ns is None else (ns - t0) / 1e6
    elif kind == "svct":
        argv = SUITES[tree.s]["svc"](sd)
        if argv is None:
            argv = [FLOOR, "kill", str(old)]
        t0, r["client"] = run_client(argv)
        ns = ST.wait_new(sd, old, 5.0)
        r["svct"] = None if ns is None else (ns - t0) / 1e6
        if tree.s == "floor":
            # the least client: a static program that does nothing
            r["client"] = run_client([FLOOR, "nop"])[1]
    elif kind == "du":
        r.update(sample_du(tree, sd, old))
    reap()
    time.sleep(GAP)
    return r


def sample_du(tree, sd, old):
    """svc -d, seen down by the status reader; then svc -u, to running."""
    r = {"down": None, "wake": None, "up": None}
    if not DOWNWATCH or SUITES[tree.s]["svc"](sd) is None:
        return r
    w = subprocess.Popen([DOWNWATCH, os.path.join(sd, "supervise")],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        if w.stdout.readline() != b"ready\n":
            return r
        t0, _ = run_client(SUITES[tree.s]["svc"](sd, "d"))
        rd, _, _ = select.select([w.stdout], [], [], 5.0)
        line = w.stdout.readline().split() if rd else []
        if len(line) == 3:
            r["down"] = (int(line[0]) - t0) / 1e6
            r["wake"] = int(line[1])
    finally:
        if w.poll() is None:
            w.kill()
        w.wait()
        w.stdout.close()
    t0, _ = run_client(SUITES[tree.s]["svc"](sd, "u"))
    ns = ST.wait_new(sd, old, 5.0)
    r["up"] = None if ns is None else (ns - t0) / 1e6
    return r


def latencies(trees, n, kinds=("kill", "svct", "du")):
    """n samples of each kind per tree, interleaved: {(suite, figure):
    [values]}."""
    res = {}
    order = list(trees)
    done = 0
    while done < n:
        b = min(BATCH, n - done)
        for t in order:
            for i in range(b):
                for k in kinds:
                    if k == "du" and t.s == "floor":
                        continue
                    for f, v in sample(t, k).items():
                        res.setdefault((t.s, f), []).append(v)
        order = order[1:] + order[:1]
        done += b
        say("latency: %d/%d samples per suite" % (done, n))
    return res


def smaps(pid):
    r = {}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                k, _, v = line.partition(":")
                if v.strip().endswith("kB"):
                    r[k] = int(v.split()[0])
    except OSError:
        return None
    return r


def memory(tree):
    by = {}
    tot = 0
    for pid, rl in tree.procs():
        m = smaps(pid)
        if m is None:
            continue
        by.setdefault(rl, []).append(m)
        tot += m.get("Pss", 0)
    out = {"tree_pss": tot / tree.n, "counts": {k: len(v) for k, v in by.items()}}
    for rl, ms in by.items():
        out[rl + "_pd"] = statistics.median(m.get("Private_Dirty", 0) for m in ms)
        out[rl + "_pss"] = statistics.median(m.get("Pss", 0) for m in ms)
        out[rl + "_rss"] = statistics.median(m.get("Rss", 0) for m in ms)
        out[rl + "_pd_sum"] = sum(m.get("Private_Dirty", 0) for m in ms) / tree.n
    return out


def procstat(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
        with open("/proc/%d/status" % pid) as f:
            sw = 0
            for line in f:
                if "ctxt_switches" in line:
                    sw += int(line.split()[1])
    except OSError:
        return None
    f = st[st.rfind(")") + 2:].split()
    return int(f[11]) + int(f[12]), sw


def idle_proc(trees, secs):
    """Whole-tree idle cost from /proc: processes that woke up, context
    switches and CPU ticks over secs seconds."""
    before = {}
    for t in trees:
        for pid, rl in t.procs():
            v = procstat(pid)
            if v is not None:
                before[pid] = (t.s, rl, v)
    time.sleep(secs)
    res = {t.s: {"woke": 0, "switches": 0, "ticks": 0, "procs": 0,
                 "woke_roles": {}} for t in trees}
    for pid, (s, rl, (cpu0, sw0)) in before.items():
        v = procstat(pid)
        if v is None:
            continue
        r = res[s]
        r["procs"] += 1
        r["ticks"] += v[0] - cpu0
        r["switches"] += v[1] - sw0
        if v[1] != sw0:
            r["woke"] += 1
            r["woke_roles"][rl] = r["woke_roles"].get(rl, 0) + 1
    return res


def strace_calls(path):
    calls, restart = 0, 0
    try:
        with open(path) as f:
            for line in f:
                w = line.split()
                if len(w) >= 5 and w[-1] == "total":
                    calls = int(w[3])
                elif len(w) >= 5 and w[-1] == "restart_syscall":
                    restart = int(w[3])
    except OSError:
        return None
    return calls, restart


def idle_strace(targets, secs):
    """strace -c each (key, pid) for secs seconds, all at once."""
    if not has("/usr/bin/strace"):
        return {}
    ps = []
    for key, pid in targets:
        out = os.path.join(SCRATCH, "strace-%s-%d.txt" % (key[0], pid))
        ps.append((key, out, subprocess.Popen(
            ["/usr/bin/strace", "-c", "-f", "-o", out, "-p", str(pid)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
    time.sleep(secs)
    for _, _, p in ps:
        p.send_signal(signal.SIGINT)
    res = {}
    for key, out, p in ps:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        res[key] = strace_calls(out)
    return res


def pick_targets(tree):
    """The scanner, the supervisor of the first service and its logger."""
    first = tree.dirs[0]
    t = []
    for pid, exe in tree.all():
        rl = role(tree.s, exe)
        try:
            cwd = os.readlink("/proc/%d/cwd" % pid)
        except OSError:
            continue
        if rl == "scanner":
            t.append(((tree.s, "scanner"), pid))
        elif rl == "supervisor" and cwd == first:
            t.append(((tree.s, "supervisor"), pid))
        elif rl == "logger" and cwd.startswith(first + "/log"):
            t.append(((tree.s, "logger"), pid))
    seen, out = set(), []
    for k, p in t:
        if k not in seen:
            seen.add(k)
            out.append((k, p))
    return out


def settle(trees, secs=2.0):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        ST.rx(0.05)
        reap()


def q(xs, p):
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return None
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# ---------------------------------------------------------------- phases

def phase_start(R):
    say("phase 1: %d logged services started from nothing, %d round(s)"
        % (NSTART, REPS))
    names = [s for s in MAIN + ["tend-b"] if SUITES[s]["present"]] + \
        ["floor"]
    trees = {s: Tree(s, NSTART, s != "floor", "-start") for s in names}
    for t in trees.values():
        t.make()
    order = list(names)
    for rep in range(REPS):
        for s in order:
            t = trees[s]
            ST.drain()
            if s == "floor":
                t0 = now()
                t.pid = spawn([FLOOR, "spawn"] + t.dirs, t.root + ".err",
                              True)
                SCANNERS.add(t.pid)
            else:
                t0 = t.start()
            a, b = t.wait_running(t0, 120)
            R.setdefault(("start_svc", s), []).append(a)
            R.setdefault(("start_all", s), []).append(b)
            say("  %s: services %s s, with loggers %s s" % (s, a, b))
            t.stop()
            time.sleep(0.5)
        order = order[1:] + order[:1]
    return trees


def phase_idle(R, trees):
    say("phase 2: idle, %d logged services per suite, %d s windows"
        % (NSTART, IDLE))
    live = [trees[s] for s in MAIN if s in trees]
    for t in live:
        t0 = t.start()
        a, b = t.wait_running(t0, 120)
        if b is None:
            say("  %s did not come up fully" % t.s)
    settle(live, 6.0)
    R["idle_proc"] = idle_proc(live, IDLE)
    targets = []
    for t in live:
        targets += pick_targets(t)
    R["idle_strace"] = idle_strace(targets, IDLE)
    for t in live:
        t.stop()


def phase_mem_lat(R):
    say("phase 3: %d logged services per suite: memory, then %d latency "
        "samples of each kind" % (NMEM, SAMPLES))
    names = [s for s in MAIN + ["s6-ready", "tend-b"]
             if SUITES[s]["present"]] + ["floor"]
    trees = []
    for s in names:
        t = Tree(s, NMEM if s != "floor" else min(NMEM, 100), s != "floor")
        t.make()
        t.start()
        trees.append(t)
    for t in trees:
        if t.s == "floor":
            a = t.wait_running(0, 60)[0]
        else:
            a = t.wait_running(0, 120)[1]
        if a is None:
            say("  %s did not come up fully" % t.s)
    settle(trees, MINUP + 1)
    for t in trees:
        R[("mem", t.s)] = memory(t)
    R["lat"] = latencies(trees, SAMPLES)
    for t in trees:
        t.stop()


def phase_scale(R):
    say("phase 4: tend alone at %s services (no logger)" % SCALE)
    for n in SCALE:
        t = Tree("tend", n, False, "-scale")
        t.make()
        starts = []
        for rep in range(REPS):
            if rep:
                t.stop()
                time.sleep(0.5)
            ST.drain()
            t0 = t.start()
            starts.append(t.wait_running(t0, 300)[0])
            say("  %d services running after %s s" % (n, starts[-1]))
        a = q(starts, 0.5)
        settle([t], 3.0)
        m = memory(t)
        ip = idle_proc([t], min(IDLE, 10))["tend"]
        sc = [x for x in pick_targets(t) if x[0][1] == "scanner"]
        isc = idle_strace(sc, min(IDLE, 10))
        lat = latencies([t], SCALE_SAMPLES, ("kill", "svct"))
        try:
            with open("/proc/%d/status" % t.pid) as f:
                fds = len(os.listdir("/proc/%d/fd" % t.pid))
        except OSError:
            fds = None
        R.setdefault("scale", []).append({
            "n": n, "start": a, "mem": m, "idle": ip,
            "strace": isc.get(("tend", "scanner")), "fds": fds,
            "kill": lat[("tend", "kill")], "svct": lat[("tend", "svct")]})
        t.stop()
        subprocess.run(["rm", "-rf", t.root])


# ---------------------------------------------------------------- report

def f_ms(xs):
    m, p = q(xs, 0.5), q(xs, 0.9)
    if m is None:
        return "n/a"
    bad = sum(1 for x in xs if x is None)
    s = "%.2f ms (p90 %.2f)" % (m, p)
    if bad:
        s += ", %d lost" % bad
    return s


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    return "%.2f×" % (a / b)


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True,
                              text=True).stdout.strip()
    except OSError:
        return ""


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    deb = sh("cat /etc/debian_version")
    pk = sh("dpkg-query -W -f '${Package} ${Version}, ' daemontools runit s6 "
            "skalibs-dev libskarnet2.13 musl-tools 2>/dev/null").rstrip(", ")
    libc = platform.libc_ver()
    return ("%d cores (%s), %s RAM, Linux %s, Debian %s, %s %s; %s"
            % (os.cpu_count(), cpu or "?", mem, platform.release(), deb,
               libc[0], libc[1], pk))


def report(R, meta):
    L = []
    lat = R.get("lat", {})
    mem = {s: R.get(("mem", s), {}) for s in SUITES}
    ist = R.get("idle_strace", {})
    ipr = R.get("idle_proc", {})
    cols = MAIN + ["floor"]

    def med(key, s):
        return q(R.get((key, s), []), 0.5)

    def lat_med(s, k):
        return q(lat.get((s, k), []), 0.5)

    def best6(a, b):
        """s6's figure: the better of plain s6 and s6 with readiness."""
        return a if b is None else b if a is None else min(a, b)

    def calls(s, rl):
        v = ist.get((s, rl))
        return None if v is None else v[0]

    def scalls(s, rl):
        v = ist.get((s, rl))
        if v is None:
            return "n/a" if SUITES[s]["present"] else "–"
        return str(v[0]) + (" (%d restart_syscall)" % v[1] if v[1] else "")

    rows = []
    # (figure, {suite: display}, {suite: value}, target, target test)
    def row(fig, disp, val, target="", ok=None, fl=None):
        rows.append((fig, disp, val, target, ok, fl))

    def kb(x):
        return "n/a" if x is None else "%.0f kB" % x

    v = {s: mem[s].get("supervisor_pd") for s in cols}
    row("supervisor Private_Dirty, one process (median, %d logged services)"
        % NMEM, {s: kb(v[s]) for s in cols}, v)
    v = {s: mem[s].get("supervisor_pd_sum") for s in cols}
    row("supervisor Private_Dirty per logged service (daemontools and s6 "
        "run 2 supervisors each)", {s: kb(v[s]) for s in cols}, v)
    v = {s: mem[s].get("scanner_pd") for s in MAIN}
    v["floor"] = None
    row("scanner Private_Dirty", {s: kb(v[s]) for s in cols}, v)
    v = {s: mem[s].get("tree_pss") for s in MAIN}
    v["floor"] = mem["floor"].get("service_pss", 0) + \
        mem["floor"].get("supervisor_pss", 0) if mem["floor"] else None
    row("whole tree PSS per service, with a logger (scanner + supervisors + "
        "service + logger) ÷ N; floor: a floor supervisor + its service",
        {s: kb(v[s]) for s in cols}, v, "≤ 100 kB",
        v["tend"] is not None and v["tend"] <= 100)
    v = {s: mem[s].get("service_pd") for s in cols}
    row("service (static musl stamp) Private_Dirty", {s: kb(v[s]) for s in cols},
        v)
    v = {s: lat_med(s, "kill") for s in cols}
    d = {s: f_ms(lat.get((s, "kill"), [])) for s in cols}
    if ("s6-ready", "kill") in lat:
        d["s6"] += "; with readiness %s" % f_ms(lat[("s6-ready", "kill")])
        v["s6"] = best6(v["s6"], lat_med("s6-ready", "kill"))
    row("restart after SIGKILL, to the new service's first instruction",
        d, v)
    v = {s: lat_med(s, "svct") for s in cols}
    d = {s: f_ms(lat.get((s, "svct"), [])) for s in cols}
    if ("s6-ready", "svct") in lat:
        d["s6"] += "; with readiness %s" % f_ms(lat[("s6-ready", "svct")])
        v["s6"] = best6(v["s6"], lat_med("s6-ready", "svct"))
    row("`svc -t` (runit `sv t`, s6 `s6-svc -t`; floor: kill(1) stand-in) to "
        "replacement running, incl. the command", d, v)
    v = {s: med("start_svc", s) for s in cols}
    row("%d logged services: scanner started → every service running "
        "(median of %d)" % (NSTART, REPS),
        {s: ("n/a" if v[s] is None else "%.3f s" % v[s]) for s in cols}, v)
    v = {s: med("start_all", s) for s in cols}
    row("%d logged services: scanner started → every service and logger "
        "running (floor: %d bare fork+exec)" % (NSTART, REPS and NSTART),
        {s: ("n/a" if v[s] is None else "%.3f s" % v[s]) for s in cols}, v)
    # idle: measured on the first filesystem only
    if ist or ipr:
        for rl in ("scanner", "supervisor", "logger"):
            v = {s: calls(s, rl) for s in MAIN}
            v["floor"] = 0 if rl != "logger" else None
            d = {s: scalls(s, rl) for s in MAIN}
            d["floor"] = "0" if rl != "logger" else "–"
            row("%s syscalls in %d s idle, %d logged services (strace -c -f; "
                "supervisor, logger: the first service's)"
                % (rl, IDLE, NSTART), d, v, "0",
                v["tend"] == 0 if v["tend"] is not None else False)
        v, d = {}, {}
        for s in MAIN:
            r = ipr.get(s)
            if r is None:
                v[s], d[s] = None, "n/a"
                continue
            v[s] = r["woke"]
            d[s] = "%d of %d woke, %d switches, %d ticks" % (
                r["woke"], r["procs"], r["switches"], r["ticks"])
        v["floor"], d["floor"] = 0, "0"
        row("whole tree in %d s idle (/proc: processes with a context switch)"
            % IDLE, d, v, "0", v.get("tend") == 0)
    row("services per scanner", {"tend": "no limit (10,000 below)",
                                  "daemontools": "1000 max",
                                  "runit": "1000 max",
                                  "s6": "500 default (`-c`)",
                                  "floor": "–"},
        {s: None for s in cols})

    L.append("| figure | " + " | ".join(cols) + " | target | tend ÷ daemontools"
             " | tend ÷ runit | tend ÷ s6 | tend ÷ floor | met |")
    L.append("| --- " * (len(cols) + 7) + "|")
    for fig, disp, val, target, ok, _ in rows:
        rs = [ratio(val.get("tend"), val.get(a)) for a in ANCHORS + ["floor"]]
        met = "" if ok is None else ("yes" if ok else "**no**")
        L.append("| %s | %s | %s | %s | %s |" % (
            fig, " | ".join(disp.get(s, "–") for s in cols), target,
            " | ".join(rs), met))
    sc = R.get("scale", [])
    S = []
    if sc:
        S.append("| services (tend, no logger) | all running | per service "
                 "| svscan Private_Dirty | svscan Rss | supervise "
                 "Private_Dirty (median) | tree PSS per service | restart "
                 "after SIGKILL | `svc -t` to running | svscan syscalls idle "
                 "| tree processes woken idle |")
        S.append("| --- " * 11 + "|")
        for x in sc:
            m = x["mem"]
            st = x["strace"]
            S.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |"
                     % (x["n"],
                        "n/a" if x["start"] is None else "%.3f s" % x["start"],
                        "n/a" if x["start"] is None else
                        "%.0f µs" % (x["start"] / x["n"] * 1e6),
                        kb(m.get("scanner_pd")), kb(m.get("scanner_rss")),
                        kb(m.get("supervisor_pd")), kb(m.get("tree_pss")),
                        f_ms(x["kill"]), f_ms(x["svct"]),
                        "n/a" if st is None else str(st[0]),
                        "%d of %d" % (x["idle"]["woke"], x["idle"]["procs"])))
    return L, S, rows


def issue_table(R, fs):
    """Issue 13's table for one filesystem: (lines, missing, targets).
    missing lists "figure: suite" for every cell without a figure;
    targets is [(figure, target, tend's figure, met)]."""
    lat = R.get("lat", {})
    mem = {s: R.get(("mem", s), {}) for s in SUITES}
    cols = MAIN + ["floor"]
    colsb = cols + ["tend-b"]
    rows = []

    def lm(s, f):
        return q(lat.get((s, f), []), 0.5)

    def ms(x):
        return "n/a" if x is None else "%.2f ms" % x

    def latrow(fig, f, floor, target, extra=None):
        v = {s: lm(s, f) for s in colsb}
        d = {s: ms(v[s]) for s in colsb}
        if extra:
            for s in colsb:
                if v[s] is not None:
                    d[s] += extra(s)
        # s6 with readiness stands in where its figure is better (plain
        # s6 throttles a run that dies unready by 1 s)
        r6 = lm("s6-ready", f)
        if r6 is not None:
            d["s6"] += "; ready %s" % ms(r6)
            if v["s6"] is None or r6 < v["s6"]:
                v["s6"] = r6
        if not floor:
            v["floor"] = None
            d["floor"] = "–"
        rows.append((fig, d, v, target, floor, ms))

    def wake(s):
        w = q(lat.get((s, "wake"), []), 0.5)
        return "" if w is None else " (%g wake-ups)" % w

    latrow("restart after SIGKILL", "kill", True, "≤ 1.2× floor")
    latrow("`svc -t` → replacement in main()", "svct", False,
           "< best anchor")
    latrow("…of which the client itself (floor: a static no-op)", "client",
           True, "< best anchor")
    latrow("`svc -d` → a status reader sees down", "down", False,
           "< best anchor", wake)
    latrow("`svc -u` → service in main()", "up", False, "< best anchor")
    def kb(x):
        return "n/a" if x is None else "%.0f kB" % x

    def sec(x):
        return "n/a" if x is None else "%.3f s" % x

    v = {s: mem[s].get("supervisor_pd") for s in colsb}
    rows.append(("supervise Private_Dirty", {s: kb(v[s]) for s in colsb}, v,
                 "≤ 36 kB", True, kb))
    v = {s: q(R.get(("start_all", s), []), 0.5) for s in colsb}
    rows.append(("%d logged services all running (floor: bare fork+exec)"
                 % NSTART, {s: sec(v[s]) for s in colsb}, v,
                 "≤ 0.5 s" if fs == "tmpfs" else "< best anchor", False,
                 sec))
    L = ["| figure (median) | " + " | ".join(cols) + " | target | "
         "tend ÷ daemontools | tend ÷ runit | tend ÷ s6 | tend ÷ floor "
         "| met |", "| --- " * (len(cols) + 7) + "|"]
    missing, targets = [], []
    for fig, d, v, target, floor, fmt in rows:
        for s in MAIN + (["floor"] if floor else []):
            if v[s] is None:
                missing.append("%s: %s" % (fig, s))
        t = v["tend"]
        an = [(v[a], a) for a in ANCHORS if v[a] is not None]
        best = min(an) if len(an) == len(ANCHORS) else None
        vs = ""
        if t is None:
            ok = None
        elif target == "≤ 1.2× floor":
            ok = None if v["floor"] is None else t <= 1.2 * v["floor"]
            vs = " (%s the floor's %s)" % (ratio(t, v["floor"]),
                                           d["floor"])
        elif target == "< best anchor":
            ok = None if best is None else t < best[0]
            if best is not None:
                vs = " (%s %s%s %s)" % (
                    ratio(t, best[0]), best[1],
                    "'" if best[1].endswith("s") else "'s", fmt(best[0]))
        elif target == "≤ 36 kB":
            ok = t <= 36
        else:
            ok = t <= 0.5
        met = "n/a" if ok is None else ("yes" if ok else "**no**")
        targets.append((fig, target, d["tend"] + vs, met))
        L.append("| %s | %s | %s | %s | %s |" % (
            fig, " | ".join(d[s] for s in cols), target,
            " | ".join(ratio(t, v.get(a)) for a in ANCHORS + ["floor"]),
            met))
    if SUITES["tend-b"]["present"]:
        L += ["", "tend B (`BENCH_TEND_B=%s`), in the same run:" % TEND_B, "",
              "| figure (median) | tend | tend B | B ÷ tend |",
              "| --- | --- | --- | --- |"]
        for fig, d, v, _, _, _ in rows:
            L.append("| %s | %s | %s | %s |" % (fig, d["tend"], d["tend-b"],
                                                ratio(v["tend-b"], v["tend"])))
    return L, missing, targets


def write_doc(RS, meta):
    """Print the "Supervision tree" section and write it into DOC,
    unless a suite is missing or a figure of issue 13's table is: then
    exit 1, saying which."""
    sec = ["## Supervision tree", ""]
    sec.append("Measured by `t/bench/bench-tree.sh` (part of `make bench`), "
               "on %s, %s." % (meta["date"], meta["commit"]))
    sec.append("")
    sec.append("Command: `%s`" % meta["cmd"])
    sec.append("")
    sec.append("Machine: %s." % meta["machine"])
    sec.append("")
    sec.append("Load average (1, 5, 15 min): %s at the start, %s at the "
               "end; the run took %.0f s." % (LOAD0, meta["load1"],
                                               meta["secs"]))
    sec.append("")
    sec.append("tend: static musl build of %s (`musl-gcc -static -O2`); "
               "anchors: the Debian packages (dynamic glibc). Loggers: %s. "
               "Every service is `t/bench/stamp.c` (static musl, `run` is a "
               "symlink to it), which reads CLOCK_MONOTONIC at the top of "
               "main() and sends it to the harness; latencies run from just "
               "before kill(2) or just before spawning the control command "
               "to that stamp. All four suites (plus s6 with readiness and "
               "the floor) run at once and their samples are interleaved in "
               "batches of %d, order rotated each batch; a service is killed "
               "only once it has run %.1f s, past every supervisor's 1 s "
               "throttle. Latency: median and p90 of %d samples per suite "
               "and kind. Memory: /proc/PID/smaps_rollup with %d logged "
               "services per suite. Idle: %d s windows after the %d-service "
               "trees settled (6 s), one with /proc only, one with strace."
               % (meta["tendsrc"], meta["loggers"], BATCH, MINUP, SAMPLES,
                  NMEM, IDLE, NSTART))
    sec.append("")
    sec.append("The rows of issue 13's table: *restart after SIGKILL*: "
               "kill(2) of the service to its replacement's stamp (floor: "
               "`floor sup`, fork+exec+waitpid in a loop). *`svc -t` → "
               "replacement in main()*: spawning `svc -t DIR` (runit `sv t`, "
               "s6 `s6-svc -t`) to the replacement's stamp. *…of which the "
               "client itself*: spawning that command to reaping it (floor: "
               "`floor nop`, a static program that returns at once). *`svc "
               "-d` → a status reader sees down*: the reader is "
               "`t/bench/downwatch.c`, the same for all four suites: it "
               "watches `DIR/supervise/` with inotify (IN_CLOSE_WRITE, "
               "IN_MOVED_TO: a file there completed in place or renamed "
               "into place), and on each wake-up reads `supervise/status` "
               "and decodes it as each suite's own status reader would "
               "(daemontools, 18 bytes: pid 0; runit and tend, 20 and 64 "
               "bytes: state byte 19 is 0; s6, 35 bytes: 64-bit pid 0); the "
               "figure runs from spawning `svc -d DIR` to the reader's clock "
               "read once it has decoded down, with the median number of "
               "wake-ups it took. *`svc -u` → service in main()*: right "
               "after, spawning `svc -u DIR` to the new stamp. s6's cell "
               "also shows s6 with notification-fd (\"ready\"), and the "
               "better of the two is the one ratios and targets use. "
               "*supervise Private_Dirty*: the median supervisor process "
               "(floor: `floor sup`). *logged services all running*: "
               "spawning the scanner to the last service's stamp and every "
               "logger seen running (median of %d starts)." % REPS)
    sec.append("")
    missing = []
    for n in ANCHORS + ["tend"]:
        if not SUITES[n]["present"]:
            missing.append("suite %s is missing (not installed, or left out "
                           "by BENCH_SUITES)" % n)
    alltargets = []
    for fs, _ in FSLIST:
        R = RS[fs]
        L, miss, targets = issue_table(R, fs)
        sec.append("### Issue 13's rows, service directories on %s"
                   % FSDESC.get(fs, fs))
        sec.append("")
        sec += L
        sec.append("")
        missing += ["%s (%s)" % (m, fs) for m in miss]
        alltargets += [(fs,) + t for t in targets]
    for fs, _ in FSLIST:
        R = RS[fs]
        L, S, _ = report(R, meta)
        sec.append("### Every figure, service directories on %s"
                   % FSDESC.get(fs, fs))
        sec.append("")
        sec += L
        sec.append("")
        if S:
            sec.append("tend alone, from %s services (one svscan, no "
                       "logger, %d latency samples each):" % (" to ".join(
                           str(x) for x in SCALE), SCALE_SAMPLES))
            sec.append("")
            sec += S
            sec.append("")
    sec.append("Floors, measured in the same run: `t/bench/floor.c` — "
               "`floor sup` (fork, exec, waitpid, again: the least a "
               "supervisor can do), `floor kill` (a static program that "
               "sends SIGTERM: the least `svc -t`), `floor nop` (the least "
               "client), `floor spawn` (fork+exec of %d services with "
               "nothing else)." % NSTART)
    sec.append("")
    sec.append("Targets (issue 13), this run:")
    sec.append("")
    for fs, fig, target, tend, met in alltargets:
        sec.append("- %s, %s: %s; tend %s — %s" % (
            fs, fig, target, tend, {"yes": "met", "**no**": "missed"}.get(
                met, "not measured")))
    sec.append("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "tree-notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            sec.append(f.read().rstrip("\n"))
        sec.append("")
    text = "\n".join(sec) + "\n"
    print(text)
    if missing:
        for m in missing:
            say("no figure: %s" % m)
        if DOC:
            say("fatal: not writing %s: %d figure(s) or suite(s) missing "
                "(listed above)" % (DOC, len(missing)))
            sys.exit(1)
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
                  if l.strip() == "## Supervision tree"), None)
    if start is None:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].startswith("## ")), len(lines))
        tail = "\n".join(lines[end:])
        new = "\n".join(lines[:start]) + "\n" + text + \
            ("\n" + tail if tail.strip() else "")
    with open(DOC + ".new", "w") as f:
        f.write(new)
    os.rename(DOC + ".new", DOC)
    say("wrote the \"Supervision tree\" section of %s" % DOC)


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


LOAD0 = loadavg()


def main():
    global ST
    PR_SET_CHILD_SUBREAPER = 36
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1,
                                                 0, 0, 0)
    except OSError:
        pass
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ST = Stamps()
    RS = {}
    t0 = time.monotonic()
    phases = ENV.get("BENCH_PHASES", "start idle lat scale").split()
    try:
        for i, (fs, base) in enumerate(FSLIST):
            # idle and scale once, on the first filesystem; scale last of
            # all, since tearing down its 10,000-service trees leaves the
            # machine slow for a minute (the tmpfs starts that followed it
            # took 1.11, 1.00 and 0.77 s, where 0.64 s was usual)
            first = i == 0
            CUR["base"], CUR["fs"] = base, fs
            say("== service directories on %s (%s)" % (fs, base))
            R = RS[fs] = {}
            trees = None
            if "start" in phases or (first and "idle" in phases):
                trees = {s: Tree(s, NSTART, s != "floor", "-start")
                         for s in [x for x in MAIN if SUITES[x]["present"]]}
                if "start" in phases:
                    trees = phase_start(R)
                else:
                    for t in trees.values():
                        t.make()
            if first and "idle" in phases:
                phase_idle(R, trees)
            if "lat" in phases:
                phase_mem_lat(R)
            if trees:
                for t in trees.values():
                    subprocess.run(["rm", "-rf", t.root])
        if "scale" in phases and FSLIST:
            fs, base = FSLIST[0]
            CUR["base"], CUR["fs"] = base, fs
            say("== tend alone at scale, on %s (%s)" % (fs, base))
            phase_scale(RS[fs])
    finally:
        for pid in SCANNERS:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for _, base in FSLIST:
            for d in os.listdir(base):
                p = os.path.join(base, d)
                if os.path.isdir(p):
                    kill_tree(p)
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "commit": ENV.get("BT_COMMIT", "?"),
        "cmd": ENV.get("BT_CMD", "make bench"),
        "machine": machine(),
        "tendsrc": ENV.get("BT_COMMIT", "?"),
        "loggers": ("native: tend `svlog` (log/run a symlink to it), "
                    "daemontools `multilog t`, runit "
                    "`svlogd -tt`, s6 `s6-log t`" if LOGGER == "native" else
                    "`t/bench/sink.c` (a static musl read-and-drop loop) for "
                    "all four suites, since tend's svlog was not there"),
        "secs": time.monotonic() - t0,
        "load1": loadavg(),
    }
    write_doc(RS, meta)


if __name__ == "__main__":
    main()
