"""Turns ScalingBenchmark's output into BENCHMARKS.md's scaling table.

Run: ./mvnw -q -Pbench test-compile exec:exec -Dbench.args="ScalingBenchmark -rf csv -rff target/scaling.csv" \
       | tee target/scaling.log && python3 scripts/scaling-table.py target/scaling.log target/scaling.csv

Prints one row per case (n×B: one dense n×n ReLU layer and a score layer, a batch of B, steps off) with its
multiply-adds, body and answer sizes and the in-process time of the whole request, then least-squares fits of
time = a + b·multiply-adds + c·answer bytes, and of each alone, so a reader sees what the cost grows with.
"""
import csv, re, sys

cases = {}
for line in open(sys.argv[1]):
    m = re.match(r"case (\S+) multiply_adds (\d+) body_bytes (\d+) answer_bytes (\d+)", line.strip())
    if m:
        cases[m.group(1)] = tuple(int(m.group(i)) for i in (2, 3, 4))
rows = []
for r in csv.DictReader(open(sys.argv[2])):
    shape = r["Param: shape"]
    us = float(r["Score"])
    err = float(r["Score Error (99.9%)"] or 0)
    madds, body, answer = cases[shape]
    rows.append((shape, madds, body, answer, us, err))
rows.sort(key=lambda r: (r[1], r[3]))
print("| n×B | multiply-adds | body | answer | whole request | per M multiply-adds | per MB of answer |")
print("|---|---:|---:|---:|---:|---:|---:|")
for shape, madds, body, answer, us, err in rows:
    print(f"| {shape} | {madds:,} | {body/1e3:,.1f} kB | {answer/1e3:,.1f} kB | {us:,.1f} µs ± {err:,.1f} | "
          f"{us / (madds / 1e6):,.0f} µs | {us / (answer / 1e6):,.0f} µs |")

def fit(columns):
    # least squares y = X·beta with an intercept, by the normal equations (a handful of unknowns)
    X = [[1.0] + [c(r) for c in columns] for r in rows]
    y = [r[4] for r in rows]
    k = len(X[0])
    A = [[sum(X[i][a] * X[i][b] for i in range(len(X))) for b in range(k)] for a in range(k)]
    v = [sum(X[i][a] * y[i] for i in range(len(X))) for a in range(k)]
    for c in range(k):  # Gauss-Jordan
        p = max(range(c, k), key=lambda r: abs(A[r][c]))
        A[c], A[p], v[c], v[p] = A[p], A[c], v[p], v[c]
        for r in range(k):
            if r != c:
                f = A[r][c] / A[c][c]
                A[r] = [A[r][j] - f * A[c][j] for j in range(k)]
                v[r] -= f * v[c]
    beta = [v[i] / A[i][i] for i in range(k)]
    pred = [sum(b * x for b, x in zip(beta, row)) for row in X]
    mean = sum(y) / len(y)
    r2 = 1 - sum((a - b) ** 2 for a, b in zip(y, pred)) / sum((a - mean) ** 2 for a in y)
    worst = max(abs(a - b) / a for a, b in zip(y, pred))
    return beta, r2, worst

b, r2, w = fit([lambda r: r[1] / 1e6])
print(f"\ntime ≈ {b[0]:.1f} µs + {b[1]:.0f} µs per million multiply-adds (R² {r2:.3f}, worst case off by {100*w:.0f} %)")
b, r2, w = fit([lambda r: r[3] / 1e6])
print(f"time ≈ {b[0]:.1f} µs + {b[1]:.0f} µs per MB of answer (R² {r2:.3f}, worst case off by {100*w:.0f} %)")
b, r2, w = fit([lambda r: r[1] / 1e6, lambda r: r[3] / 1e6, lambda r: r[2] / 1e6])
print(f"time ≈ {b[0]:.1f} µs + {b[1]:.0f} µs per million multiply-adds + {b[2]:.0f} µs per MB of answer"
      f" + {b[3]:.0f} µs per MB of body (R² {r2:.3f}, worst case off by {100*w:.0f} %)")
