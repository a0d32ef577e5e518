"""Writes src/test/resources/golden-examples/*.json: PyTorch autograd (float64) answers to the coursework examples of
GET /v1/examples (src/main/resources/examples/ID.json), each written here as a TA writes it in PyTorch, on the
example's own values. Each file is {"request": the example's body, "response": {"output", "forward", "gradients"}}
as in golden-ops/: `forward` holds the inputs and the statements' names, `gradients` every non-index input and
every statement (index inputs have none).

Each computation is checked against a second way of writing it before anything is written: the SVM against
CS231n's masked assignment (margins[range(N), y] = 0), batch norm by hand against F.batch_norm, the window's
gather against a one-hot product. The examples sit away from every kink (no relu input, hinge margin or max-pool
tie within 1e-6), so no convention decides a gradient.

Run from the repository root with the peer venv's PyTorch:

    /root/.cache/chainrule-peer/bin/python scripts/golden_examples.py

Deterministic: no randomness; the same torch gives the same bytes.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "src", "main", "resources", "examples")
OUT = os.path.join(ROOT, "src", "test", "resources", "golden-examples")
KINK = 1e-6


def window_classifier(v):
    """CS224N's word-window classifier: the window's rows of L, concatenated, a sigmoid layer, softmax cross-entropy."""
    L, W, b, U = v["L"], v["W"], v["b"], v["U"]
    words, y = v["words"], v["y"]
    X = L[words]  # a word used twice in the window is gathered twice
    x = X.flatten()
    z = W @ x + b
    h = torch.sigmoid(z)
    s = U @ h
    J = F.cross_entropy(s, y)
    # the gather is a one-hot product: the same x
    onehot = F.one_hot(words, L.shape[0]).to(L.dtype)
    assert torch.equal((onehot @ L).flatten(), x)
    return {"X": X, "x": x, "z": z, "h": h, "s": s, "J": J}


def svm_vectorized(v):
    """CS231n's vectorized multiclass SVM with L2 (reg 0.1): the correct class's margin taken out of each row's sum."""
    X, W, y = v["X"], v["W"], v["y"]
    rows = torch.arange(X.shape[0])
    S = X @ W
    c = S[rows, y].reshape(-1, 1)
    M = torch.maximum(torch.zeros(()), S - c + 1)
    l = M.sum(dim=1) - M[rows, y]
    J = l.mean() + 0.1 * (W * W).sum()
    margins = (S - c + 1).detach()
    assert margins.abs().min() > KINK, "a margin at the hinge"
    return {"S": S, "c": c, "M": M, "l": l, "J": J}


def svm_masked(v):
    """The same loss as CS231n's svm_loss_vectorized writes it: margins[range(N), y] = 0."""
    X, W, y = v["X"], v["W"], v["y"]
    rows = torch.arange(X.shape[0])
    S = X @ W
    margins = torch.clamp(S - S[rows, y].reshape(-1, 1) + 1, min=0)
    margins[rows, y] = 0
    return margins.sum() / X.shape[0] + 0.1 * (W * W).sum()


def batch_norm_by_hand(v):
    """CS231n's batchnorm_forward in training mode, then J = sum(Y * dout), so that ∂J/∂Y is the upstream dout."""
    X, gamma, beta, dout = v["X"], v["gamma"], v["beta"], v["dout"]
    mu = X.mean(dim=0)
    sigma2 = X.var(dim=0, unbiased=False)
    xhat = (X - mu) / torch.sqrt(sigma2 + 1e-5)
    Y = gamma * xhat + beta
    J = (Y * dout).sum()
    return {"mu": mu, "sigma2": sigma2, "xhat": xhat, "Y": Y, "J": J}


def batch_norm_builtin(v):
    return (F.batch_norm(v["X"], None, None, v["gamma"], v["beta"], training=True, eps=1e-5) * v["dout"]).sum()


