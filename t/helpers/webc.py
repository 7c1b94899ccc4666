#!/usr/bin/env python3
# t/helpers/webc.py: the small HTTP client of t/svweb.sh and
# t/bench/bench-web.sh, on loopback only, every wait bounded.
#   webc.py port                      a free loopback port
#   webc.py get PORT PATH [HEADER...] body of GET PATH (exit 1 if not 200)
#   webc.py code PORT RAW             status code of the raw request RAW
#                                     (Python escapes: \r \n \x00)
#   webc.py slow PORT                 one byte a second: code and seconds
#   webc.py flood PORT HOLD N         HOLD idle connections, then N requests
#                                     at once: "CODE COUNT" lines
#   webc.py keepalive PORT VERSION    two requests on one connection
#   webc.py compare JSON SVSTAT       /status.json equals svstat -j's lines
#   webc.py metrics METRICS SVSTAT HISTDIR   /metrics agrees with svstat -j
#   webc.py bench PORT PATH SECONDS   requests per second, keep-alive
import json
import os
import re
import select
import socket
import sys
import time

HOST = "127.0.0.1"
TIMEOUT = 15


def connect(port):
    s = socket.create_connection((HOST, int(port)), timeout=TIMEOUT)
    return s


LEFT = {}   # bytes read past a response, by socket


def read_response(s):
    """One response off s: (code, headers dict, body), or (0, {}, b'')
    when the connection ends before a status line."""
    buf = LEFT.pop(s.fileno(), b"")
    while b"\r\n\r\n" not in buf:
        try:
            d = s.recv(65536)
        except (ConnectionResetError, socket.timeout):
            d = b""
        if not d:
            if not buf:
                return 0, {}, b""
            break
        buf += d
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3}) ", lines[0] + " ")
    if not m:
        return -1, {}, b""
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    n = int(hdrs.get("content-length", "0"))
    while len(rest) < n:
        d = s.recv(65536)
        if not d:
            break
        rest += d
    LEFT[s.fileno()] = rest[n:]
    return int(m.group(1)), hdrs, rest[:n]


def cmd_port():
    s = socket.socket()
    s.bind((HOST, 0))
    print(s.getsockname()[1])
    s.close()


def cmd_get(port, path, *headers):
    s = connect(port)
    extra = "".join(h + "\r\n" for h in headers)
    s.sendall(("GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n%s\r\n"
               % (path, extra)).encode())
    code, _, body = read_response(s)
    s.close()
    sys.stdout.buffer.write(body)
    return 0 if code == 200 else 1


def cmd_code(port, raw):
    data = raw.encode("latin-1").decode("unicode_escape").encode("latin-1")
    s = connect(port)
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    code, hdrs, _ = read_response(s)
    # The server closes after an error: the next read sees the end.
    closed = ""
    if code >= 400:
        s.settimeout(5)
        try:
            while s.recv(65536):
                pass
            closed = " closed"
        except (ConnectionResetError, socket.timeout):
            closed = " reset" if code else ""
    s.close()
    print("%d%s" % (code, closed))


def cmd_slow(port):
    s = connect(port)
    req = b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"
    t0 = time.monotonic()
    code = 0
    for i in range(len(req)):
        try:
            s.sendall(req[i:i + 1])
        except (BrokenPipeError, ConnectionResetError):
            break
        r, _, _ = select.select([s], [], [], 1.0)
        if r:
            break
        if time.monotonic() - t0 > 20:
            break
    code, _, _ = read_response(s)
    s.close()
    print("%d %d" % (code, round(time.monotonic() - t0)))


def cmd_flood(port, hold, n):
    idle = [connect(port) for _ in range(int(hold))]
    time.sleep(0.3)         # let svweb take them all
    socks = []
    for _ in range(int(n)):
        c = socket.socket()
        c.settimeout(TIMEOUT)
        c.connect((HOST, int(port)))
        socks.append(c)
    for c in socks:
        try:
            c.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\n"
                      b"Connection: close\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
    counts = {}
    for c in socks:
        code, _, _ = read_response(c)
        counts[code] = counts.get(code, 0) + 1
        c.close()
    for c in idle:
        c.close()
    for k in sorted(counts):
        print(k, counts[k])


