"""Writes src/test/resources/golden-layers/*.json: PyTorch autograd (float64) answers to POST /v1/gradients for the
layers and losses of api-contract.md, "Layers and losses added for coursework" (embedding, layer_norm, dropout,
multiclass_svm, mse), each file {"request": ..., "response": {"forward": ..., "gradients": ...}} as in golden/.
The naming and ordering choices are written in src/test/resources/golden-layers/README.md.

Run from the repository root with the PyTorch that ../shared/perf/peer-venv.sh builds (it prints its python):

    "$(../shared/perf/peer-venv.sh)" scripts/golden_layers.py            # rewrites the cases
    "$(../shared/perf/peer-venv.sh)" scripts/golden_layers.py --check    # also recomputes golden/*.json and compares

Deterministic: every random case has its own fixed seed, and the same torch gives the same bytes.
"""
import json
import os
import random
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
F64 = torch.float64
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "test", "resources", "golden-layers")


def T(v, grad=False):
    return torch.tensor(v, dtype=F64, requires_grad=grad)


ACT = {  # activation → f(z) (alpha: leaky_relu's slope)
    "identity": lambda z, alpha: z.clone(),
    "relu": lambda z, alpha: torch.relu(z),
    "leaky_relu": lambda z, alpha: F.leaky_relu(z, alpha),
    "sigmoid": lambda z, alpha: torch.sigmoid(z),
    "tanh": lambda z, alpha: torch.tanh(z),
    "hardtanh": lambda z, alpha: F.hardtanh(z),
    "softplus": lambda z, alpha: F.softplus(z),
    "gelu": lambda z, alpha: F.gelu(z),
    "silu": lambda z, alpha: F.silu(z),
    "softmax": lambda z, alpha: torch.softmax(z, dim=-1),
}


def names_for(layers):
    """Each layer's names. Kinds are numbered separately, from the input; a kind that occurs once has no number."""
    count = {}
    for layer in layers:
        count[layer["type"]] = count.get(layer["type"], 0) + 1
    seen = {}
    out = []
    for layer in layers:
        kind = layer["type"]
        seen[kind] = seen.get(kind, 0) + 1
        sfx = "" if count[kind] == 1 else str(seen[kind])
        out.append({
            "embedding": lambda: {"L": "L", "out": "x"},
            "dense": lambda: {"W": "W" + sfx, "b": "b" + sfx, "z": "z" + sfx, "out": "h" + sfx},
            "layer_norm": lambda: {"gamma": "gamma" + sfx, "beta": "beta" + sfx, "out": "n" + sfx},
            "dropout": lambda: {"out": "m" + sfx},
            "score": lambda: {"u": "u", "out": "s"},
        }[kind]())
    return out


def keep(record, name, t):
    t.retain_grad()
    record[name] = t
    return t


def run_net(layers, names, params, h, suffix, record, kinks):
    """h: (n, d), one row per example. Records every intermediate (retaining its gradient) in order, and in kinks
    how far each input of a kinked function lies from its kink."""
    for layer, nm in zip(layers, names):
        kind = layer["type"]
        if kind == "embedding":
            continue  # looked up before the walk: x is the network's input
        if kind == "dense":
            z = h @ params[nm["W"]].T  # z = W·in + b
            if nm["b"] in params:
                z = z + params[nm["b"]]
            keep(record, nm["z"] + suffix, z)
            activation = layer.get("activation", "identity")
            if activation in ("relu", "leaky_relu"):
                kinks.append(z.detach().abs().min().item())
            elif activation == "hardtanh":
                kinks.append((z.detach().abs() - 1).abs().min().item())
            h = keep(record, nm["out"] + suffix, ACT[activation](z, layer.get("alpha", 0.01)))
        elif kind == "layer_norm":
            d = h.shape[-1]
            out = F.layer_norm(h, (d,), params.get(nm["gamma"]), params.get(nm["beta"]), layer.get("eps", 1e-5))
            h = keep(record, nm["out"] + suffix, out)
        elif kind == "dropout":
            mask = T(layer["mask"]).reshape(h.shape)  # (d) for one example, (n, d) for a batch
            h = keep(record, nm["out"] + suffix, h * mask / (1 - layer.get("p", 0.5)))  # in ⊙ mask / (1 − p)
        elif kind == "score":
            h = keep(record, "s" + suffix, h @ params["u"])  # s = uᵀ·in
        else:
            raise ValueError("unknown layer type " + kind)
    return h


