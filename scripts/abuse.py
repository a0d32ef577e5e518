#!/usr/bin/env python3
"""The hostile mixes of issues 16 and 27, against a running service on loopback; bounded in time (about 4 minutes).

For each mix: the status counts of the hostile requests, the slowest answer to a normal request (the lecture
example) and to liveness sent meanwhile every 200 ms, and the service's peak RSS (from /proc, when its pid is given).

    python3 scripts/abuse.py PORT [PID]        (scripts/abuse.sh starts a jar and runs this)
"""
import collections
import http.client
import json
import random
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
PID = int(sys.argv[2]) if len(sys.argv) > 2 else None
HOST = "127.0.0.1"  # loopback only


def rss_kb():
    if PID is None:
        return 0
    try:
        with open("/proc/%d/status" % PID) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return 0
    return 0


def request(method, path, body=None, headers=None, timeout=60):
    c = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, data
    except Exception as e:  # noqa: BLE001 - a refused or reset connection is an outcome to count
        return type(e).__name__, b""
    finally:
        c.close()


LECTURE = json.dumps({"network": {"layers": [
    {"type": "dense", "W": [[0.1, 0.2, 0.3, 0.4, 0.5], [-0.5, 0.4, -0.3, 0.2, -0.1], [0.05, 0.0, -0.05, 0.1, 0.2]],
     "b": [0.1, -0.1, 0.0], "activation": "sigmoid"}, {"type": "score", "u": [1.0, -2.0, 0.5]}]},
    "x": [1, 2, 3, 4, 5], "loss": {"type": "score"}}).encode()
JSON = {"Content-Type": "application/json"}