def conv_relu_maxpool(v):
    """CS231n's conv - relu - 2x2 max pool - affine - softmax on one 1×4×4 image with two 3×3 filters."""
    x, W1, b1, W2, b2, y = v["x"], v["W1"], v["b1"], v["W2"], v["b2"], v["y"]
    Z = F.conv2d(x, W1, b1, padding=1)
    R = torch.relu(Z)
    P = F.max_pool2d(R, 2)
    s = W2 @ P.flatten() + b2
    J = F.cross_entropy(s, y)
    assert Z.abs().min() > KINK, "a relu input at 0"
    windows = R.detach().unfold(1, 2, 2).unfold(2, 2, 2).reshape(R.shape[0], 2, 2, 4)
    top2 = windows.topk(2, dim=-1).values
    assert (top2[..., 0] - top2[..., 1]).min() > KINK, "a max-pool window with a tie"
    return {"Z": Z, "R": R, "P": P, "s": s, "J": J}


EXPRESSIONS = {
    "cs224n-window-classifier": (window_classifier, None,
        "X = L[words]\nx = X.flatten()\nz = W @ x + b\nh = sigmoid(z)\ns = U @ h\nJ = cross_entropy(s, y)"),
    "cs231n-svm-vectorized": (svm_vectorized, svm_masked,
        "S = X @ W\nc = pick(S, y).reshape(-1, 1)\nM = max(0, S - c + 1)\nl = M.sum(axis=1) - pick(M, y)\n"
        "J = mean(l) + 0.1 * sum(W * W)"),
    "batch-norm-by-hand": (batch_norm_by_hand, batch_norm_builtin,
        "mu = X.mean(axis=0)\nsigma2 = X.var(axis=0)\nxhat = (X - mu) / sqrt(sigma2 + 1e-5)\nY = gamma * xhat + beta\n"
        "J = sum(Y * dout)"),
    "conv-relu-maxpool": (conv_relu_maxpool, None,
        "Z = conv2d(x, W1, b1, padding=1)\nR = relu(Z)\nP = maxpool2d(R, 2)\ns = W2 @ P.flatten() + b2\n"
        "J = cross_entropy(s, y)"),
}
INDEX_INPUTS = {"words", "y"}


def plain(t):
    return t.item() if t.dim() == 0 else t.tolist()


def inputs(values):
    """Index inputs as integer tensors without gradient; every other value a float64 leaf with a gradient."""
    out = {}
    for name, value in values.items():
        if name in INDEX_INPUTS:
            out[name] = torch.tensor(value, dtype=torch.long)
        else:
            out[name] = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    return out


def solve(compute, values):
    leaves = inputs(values)
    nodes = compute(leaves)
    for t in nodes.values():
        t.retain_grad()
    output = list(nodes)[-1]
    nodes[output].backward()
    forward = {name: plain(t.detach()) for name, t in leaves.items()}
    forward.update({name: plain(t.detach()) for name, t in nodes.items()})
    gradients = {name: plain(t.grad) for name, t in leaves.items() if t.requires_grad}
    gradients.update({name: plain(t.grad) for name, t in nodes.items()})
    return leaves, {"output": output, "forward": forward, "gradients": gradients}


def agree(name, leaves, response, other, values):
    """The second way of writing the example gives the same output and the same gradient of every input."""
    again = inputs(values)
    J = other(again)
    J.backward()
    assert abs(J.item() - response["forward"][response["output"]]) < 1e-12, (name, J.item())
    for input_name, t in again.items():
        if t.requires_grad:
            assert torch.allclose(t.grad, leaves[input_name].grad, rtol=0, atol=1e-12), (name, input_name)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (compute, other, expression) in EXPRESSIONS.items():
        with open(os.path.join(EXAMPLES, name + ".json"), encoding="utf-8") as f:
            request = json.load(f)
        assert request["expression"] == expression, name + ": the example's expression is not the one computed here"
        leaves, response = solve(compute, request["values"])
        if other is not None:
            agree(name, leaves, response, other, request["values"])
        with open(os.path.join(OUT, name + ".json"), "w", encoding="utf-8") as out:
            out.write(json.dumps({"request": request, "response": response}, indent=1, ensure_ascii=False) + "\n")
    print("%d examples written to %s (torch %s)" % (len(EXPRESSIONS), os.path.relpath(OUT, ROOT), torch.__version__))


if __name__ == "__main__":
    main()
