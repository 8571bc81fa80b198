"""The float32 cases recorded from PyTorch 2.13 (``python -m tests.float32.record``):
each case is a function of a ``torch``-like module (``torch`` or ``symgrad``)
returning tensors; the inputs come from a small integer generator, the same bits
under both.

Sums cover every loop of PyTorch's ``cascade_sum`` (contiguous rows in vectors,
contiguous columns four vectors at a time, scalar rows, scalar columns, a
transposed view, several dims at once), sizes 1..130 and a few large ones (up
to 32768 elements: PyTorch sums larger inputs on several threads), ``keepdim``,
``mean``, and the gradients that sum broadcast dimensions (``sum_to``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np

Case = Callable[[object], list]


def values(n: int, seed: int, spread: int = 8) -> np.ndarray:
    """``n`` float32 values of both signs and magnitudes ``2**-spread..2**spread``,
    from a 32-bit linear congruential generator (no NumPy random stream involved).

    >>> values(3, 1).dtype, values(3, 1).tolist() == values(3, 1).tolist()
    (dtype('float32'), True)
    """
    state = np.uint64(seed * 2654435761 % 2 ** 32)
    out = np.empty((n, 2), np.uint64)
    a, c, m = np.uint64(1664525), np.uint64(1013904223), np.uint64(2 ** 32)
    for i in range(n):  # small n only: an input generator, not a kernel
        state = (a * state + c) % m
        out[i, 0] = state
        state = (a * state + c) % m
        out[i, 1] = state
    frac = (out[:, 0] >> np.uint64(8)).astype(np.float64) / 2.0 ** 24 - 0.5
    expo = (out[:, 1] >> np.uint64(16)).astype(np.int64) % (2 * spread + 1) - spread
    return np.ldexp(frac * 2, expo).astype(np.float32)


def _t(T, n, seed, shape=None, spread=8, requires_grad=False):
    x = values(n, seed, spread)
    if shape is not None:
        x = x.reshape(shape)
    return T.tensor(x.tolist(), dtype=T.float32, requires_grad=requires_grad)


def _sums() -> dict[str, Case]:
    out: dict[str, Case] = {}
    sizes = list(range(1, 131)) + [255, 256, 257, 1000, 1023, 1025, 4097, 20000, 32768]
    out["sum-1d"] = lambda T: [_t(T, n, n).sum() for n in sizes]
    out["sum-1d-dim0-keepdim"] = lambda T: [_t(T, n, n + 7).sum(0, keepdim=True)
                                            for n in sizes[:60]]
    out["mean-1d"] = lambda T: [_t(T, n, n + 3).mean() for n in sizes[:40] + sizes[-4:]]
    shapes = [(3, 5), (5, 3), (2, 40), (40, 2), (7, 33), (33, 7), (8, 8), (16, 64), (64, 16),
              (100, 37), (37, 100), (3, 4, 5), (2, 9, 17), (17, 9, 2), (4, 1, 40), (6, 35, 12),
              (5, 6, 7, 8)]
    for shape in shapes:
        n = int(np.prod(shape))
        nd = len(shape)
        dims = [d for d in range(nd)] + [(0, nd - 1)] + ([(0, 1), (1, 2), (0, 2)] if nd > 2 else [])

        def case(T, shape=shape, n=n, dims=dims, nd=nd):
            x = _t(T, n, n + 11, shape)
            res = [x.sum()]
            for d in dims:
                res += [x.sum(d), x.sum(d, keepdim=True), x.mean(d)]
            xt = x.transpose(0, nd - 1)  # a non-contiguous view
            res += [xt.sum()] + [xt.sum(d) for d in range(nd)]
            return res
        out["sum-" + "x".join(map(str, shape))] = case

    def broadcast_grads(T):
        res = []
        for n in (5, 37, 2000):
            x = _t(T, n, n + 5)
            a = _t(T, 1, 1).reshape(()).detach().requires_grad_()
            b = _t(T, 1, 2).reshape(()).detach().requires_grad_()
            loss = (a + b * x - x.sin()).pow(2).sum()
            loss.backward()
            res += [loss, a.grad, b.grad]
        x = _t(T, 600, 9, (30, 20))
        w = _t(T, 20, 10).detach().requires_grad_()
        r = _t(T, 30, 11, (30, 1)).detach().requires_grad_()
        (x * w + r).sigmoid().sum().backward()
        return res + [w.grad, r.grad]
    out["grad-sum-to"] = broadcast_grads
    return out


def _elementwise() -> dict[str, Case]:
    out: dict[str, Case] = {}
    out["sigmoid"] = lambda T: [_t(T, n, n, spread=7).sigmoid()
                                for n in list(range(1, 70)) + [95, 96, 97, 1000]]
    out["sigmoid-special"] = lambda T: [T.tensor([0.0, -0.0, 1e-30, -1e-30, 88.7, -88.7, 103.9,
                                                  -103.9, 104.5, -104.5, 1e10, -1e10,
                                                  float("inf"), -float("inf")]).sigmoid()]
    for e in (2, 3, -1, -2, -0.5, 2.0, 3.0, 4, -3, 1.5, 0.3, 2.5):
        out[f"pow-{e}"] = _pow_case(e)
    out["pow-special"] = lambda T: [T.tensor([0.0, -0.0, 1.0, -1.0, float("inf"), -float("inf"),
                                              float("nan"), 1e-40, -1e-40, 3e38, -2.0, 0.5] * 3)
                                    ** e for e in (4, -3, 1.5, -0.7, 100, float("inf"), 1.0)]
    out["pow-grad"] = _pow_grad
    return out


def _pow_case(e: float) -> Case:
    return lambda T: ([_t(T, 500, 77, spread=4) ** e, _t(T, 500, 78, spread=4).abs() ** e]
                      + [_t(T, n, n, spread=3) ** e for n in (1, 7, 31, 33, 70)])


def _pow_grad(T):
    x = _t(T, 300, 5, spread=3).detach().requires_grad_()
    (x ** 3 + x ** 2).sum().backward()
    return [x.grad]


# Ops whose float32 values PyTorch takes from MKL's VML (high accuracy): symgrad
# rounds the exact value, which agrees for all but a few percent of inputs.
MKL_OPS = ("exp", "log", "sin", "cos", "tanh")


def _mkl() -> dict[str, Case]:
    out: dict[str, Case] = {}
    for name in MKL_OPS:
        spread = 3 if name != "log" else 12

        def case(T, name=name, spread=spread):
            x = _t(T, 2000, 99, spread=spread)
            if name == "log":
                x = x.abs()
            return [getattr(x, name)()]
        out["mkl-" + name] = case
    return out


def cases() -> dict[str, Case]:
    return {**_sums(), **_elementwise(), **_mkl()}


def digest(tensors: list) -> list[list]:
    """Each tensor as ``[dtype, shape, hex of its bytes]``."""
    res = []
    for t in tensors:
        a = np.ascontiguousarray(np.asarray(t.detach().numpy()))
        res.append([str(a.dtype), list(a.shape), a.tobytes().hex()])
    return res


def fingerprint(tensors: list) -> str:
    """One hash of a case's values (for a quick look)."""
    return hashlib.sha256("".join(d[2] for d in digest(tensors)).encode()).hexdigest()[:16]