def svm(o, y, margin, kinks):
    """CS231n: Σ_{j≠y} max(0, o_j − o_y + margin). torch.relu passes no gradient at exactly 0 (clamp(min=0) passes 1)."""
    others = [j for j in range(o.shape[0]) if j != y]
    terms = o[others] - o[y] + margin
    kinks.append(terms.detach().abs().min().item())
    return torch.relu(terms).sum()


def compute(req, kinks=None):
    """The answer to req; kinks, when given, receives the distance of every kinked function's input to its kink."""
    kinks = [] if kinks is None else kinks
    layers = req["network"]["layers"]
    names = names_for(layers)
    params = {}
    for layer, nm in zip(layers, names):
        for field in ("L", "W", "b", "gamma", "beta", "u"):
            if layer.get(field) is not None:
                params[nm[field]] = T(layer[field], True)
    batched = "batch" in req or "batch_words" in req
    for layer in layers:  # the contract: with a batch, the mask has one row per example
        assert layer["type"] != "dropout" or torch.tensor(layer["mask"]).dim() == (2 if batched else 1), "mask rows"
    rec = {}
    if layers[0]["type"] == "embedding":
        words = torch.tensor(req["batch_words"] if batched else [req["words"]], dtype=torch.long)
        X = keep(rec, "x", F.embedding(words, params["L"]).reshape(words.shape[0], -1))  # the window's rows of L
    else:
        X = rec["x"] = T(req["batch"] if batched else [req["x"]], True)
    loss = req.get("loss") or {"type": "score"}
    lt = loss["type"]
    out = run_net(layers, names, params, X, "", rec, kinks)
    ys = loss.get("y")
    if not batched and lt not in ("score", "max_margin"):
        ys = [ys]
    if lt == "score":
        per = out
    elif lt == "squared_error":
        o = out.reshape(out.shape[0], -1)
        y = T([v if isinstance(v, list) else [v] for v in ys])
        per = 0.5 * ((o - y) ** 2).sum(dim=-1)
    elif lt == "softmax_cross_entropy":
        logp = torch.log_softmax(out, dim=-1)
        per = torch.stack([-logp[i, y] if isinstance(y, int) else -(T(y) * logp[i]).sum() for i, y in enumerate(ys)])
    elif lt == "binary_cross_entropy":
        per = F.binary_cross_entropy_with_logits(out.reshape(-1), T([float(v) for v in ys]), reduction="none")
    elif lt == "max_margin":
        assert layers[0]["type"] != "embedding", "the contract gives no corrupt window"
        Xc = rec["x_c"] = T(loss["batch_c"] if batched else [loss["x_c"]], True)
        sc = run_net(layers, names, params, Xc, "_c", rec, kinks)
        hinge = loss.get("margin", 1.0) - out + sc
        kinks.append(hinge.detach().abs().min().item())
        per = torch.relu(hinge)
    elif lt == "mse":
        per = torch.stack([F.mse_loss(out[i], T(y)) for i, y in enumerate(ys)])  # mean over the example's entries
    elif lt == "multiclass_svm":
        per = torch.stack([svm(out[i], y, loss.get("margin", 1.0), kinks) for i, y in enumerate(ys)])
    else:
        raise ValueError("unknown loss " + lt)
    J = (per.mean() if req.get("reduction", "mean") == "mean" else per.sum()) if batched else per.sum()
    J.backward()

    def val(t):
        t = t.detach()
        return (t if batched else t[0]).tolist()

    forward = {k: val(v) for k, v in rec.items()}
    forward["J"] = J.item()
    grads = {"J": 1.0}
    for k, v in rec.items():
        assert v.grad is not None, k
        grads[k] = val(v.grad)
    for k, p in params.items():
        grads[k] = p.grad.tolist()
    return {"forward": forward, "gradients": grads}