class Probe(threading.Thread):
    """A normal request and a liveness probe every 200 ms; keeps the slowest of each and counts non-200s."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = False
        self.worst_normal = 0.0
        self.worst_live = 0.0
        self.failures = collections.Counter()
        self.peak_rss = rss_kb()

    def run(self):
        while not self.stop:
            t = time.time()
            s, _ = request("POST", "/v1/gradients", LECTURE, JSON, timeout=30)
            self.worst_normal = max(self.worst_normal, time.time() - t)
            if s != 200:
                self.failures["normal %s" % s] += 1
            t = time.time()
            s, _ = request("GET", "/actuator/health/liveness", timeout=30)
            self.worst_live = max(self.worst_live, time.time() - t)
            if s != 200:
                self.failures["liveness %s" % s] += 1
            self.peak_rss = max(self.peak_rss, rss_kb())
            time.sleep(0.2)


def run_mix(name, hostile):
    probe = Probe()
    probe.start()
    time.sleep(0.5)
    started = time.time()
    statuses = hostile()
    took = time.time() - started
    time.sleep(0.5)
    probe.stop = True
    probe.join()
    counts = ", ".join("%s × %d" % (k, v) for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0])))
    print("| %s | %s | %.2f s | %.2f s | %s | %d MB | %.0f s |" % (
        name, counts, probe.worst_normal, probe.worst_live,
        ", ".join("%s × %d" % kv for kv in probe.failures.items()) or "none", probe.peak_rss // 1024, took))
    sys.stdout.flush()


def in_parallel(n, fn):
    out = collections.Counter()
    lock = threading.Lock()

    def one(i):
        s = fn(i)
        with lock:
            out[s] += 1
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def bad_entries():
    entries = (4 * 1024 * 1024 - 16) // 3
    body = ("{\"x\":[{}" + ",{}" * (entries - 1) + "]}").encode()
    return in_parallel(24, lambda i: request("POST", "/v1/gradients", body, JSON, timeout=120)[0])


def chain(widths, activation, batch, options, rnd):
    layers = [{"type": "dense", "W": [[round(rnd.gauss(0, 0.3), 3) for _ in range(widths[i])] for _ in range(widths[i + 1])],
               "activation": activation} for i in range(len(widths) - 1)]
    layers.append({"type": "score", "u": [1.0] * widths[-1]})
    return {"network": {"layers": layers},
            "batch": [[round(rnd.gauss(0, 1), 3) for _ in range(widths[0])] for _ in range(batch)],
            "loss": {"type": "score"}, "options": options}


def heavy():
    rnd = random.Random(16)
    # the issue's requests (41 s and 32 s of CPU before), now refused by the cost model, and the largest admitted
    issue = json.dumps(chain([1] * 64, "gelu", 447, {"jacobian_form": True, "gradient_check": True}, rnd)).encode()
    train = dict(chain([1] * 64, "gelu", 104, {}, rnd))
    del train["options"]
    train.update(learning_rate=0.01, steps=10000)
    train = json.dumps(train).encode()
    admitted = json.dumps(chain([128, 128, 128], "gelu", 512, {"steps": False, "gradient_check": False}, rnd)).encode()

    out = collections.Counter()
    lock = threading.Lock()

    def one(i):
        until = time.time() + 20
        while time.time() < until:
            body, path = [(issue, "/v1/gradients"), (train, "/v1/train"), (admitted, "/v1/gradients")][i % 3]
            s = request("POST", path, body, JSON, timeout=60)[0]
            with lock:
                out[s] += 1
        return None
    in_parallel(8, one)
    return out


def slow_bodies():
    socks = []
    for _ in range(200):
        s = socket.create_connection((HOST, PORT))
        s.sendall(b"POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
        socks.append(s)
    out = collections.Counter()
    until = time.time() + 12
    while time.time() < until:
        for s in socks:
            try:
                s.send(b" ")
            except OSError:
                pass
        time.sleep(1)
    for s in socks:
        s.settimeout(0.2)
        try:
            head = s.recv(64)
            out["closed" if not head else head[9:12].decode()] += 1
        except OSError as e:
            out[type(e).__name__] += 1
        s.close()
    return out


def junk():
    cases = [
        b"GET /v1/examples HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n",
        b"GET /v1/examples?" + b"&".join(b"p%d=1" % i for i in range(10000)) + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/examples%2Fxor HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/exa%00mples HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        b"POST /v1/gradients HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        b"POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 52428800\r\n\r\n",
        b"GET /error HTTP/1.1\r\nHost: x\r\n\r\n",
    ]

    def one(i):
        s = socket.create_connection((HOST, PORT))
        s.settimeout(10)
        try:
            s.sendall(cases[i % len(cases)])
            head = s.recv(4096)
            problem = b"application/problem+json" in head
            return "%s%s" % (head[9:12].decode() if head else "closed", "" if problem else " (not problem+json)")
        except OSError as e:
            return type(e).__name__
        finally:
            s.close()
    return in_parallel(400, one)


def latex():
    rnd = random.Random(7)
    body = json.dumps(chain([24, 24, 24], "sigmoid", 48, {"latex": True, "jacobian_form": True}, rnd)).encode()
    return in_parallel(8, lambda i: request("POST", "/v1/gradients?digits=6", body, JSON, timeout=120)[0])


def give_up():
    rnd = random.Random(9)
    body = json.dumps(chain([128, 128, 128], "gelu", 512, {"steps": False}, rnd)).encode()
    head = b"POST /v1/gradients HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)

    def one(i):
        s = socket.create_connection((HOST, PORT))
        s.sendall(head + body)
        time.sleep(0.3)
        s.close()
        return "gave up"
    return in_parallel(8, one)


def slow_readers():
    """200 clients, one every 0.15 s (about the rate two slots compute these), each asking for a 5 MB answer and then
    reading it at 2 kB a second through a 4 kB receive buffer, for 40 s. Each client's outcome: the status it saw and
    whether the service closed its connection before the 40 s were up."""
    rnd = random.Random(7)
    body = json.dumps(chain([24, 24, 24], "sigmoid", 200, {"latex": True, "jacobian_form": True}, rnd)).encode()
    head = (b"POST /v1/gradients?digits=6 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body))
    until = time.time() + 40
    out = collections.Counter()
    lock = threading.Lock()

    def one(i):
        time.sleep(0.15 * i)
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(10)
        first = b""
        outcome = "still open"
        try:
            s.connect((HOST, PORT))
            s.sendall(head + body)
            while time.time() < until:
                d = s.recv(1024)
                if not d:
                    outcome = "closed"
                    break
                first = first or d[:12]
                time.sleep(0.5)
        except OSError as e:
            outcome = type(e).__name__
        finally:
            s.close()
        with lock:
            out["%s %s" % (first[9:12].decode() if first else "-", outcome)] += 1
    threads = [threading.Thread(target=one, args=(i,)) for i in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def unknown_names():
    """Issue 27, finding 1: 3 clients for 20 s, each posting 169 kB of 6,000 unknown answers against a problem whose two
    names are 49,000 characters long (every feedback once listed every name whole: an OutOfMemoryError)."""
    a = "a" * 49000
    body = json.dumps({"problem": {"expression": a + " = x\nf = " + a + " * 2", "values": {"x": 1}},
                       "answers": {"u%d" % i: 1 for i in range(6000)}}).encode()
    out = collections.Counter()
    lock = threading.Lock()

    def one(i):
        until = time.time() + 20
        while time.time() < until:
            s, data = request("POST", "/v1/grade", body, JSON, timeout=60)
            key = "%s (%s)" % (s, "answer < 2.5 MB" if len(data) < 2_500_000 else "answer %d B" % len(data))
            with lock:
                out[key] += 1
    in_parallel(3, one)
    return out


def probes():
    """Issue 27, findings 3, 4 and 5: each probe's request and what its answer must be; counts the probes as
    expected and names any that is not."""
    def graph(expression, values=None):
        return ("POST", "/v1/graph", {"expression": expression, "values": values if values is not None else {"x": 1}}, {})

    def grade(problem, answers, **settings):
        return ("POST", "/v1/grade", dict({"problem": problem, "answers": answers}, **settings), {})

    def status(code):
        return lambda s, d, t: s == code

    def feedback(name, check):
        return lambda s, d, t: s == 200 and check(json.loads(d)["results"][name].get("feedback", ""))

    batch = {"problem": {"expression": "f = x * 2", "values": {"x": 1}},
             "submissions": [{"id": "\u0000=1+1", "answers": {" =HYPERLINK(1)": 1}}, {"id": " @SUM(A1)", "answers": {}}]}
    csv_defused = lambda s, d, t: s == 200 and all(  # noqa: E731 - every row's first two cells start with ' or are plain
        not row or row.split(",")[0] in ("id",) or row.startswith("'") for row in d.decode("utf-8").split("\r\n")[1:])
    cases = [
        # finding 4: the parser's 500s
        ("xé", graph("f = xé"), status(400)), ("x ٣", graph("f = x ٣"), status(400)), ("ｘ", graph("f = ｘ"), status(400)),
        ("1e٣", graph("f = 1e٣"), status(400)), ("١.٢", graph("f = ١.٢"), status(400)), ("𝑥", graph("f = 𝑥"), status(400)),
        (";", graph(";"), status(400)), ("x.T×1998", graph("f = x" + ".T" * 1998), status(200)),
        ("xé graded", grade({"expression": "f = xé", "values": {"x": 1}}, {"x": 1}), status(400)),
        ("lone surrogate", ("POST", "/v1/graph", b'{"expression": "f = x\\ud835", "values": {"x": 1}}', {}),
         lambda s, d, t: s == 400 and b"\\uD835" not in d and b"\\ud835" not in d),
        # finding 5: wrong or missing answers
        ("0.5^2^1e9", graph("f = x * 0.5 ^ 2 ^ 1e9"), lambda s, d, t: s == 400 and b"Infinity" not in d),
        ("f = 3", graph("f = 3", {}), lambda s, d, t: s == 200 and json.loads(d)["forward"] == {"f": 3.0}),
        ("a = 2", graph("a = 2\nf = a * x"), lambda s, d, t: s == 200 and json.loads(d)["forward"].get("a") == 2.0),
        # a named constant has no gradient (the tensor contract): grading it says so, and its value grades as forward.a
        ("grade a", grade({"expression": "a = 2\nf = a * x", "values": {"x": 5}}, {"a": 5}),
         lambda s, d, t: s == 200 and json.loads(d)["results"]["a"]["diagnosis"] == "no_gradient"),
        ("grade forward.a", grade({"expression": "a = 2\nf = a * x", "values": {"x": 5}}, {"forward.a": 2}),
         lambda s, d, t: s == 200 and json.loads(d)["results"]["forward.a"]["diagnosis"] == "correct"),
        ("x/y", graph("f = x / y", {"x": 1e-300, "y": 1e-170}),
         lambda s, d, t: s == 200 and abs(json.loads(d)["gradients"]["y"] + 1e40) < 1e26),
        ("x*x half", grade({"expression": "f = x * x", "values": {"x": 3}}, {"x": 3}),
         feedback("x", lambda f: "f's first operand" in f and "f's second operand" in f)),
        ("x*x+x", grade({"expression": "f = x * x + x", "values": {"x": 3}}, {"x": 1}),
         feedback("x", lambda f: "t1 and t1" not in f)),
        ("unanswered", grade({"expression": "f = x * x", "values": {"x": 3}}, {}, questions=["x"]),
         feedback("x", lambda f: "∂f/∂x" in f)),
        # finding 3: CSV cells defused, both views
        ("csv answers", ("POST", "/v1/grade/batch", batch, {"Accept": "text/csv"}), csv_defused),
        ("csv students", ("POST", "/v1/grade/batch?view=students", batch, {"Accept": "text/csv"}), csv_defused),
    ]
    out = collections.Counter()
    for _ in range(5):
        for name, (method, path, body, headers), ok in cases:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            s, answer = request(method, path, data, dict(JSON, **headers), timeout=60)
            out["as expected" if ok(s, answer, None) else "unexpected: %s (%s)" % (name, s)] += 1
    return out


print("| mix | hostile requests' statuses | slowest normal request | slowest liveness | normal/liveness failures | peak RSS | took |")
print("|---|---|---:|---:|---|---:|---:|")
for name, mix in [("24 × 4 MiB of 1.4 M bad entries", bad_entries),
                  ("8 clients × 20 s of the heaviest requests", heavy),
                  ("200 bodies trickling 1 byte/s", slow_bodies),
                  ("400 requests Tomcat refuses itself", junk),
                  ("8 × LaTeX answers at once", latex),
                  ("8 heavy requests whose clients give up", give_up),
                  ("200 clients reading 5 MB answers at 2 kB/s", slow_readers),
                  ("3 clients × 20 s of 169 kB, 6,000 unknown names (issue 27)", unknown_names),
                  ("issue 27's parser, answer and CSV probes, 5 rounds", probes)]:
    run_mix(name, mix)
