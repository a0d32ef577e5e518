#!/usr/bin/env python3
"""Predicted against measured cost, for the table in BENCHMARKS.md ("Cost model").

Sends a spread of requests to a running service (loopback only) and reads each answer's Server-Timing header:
`cpu` is the CPU time the computation took (compute, rounding, LaTeX/text and JSON, inside the gate) and `cost` the
cost model's prediction in work units (about a nanosecond each). Each request is sent REPEAT times; the table keeps
the fastest (the least disturbed by other load), then prints measured/predicted for each and the spread.

    java -jar target/chainrule-0.1.0.jar --server.port=11600 --chainrule.limits.max-work=100000000000 &
    python3 scripts/cost-table.py 11600
"""
import json
import random
import re
import sys
import urllib.request

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
REPEAT = int(sys.argv[2]) if len(sys.argv) > 2 else 3


def matrix(rows, cols, rnd, scale=0.3):
    return [[round(rnd.gauss(0, scale), 4) for _ in range(cols)] for _ in range(rows)]


def network(widths, activation, rnd, score=True):
    layers = [{"type": "dense", "W": matrix(widths[i + 1], widths[i], rnd), "b": [0.1] * widths[i + 1],
               "activation": activation} for i in range(len(widths) - 1)]
    if score:
        layers.append({"type": "score", "u": [1.0] * widths[-1]})
    return {"layers": layers}


def problem(widths, activation, batch, options=None, seed=1):
    rnd = random.Random(seed)
    body = {"network": network(widths, activation, rnd), "batch": matrix(batch, widths[0], rnd, 1.0),
            "loss": {"type": "score"}}
    if options is not None:
        body["options"] = options
    return body


CASES = [
    ("lecture 5-3, batch 1", "/v1/gradients", problem([5, 3], "sigmoid", 1)),
    ("256-256-256-10 relu, batch 64, no steps", "/v1/gradients", problem([256, 256, 256, 10], "relu", 64, {"steps": False})),
    ("256-256-256-10 relu, batch 64, steps", "/v1/gradients", problem([256, 256, 256, 10], "relu", 64)),
    ("512-512 tanh, batch 256, no steps", "/v1/gradients", problem([512, 512], "tanh", 256, {"steps": False})),
    ("64 × (1×1 gelu), batch 447, no steps", "/v1/gradients", problem([1] * 64, "gelu", 447, {"steps": False})),
    ("64 × (1×1 gelu), batch 447, steps + jacobian", "/v1/gradients", problem([1] * 64, "gelu", 447, {"jacobian_form": True})),
    ("64 × (1×1 gelu), batch 100, gradient check", "/v1/gradients", problem([1] * 64, "gelu", 100, {"steps": False, "gradient_check": True})),
    ("20-20-20 gelu, batch 32, gradient check", "/v1/gradients", problem([20, 20, 20], "gelu", 32, {"steps": False, "gradient_check": True})),
    ("64-64 sigmoid, batch 64, steps, ?digits=4", "/v1/gradients?digits=4", problem([64, 64], "sigmoid", 64)),
    ("32-32 sigmoid, batch 16, latex", "/v1/gradients", problem([32, 32], "sigmoid", 16, {"latex": True})),
    ("32-32 softmax, batch 16, steps", "/v1/gradients", problem([32, 32], "softmax", 16)),
    ("64 × (1×1 gelu), batch 104, train 2000 steps", "/v1/train",
     dict(problem([1] * 64, "gelu", 104), learning_rate=0.01, steps=2000)),
    ("64-64-64 tanh, batch 256, train 200 steps of 32", "/v1/train",
     dict(problem([64, 64, 64], "tanh", 256), learning_rate=0.01, steps=200, batch_size=32)),
]


def grade_case(submissions, carry):
    p = problem([64, 64, 64], "tanh", 32, seed=3)
    rnd = random.Random(4)
    answers = {"W1": matrix(64, 64, rnd), "z1": matrix(32, 64, rnd), "W2": matrix(64, 64, rnd)}
    return {"problem": p, "carry_forward": carry,
            "submissions": [{"id": "s%d" % i, "answers": answers} for i in range(submissions)]}


CASES += [
    ("grade batch 64-64-64 tanh ×32, 40 submissions", "/v1/grade/batch", grade_case(40, False)),
    ("grade batch 64-64-64 tanh ×32, 40 submissions, carry_forward", "/v1/grade/batch", grade_case(40, True)),
]


def send(path, body, accept="application/json"):
    data = json.dumps(body).encode()
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (PORT, path), data=data,
                                 headers={"Content-Type": "application/json", "Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=300) as r:
            r.read()
            timing = r.headers.get("Server-Timing", "")
            status = r.status
    except urllib.error.HTTPError as e:
        return e.code, None, None
    cpu = float(re.search(r"cpu;dur=([0-9.]+)", timing).group(1))
    cost = float(re.search(r"cost;[^,]*dur=([0-9.]+)", timing).group(1))
    return status, cpu, cost


print("| request | predicted (ms) | measured CPU (ms) | measured / predicted |")
print("|---|---:|---:|---:|")
ratios = []
for name, path, body in CASES:
    best = None
    for _ in range(REPEAT):
        status, cpu, cost = send(path, body)
        if status != 200:
            best = (status, None, None)
            break
        if best is None or cpu < best[1]:
            best = (status, cpu, cost)
    status, cpu, cost = best
    if cpu is None:
        print("| %s | – | – | status %d |" % (name, status))
        continue
    ratios.append(cpu / cost)
    print("| %s | %.1f | %.1f | %.2f |" % (name, cost, cpu, cpu / cost))
if ratios:
    print()
    print("measured/predicted: min %.2f, max %.2f over %d requests" % (min(ratios), max(ratios), len(ratios)))