# ---- the cases -------------------------------------------------------------------------------------------------

def r3(x):
    return round(x, 3) + 0.0  # + 0.0 turns -0.0 into 0.0


def mat(rng, rows, cols, scale=1.0):
    return [[r3(rng.gauss(0, scale)) for _ in range(cols)] for _ in range(rows)]


def vec(rng, n, scale=1.0):
    return [r3(rng.gauss(0, scale)) for _ in range(n)]


def dense(rng, n_in, n_out, activation=None, bias=True):
    layer = {"type": "dense", "W": mat(rng, n_out, n_in, 0.8)}
    if bias:
        layer["b"] = vec(rng, n_out, 0.5)
    if activation:
        layer["activation"] = activation
    if activation == "leaky_relu":
        layer["alpha"] = r3(rng.uniform(0.05, 0.3))
    return layer


def layer_norm(rng, d, gamma=True, beta=True, eps=None):
    layer = {"type": "layer_norm"}
    if gamma:
        layer["gamma"] = [r3(1 + rng.gauss(0, 0.3)) for _ in range(d)]
    if beta:
        layer["beta"] = vec(rng, d, 0.3)
    if eps is not None:
        layer["eps"] = eps
    return layer


def mask_row(rng, d, p):
    while True:
        row = [0 if rng.random() < p else 1 for _ in range(d)]
        if 0 < sum(row) < d:
            return row


def dropout(rng, d, p, n=None, give_p=True):
    layer = {"type": "dropout", "mask": mask_row(rng, d, p) if n is None else [mask_row(rng, d, p) for _ in range(n)]}
    if give_p:
        layer["p"] = p
    return layer


def request(layers, inputs, loss, reduction=None):
    """inputs: {"x": …} / {"batch": …} / {"words": …} / {"batch_words": …}."""
    req = {"network": {"layers": layers}}
    req.update(inputs)
    if reduction:
        req["reduction"] = reduction
    if loss:
        req["loss"] = loss
    return req


def target(rng, loss, d, n):
    """A random target of the loss for an output of d entries (0: a scalar), one per example with a batch of n."""
    def one():
        if loss in ("mse", "squared_error"):
            return r3(rng.gauss(0, 1)) if d == 0 else vec(rng, d)
        if loss in ("multiclass_svm", "softmax_cross_entropy"):
            return rng.randrange(d)
        if loss == "binary_cross_entropy":
            return r3(rng.random())
        raise ValueError(loss)
    return one() if n is None else [one() for _ in range(n)]


