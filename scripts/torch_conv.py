"""PyTorch's own time for the CS231n-sized layer of src/test/java/dev/chainrule/bench/ConvBenchmark.java: x of
3x32x32 (or a batch of N), 16 filters of 3x3 with padding 1 and a bias, ReLU, 2x2 max-pool, summed, forward and
backward, float64, one thread. The yardstick for the JMH figure (the goal: at most 2x this).

    "$(cat /tmp/peer-python.txt)" scripts/torch_conv.py [N ...]     (default: 1 8)
"""
import math
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def measure(batch):
    g = torch.Generator().manual_seed(231)
    shape = (3, 32, 32) if batch == 1 else (batch, 3, 32, 32)
    x = torch.randn(shape, generator=g).requires_grad_()
    w = (torch.randn((16, 3, 3, 3), generator=g) * math.sqrt(2.0 / 27)).requires_grad_()
    b = (torch.randn((16,), generator=g) * 0.1).requires_grad_()

    def step():
        for t in (x, w, b):
            t.grad = None
        z = F.conv2d(x, w, b, padding=1)
        h = torch.relu(z)
        p = F.max_pool2d(h, 2)
        f = p.sum()
        f.backward()
        return f

    for _ in range(200):
        step()
    wall, cpu = [], []
    for _ in range(1000):
        t0, c0 = time.perf_counter(), time.thread_time()
        step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    wall.sort()
    cpu.sort()
    print("torch %s, batch %d, forward+backward, one thread: wall median %.1f us, min %.1f us; CPU median %.1f us"
          % (torch.__version__, batch, 1e6 * wall[len(wall) // 2], 1e6 * wall[0], 1e6 * cpu[len(cpu) // 2]))


for n in [int(a) for a in sys.argv[1:]] or [1, 8]:
    measure(n)