def cmd_keepalive(port, version):
    s = connect(port)
    if version == "1.1":
        req = b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n"
    else:
        req = b"GET /metrics HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
    out = []
    # Two requests in one write (pipelined), then a third after.
    s.sendall(req + req)
    for _ in range(2):
        code, h, _ = read_response(s)
        out.append("%d %s" % (code, h.get("connection", "")))
    s.sendall(req.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
    code, h, _ = read_response(s)
    out.append("%d %s" % (code, h.get("connection", "")))
    s.settimeout(5)
    try:
        out.append("eof" if s.recv(1) == b"" else "data")
    except socket.timeout:
        out.append("open")
    s.close()
    print(" / ".join(out))


def load_svstat(path):
    with open(path) as f:
        return [json.loads(ln) for ln in f if ln.strip()]


def strip_seconds(o):
    o = dict(o)
    sec = o.pop("seconds", None)
    if isinstance(o.get("log"), dict):
        o["log"] = strip_seconds(o["log"])[0]
    return o, sec


def cmd_compare(jpath, spath):
    with open(jpath) as f:
        web = json.load(f)
    sv = load_svstat(spath)
    if len(web) != len(sv):
        print("counts differ: %d %d" % (len(web), len(sv)))
        return 1
    for a, b in zip(web, sv):
        (a2, sa), (b2, sb) = strip_seconds(a), strip_seconds(b)
        if a2 != b2:
            print("differ:", json.dumps(a2), json.dumps(b2))
            return 1
        if sa is not None and abs(sa - sb) > 1:
            print("seconds differ:", a["dir"], sa, sb)
            return 1
    print("same")
    return 0


def cmd_metrics(mpath, spath, histdir):
    got = {}
    with open(mpath) as f:
        for ln in f:
            m = re.match(r'^(tend_\w+)\{service="([^"]*)"\} (-?\d+)$', ln)
            if m:
                got[(m.group(1), m.group(2))] = int(m.group(3))
    bad = []
    for o in load_svstat(spath):
        d = o["dir"]

        def want(name, v, slack=0):
            g = got.get((name, d))
            if g is None or abs(g - v) > slack:
                bad.append("%s{%s}=%s want %s" % (name, d, g, v))
        up = o["state"] == "up"
        want("tend_service_up", int(up))
        want("tend_service_ready", int(up and o["ready"]))
        want("tend_service_failed", int(o["failed"]))
        want("tend_service_starts_total", o["starts"])
        want("tend_service_uptime_seconds", o["seconds"] if up else 0, 1)
        want("tend_service_essential", int(o["essential"]))
        if o["checkfailures"] is not None:
            want("tend_service_check_failures", o["checkfailures"])
            want("tend_service_check_failures_limit", o["checklimit"])
            want("tend_service_config_errors", 0 if not o["configerror"]
                 else max(len(o["configerrors"]), 1))
        if o["lastexit"] is not None and "code" in o["lastexit"]:
            want("tend_service_last_exit_code", o["lastexit"]["code"])
        elif ("tend_service_last_exit_code", d) in got:
            bad.append("last exit code for %s" % d)
        # restarts: the starts in history after the first
        starts = 0
        try:
            with open(os.path.join(histdir, d, "supervise", "history")) as f:
                starts = sum(1 for ln in f if " start " in ln)
        except OSError:
            pass
        want("tend_service_restarts_last_hour", max(starts - 1, 0))
    print("\n".join(bad) if bad else "agree")
    return 1 if bad else 0


def cmd_bench(port, path, secs):
    s = connect(port)
    req = ("GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % path).encode()
    n = 0
    t0 = time.monotonic()
    end = t0 + float(secs)
    while time.monotonic() < end:
        s.sendall(req)
        code, _, _ = read_response(s)
        if code != 200:
            print("error: code %d" % code)
            return 1
        n += 1
    print("%.0f" % (n / (time.monotonic() - t0)))
    return 0


def main():
    cmds = {"port": cmd_port, "get": cmd_get, "code": cmd_code,
            "slow": cmd_slow, "flood": cmd_flood, "keepalive": cmd_keepalive,
            "compare": cmd_compare, "metrics": cmd_metrics,
            "bench": cmd_bench}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__ or "usage: webc.py CMD ARG...", file=sys.stderr)
        return 2
    return cmds[sys.argv[1]](*sys.argv[2:]) or 0


if __name__ == "__main__":
    sys.exit(main())
