"""Writes scripts/bodies/large.json: a 256-256-256-10 ReLU network, a batch of 64, softmax cross-entropy, steps off.

The same generator (and seed) as the performance yardstick's, so the file is byte-for-byte the one the peer and
floor are measured on. Run: python3 scripts/make_large.py
"""
import json, os, random

r = random.Random(7)
sizes = [256, 256, 256, 10]
layers = []
for i in range(1, len(sizes)):
    scale = (2.0 / sizes[i - 1]) ** 0.5
    layers.append({"type": "dense",
                   "W": [[round(r.gauss(0, scale), 4) for _ in range(sizes[i - 1])] for _ in range(sizes[i])],
                   "b": [0.0] * sizes[i],
                   "activation": "relu" if i < len(sizes) - 1 else "identity"})
req = {"network": {"layers": layers},
       "batch": [[round(r.gauss(0, 1), 3) for _ in range(sizes[0])] for _ in range(64)],
       "loss": {"type": "softmax_cross_entropy", "y": [r.randrange(10) for _ in range(64)]},
       "options": {"steps": False}}
json.dump(req, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "bodies", "large.json"), "w"))