def hand_cases():
    cases = {}
    rng = random.Random(26)

    # embedding: x = [L[w1]; L[w2]; …] (CS224N's x_window); ∂J/∂L scattered into the looked-up rows
    L = mat(rng, 6, 3)
    cases["embedding-window"] = request(
        [{"type": "embedding", "L": L}, dense(rng, 9, 4, "tanh"), {"type": "score", "u": vec(rng, 4)}],
        {"words": [1, 4, 2]}, {"type": "score"})
    cases["embedding-repeated-word"] = request(
        [{"type": "embedding", "L": mat(rng, 5, 2)}, dense(rng, 6, 3, "sigmoid"), {"type": "score", "u": vec(rng, 3)}],
        {"words": [2, 0, 2]}, {"type": "score"})
    cases["embedding-batch-words-mean"] = request(
        [{"type": "embedding", "L": mat(rng, 4, 2)}, dense(rng, 4, 3)],
        {"batch_words": [[0, 1], [3, 3], [1, 0]]}, {"type": "softmax_cross_entropy", "y": [2, 0, 1]})
    cases["embedding-batch-words-sum"] = request(
        [{"type": "embedding", "L": mat(rng, 5, 2)}, dense(rng, 6, 2, "relu")],
        {"batch_words": [[4, 1, 4], [0, 2, 1]]}, {"type": "squared_error", "y": [vec(rng, 2), vec(rng, 2)]}, "sum")

    # layer_norm: F.layer_norm over each example's vector
    cases["layer-norm-affine"] = request(
        [layer_norm(rng, 4), {"type": "score", "u": vec(rng, 4)}], {"x": vec(rng, 4)}, {"type": "score"})
    cases["layer-norm-plain-eps"] = request(
        [dense(rng, 3, 4, "tanh"), layer_norm(rng, 4, False, False, 0.01), {"type": "score", "u": vec(rng, 4)}],
        {"x": vec(rng, 3)}, {"type": "score"})
    cases["layer-norm-gamma-only-eps"] = request(
        [layer_norm(rng, 3, True, False, 0.5), dense(rng, 3, 2)],
        {"x": vec(rng, 3)}, {"type": "squared_error", "y": vec(rng, 2)})
    cases["layer-norm-beta-only"] = request(
        [dense(rng, 2, 3, "relu"), layer_norm(rng, 3, False, True)],
        {"x": vec(rng, 2)}, {"type": "softmax_cross_entropy", "y": 1})
    cases["layer-norm-batch-sum"] = request(
        [dense(rng, 3, 3, "tanh"), layer_norm(rng, 3), {"type": "score", "u": vec(rng, 3)}],
        {"batch": mat(rng, 3, 3)}, {"type": "score"}, "sum")
    cases["two-layer-norms"] = request(
        [dense(rng, 3, 4), layer_norm(rng, 4), dense(rng, 4, 3, "relu"), layer_norm(rng, 3, False, False, 0.001),
         {"type": "score", "u": vec(rng, 3)}],
        {"x": vec(rng, 3)}, {"type": "score"})

    # dropout: in ⊙ mask / (1 − p) with the mask given
    cases["dropout-p-half"] = request(
        [dense(rng, 3, 4, "relu"), {"type": "dropout", "mask": [1, 0, 1, 1], "p": 0.5},
         {"type": "score", "u": vec(rng, 4)}],
        {"x": vec(rng, 3)}, {"type": "score"})
    cases["dropout-input-p-0.2"] = request(
        [{"type": "dropout", "mask": [1, 1, 0, 1, 1], "p": 0.2}, dense(rng, 5, 2, "sigmoid")],
        {"x": vec(rng, 5)}, {"type": "mse", "y": vec(rng, 2)})
    cases["dropout-batch-masks-mean"] = request(
        [dense(rng, 2, 3, "tanh"), {"type": "dropout", "mask": [[1, 0, 1], [0, 1, 1], [1, 1, 0]], "p": 0.25},
         dense(rng, 3, 3)],
        {"batch": mat(rng, 3, 2)}, {"type": "softmax_cross_entropy", "y": [0, 2, 1]})
    cases["dropout-batch-masks-sum-default-p"] = request(
        [dense(rng, 3, 4, "silu"), {"type": "dropout", "mask": [[0, 1, 1, 0], [1, 1, 0, 1]]},
         {"type": "score", "u": vec(rng, 4)}],
        {"batch": mat(rng, 2, 3)}, {"type": "squared_error", "y": [r3(rng.gauss(0, 1)), r3(rng.gauss(0, 1))]}, "sum")
    cases["two-dropouts"] = request(
        [{"type": "dropout", "mask": [0, 1, 1], "p": 0.1}, dense(rng, 3, 4, "gelu"),
         {"type": "dropout", "mask": [1, 1, 0, 1], "p": 0.5}, {"type": "score", "u": vec(rng, 4)}],
        {"x": vec(rng, 3)}, {"type": "score"})

    # multiclass_svm: Σ_{j≠y} max(0, ŷ_j − ŷ_y + margin)
    cases["svm-one"] = request([dense(rng, 3, 4, "tanh")], {"x": vec(rng, 3)}, {"type": "multiclass_svm", "y": 2})
    # exactly representable numbers: z = Wx + b = [1, 0.5, 1.75] exactly; with y = 0 and margin 0.5 the term of j = 1
    # is 0.5 − 1 + 0.5 = 0.0 exactly (no gradient) and that of j = 2 is 1.25
    exact = {"type": "dense", "W": [[0.5, 0.25], [0.25, 0.125], [-0.5, 1]], "b": [0, 0, 0.25]}
    cases["svm-zero-margin-term"] = request(
        [exact], {"x": [1, 2]}, {"type": "multiclass_svm", "y": 0, "margin": 0.5})
    cases["svm-margin-2-batch-mean"] = request(
        [dense(rng, 2, 3, "relu"), dense(rng, 3, 4)], {"batch": mat(rng, 3, 2)},
        {"type": "multiclass_svm", "y": [3, 0, 1], "margin": 2})
    # the same exact layer on three inputs: z = [1, 0.5, 1.75], [−2, −1, −1.5], [0.5, 0.25, −0.25]; with margin 0.5
    # and y = 0, 2, 1 each example has one term exactly 0.0 and one positive (checked in main())
    cases["svm-batch-sum-zero-terms"] = request(
        [exact], {"batch": [[1, 2], [-2.5, -3], [1, 0]]}, {"type": "multiclass_svm", "y": [0, 2, 1], "margin": 0.5},
        "sum")

    # mse: F.mse_loss, the mean of (ŷᵢ − yᵢ)² over the output's entries
    cases["mse-vector"] = request([dense(rng, 3, 3, "sigmoid")], {"x": vec(rng, 3)}, {"type": "mse", "y": vec(rng, 3)})
    cases["mse-scalar-output"] = request(
        [dense(rng, 2, 3, "tanh"), {"type": "score", "u": vec(rng, 3)}], {"x": vec(rng, 2)},
        {"type": "mse", "y": r3(rng.gauss(0, 1))})
    cases["mse-batch-mean"] = request(
        [dense(rng, 2, 3, "softplus"), dense(rng, 3, 2)], {"batch": mat(rng, 3, 2)},
        {"type": "mse", "y": [vec(rng, 2) for _ in range(3)]})
    cases["mse-batch-sum-scalar-output"] = request(
        [dense(rng, 3, 2, "leaky_relu"), {"type": "score", "u": vec(rng, 2)}], {"batch": mat(rng, 3, 3)},
        {"type": "mse", "y": vec(rng, 3)}, "sum")

    # CS224N's window classifier: x_window = [L[w₋₁]; L[w₀]; L[w₊₁]] → tanh layer → class scores → softmax CE
    Lw = mat(rng, 7, 3)
    hidden, out = dense(rng, 9, 4, "tanh"), dense(rng, 4, 3)
    cases["cs224n-window-classifier"] = request(
        [{"type": "embedding", "L": Lw}, hidden, out], {"words": [5, 1, 3]}, {"type": "softmax_cross_entropy", "y": 2})
    cases["cs224n-window-classifier-batch"] = request(
        [{"type": "embedding", "L": Lw}, hidden, out], {"batch_words": [[5, 1, 3], [0, 6, 0], [2, 2, 4]]},
        {"type": "softmax_cross_entropy", "y": [2, 0, 1]})
    return cases


