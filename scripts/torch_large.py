"""PyTorch's own time for the forward and backward pass of scripts/bodies/large.json (float64, one thread):
the yardstick for the engine's JMH figure. Needs python3-torch (Debian) or torch (pip).

    /usr/bin/python3 scripts/torch_large.py
"""
import json
import os
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
here = os.path.dirname(os.path.abspath(__file__))
req = json.load(open(os.path.join(here, "bodies", "large.json")))
layers = req["network"]["layers"]
Ws = [torch.tensor(l["W"], requires_grad=True) for l in layers]
bs = [torch.tensor(l["b"], requires_grad=True) for l in layers]
X = torch.tensor(req["batch"], requires_grad=True)
y = torch.tensor(req["loss"]["y"])


def step():
    h = X
    inter = []
    for i, (W, b) in enumerate(zip(Ws, bs)):
        z = h @ W.T + b
        z.retain_grad()
        h = torch.relu(z) if layers[i]["activation"] == "relu" else z.clone()
        h.retain_grad()
        inter += [z, h]
    J = torch.nn.functional.cross_entropy(h, y)
    for p in Ws + bs + [X]:
        p.grad = None
    J.backward()
    return J


for _ in range(50):
    step()
times = []
for _ in range(200):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
times.sort()
print("torch %s forward+backward, one thread: median %.3f ms, min %.3f ms" % (torch.__version__, 1e3 * times[len(times) // 2], 1e3 * times[0]))