MIX_LOSSES = ["mse", "multiclass_svm", "softmax_cross_entropy", "squared_error", "binary_cross_entropy", "score",
              "max_margin"]


def mix_case(seed, loss):
    """Random network: an embedding first (except with max_margin, whose corrupt input the contract gives as x_c),
    then dense, layer_norm and dropout in a random order, one of them twice; then the loss."""
    rng = random.Random(1000 + seed)
    n = rng.choice([None, 2, 3])
    layers = []
    if loss == "max_margin":
        d = d_in = rng.randint(2, 4)
        inputs = {"x": vec(rng, d)} if n is None else {"batch": mat(rng, n, d)}
    else:
        vocab, dim, window = rng.randint(4, 7), rng.randint(2, 3), rng.randint(2, 3)
        layers.append({"type": "embedding", "L": mat(rng, vocab, dim)})
        words = lambda: [rng.randrange(vocab) for _ in range(window)]
        inputs = {"words": words()} if n is None else {"batch_words": [words() for _ in range(n)]}
        d = dim * window
    kinds = ["dense", "layer_norm", "dropout", rng.choice(["dense", "layer_norm", "dropout"])]
    rng.shuffle(kinds)
    for kind in kinds:
        if kind == "dense":
            width = rng.randint(2, 4)
            layers.append(dense(rng, d, width, rng.choice(list(ACT)), rng.random() < 0.8))
            d = width
        elif kind == "layer_norm":
            layers.append(layer_norm(rng, d, rng.random() < 0.6, rng.random() < 0.6, rng.choice([None, 0.01])))
        else:
            layers.append(dropout(rng, d, rng.choice([0.5, 0.25, 0.2]), n))
    if loss in ("score", "binary_cross_entropy", "max_margin"):
        layers.append({"type": "score", "u": vec(rng, d)})
    spec = {"type": loss}
    if loss == "max_margin":
        spec.update({"x_c": vec(rng, d_in)} if n is None else {"batch_c": mat(rng, n, d_in)})
        spec["margin"] = r3(rng.uniform(0.5, 2))
    elif loss != "score":
        spec["y"] = target(rng, loss, 0 if loss == "binary_cross_entropy" else d, n)
        if loss == "multiclass_svm" and rng.random() < 0.5:
            spec["margin"] = r3(rng.uniform(0.5, 2))
    return request(layers, inputs, spec, rng.choice(["mean", "sum"]) if n else None)


def all_cases():
    cases = hand_cases()
    for i, loss in enumerate(MIX_LOSSES, start=1):
        cases["mix-%03d-%s" % (i, loss.replace("_", "-"))] = mix_case(i, loss)
    return cases


def check_exact_zero_terms(name, req):
    """The svm cases named zero: an example without a term exactly 0.0 would not test the kink."""
    W, b = T(req["network"]["layers"][0]["W"]), T(req["network"]["layers"][0]["b"])
    rows = req["batch"] if "batch" in req else [req["x"]]
    ys = req["loss"]["y"] if "batch" in req else [req["loss"]["y"]]
    for x, y in zip(rows, ys):
        z = W @ T(x) + b
        terms = [(z[j] - z[y] + req["loss"]["margin"]).item() for j in range(len(z)) if j != y]
        assert 0.0 in terms and any(t > 0 for t in terms), (name, terms)


def check_old():
    """Recomputes every golden/*.json with this code: names and order as stored, values within Golden.java's tolerance."""
    d = os.path.join(ROOT, "src", "test", "resources", "golden")
    bad = 0
    for f in sorted(os.listdir(d)):
        case = json.load(open(os.path.join(d, f)))
        got = compute(case["request"])
        for part in ("forward", "gradients"):
            exp = case["response"][part]
            assert list(exp) == list(got[part]), (f, part, list(exp), list(got[part]))
            for k in exp:
                a, e = torch.tensor(got[part][k], dtype=F64), torch.tensor(exp[k], dtype=F64)
                bad += int(((a - e).abs() > 1e-9 * e.abs() + 1e-12).sum())  # Golden.java's tolerance
    print("golden/: %d cases recomputed, %d entries outside 1e-9 relative + 1e-12" % (len(os.listdir(d)), bad))
    if bad:
        sys.exit(1)


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = all_cases()
    for name in ("svm-zero-margin-term", "svm-batch-sum-zero-terms"):
        check_exact_zero_terms(name, cases[name])
    for f in os.listdir(OUT):
        if f.endswith(".json"):
            os.remove(os.path.join(OUT, f))
    for name, req in cases.items():
        kinks = []
        response = compute(req, kinks)
        # away from kinks (1e-6) unless the case is about one: another correct summation order gives the same side
        assert "zero" in name or min(kinks, default=1) > 1e-6, (name, min(kinks))
        with open(os.path.join(OUT, name + ".json"), "w") as out:
            out.write(json.dumps({"request": req, "response": response}, indent=1) + "\n")
    print("%d cases written to %s" % (len(cases), os.path.relpath(OUT, ROOT)))
    if "--check" in sys.argv:
        check_old()


if __name__ == "__main__":
    main()
