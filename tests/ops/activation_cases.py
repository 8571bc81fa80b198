"""The calls that ``test_activations.py`` (recorded PyTorch 2.13 bits) and
``test_activations_oracle.py`` (PyTorch live) run in both libraries: each case is a
forward on a float32 input ``x`` and a backward with the cotangent ``g`` (or
``.backward()`` of a reduced loss), written once against a library ``T``.

Inputs are NumPy float32 arrays drawn from a fixed seed: a length-37 vector (one 32-float
block through PyTorch's vector code, 5 through its scalar code), a length-53 one (a
21-float tail: the loss backwards run 16 of them as a vector), and special values
(zeros, infinities, NaN, the thresholds of softplus, smooth_l1 and huber).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

SPECIAL = np.float32([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-8, -1e-8, 1e-30, -1e-30,
                      20.0, 20.000002, 19.999998, 10.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0,
                      88.0, 89.0, -88.0, -89.0, -104.0, -110.0, 6.0, 6.5, -3.0, 3.0,
                      5.5, -5.5, 9.0, -9.0, 0.03, -0.03, 1e4, -1e4])


def inputs(n: int, seed: int) -> dict[str, np.ndarray]:
    """``x`` (mixed scales), ``g`` (a cotangent), ``y`` (a regression target) and
    ``t`` (0/1 labels) of length ``n``; ``n == 0``: the special values."""
    rng = np.random.default_rng(seed)
    if n == 0:
        x = SPECIAL.copy()
        n = x.size
    else:
        x = (rng.standard_normal(n) * rng.choice([0.3, 3.0, 12.0], n)).astype(np.float32)
    return {"x": x, "g": rng.standard_normal(n).astype(np.float32),
            "y": rng.standard_normal(n).astype(np.float32),
            "t": (rng.random(n) > 0.5).astype(np.float32)}


SIZES = {"n37": (37, 1), "n53": (53, 2), "special": (0, 3)}


def _F(T: Any) -> Any:
    return T.nn.functional


def _grid(v: Any) -> Any:
    """The first ``4 * (n // 4)`` values as a transposed ``(n // 4, 4)`` view: an input
    PyTorch walks in memory order, not in its logical order."""
    n = (v.numel() // 4) * 4
    return v[:n].reshape(4, n // 4).t()


# name -> (forward(T, x, y, t), reduced?) ; x requires grad, y and t are plain tensors
CASES: dict[str, Callable[..., Any]] = {
    "silu": lambda T, x, y, t: _F(T).silu(x),
    "gelu": lambda T, x, y, t: _F(T).gelu(x),
    "gelu_tanh": lambda T, x, y, t: _F(T).gelu(x, approximate="tanh"),
    "elu": lambda T, x, y, t: _F(T).elu(x),
    "elu_alpha": lambda T, x, y, t: _F(T).elu(x, 0.3),
    "selu": lambda T, x, y, t: _F(T).selu(x),
    "celu": lambda T, x, y, t: _F(T).celu(x, 1.7),
    "softplus": lambda T, x, y, t: _F(T).softplus(x),
    "softplus_beta": lambda T, x, y, t: _F(T).softplus(x, 2.0, 5.0),
    "logsigmoid": lambda T, x, y, t: _F(T).logsigmoid(x),
    "leaky_relu": lambda T, x, y, t: _F(T).leaky_relu(x, 0.1),
    "hardtanh": lambda T, x, y, t: _F(T).hardtanh(x, -2.0, 2.0),
    "relu6": lambda T, x, y, t: _F(T).relu6(x),
    "mish": lambda T, x, y, t: _F(T).mish(x),
    "hardswish": lambda T, x, y, t: _F(T).hardswish(x),
    "hardsigmoid": lambda T, x, y, t: _F(T).hardsigmoid(x),
    "hardswish_inplace": lambda T, x, y, t: _F(T).hardswish(x * 1, inplace=True),
    "silu_inplace": lambda T, x, y, t: _F(T).silu(x * 1, inplace=True),
    "elu_inplace": lambda T, x, y, t: _F(T).elu(x * 1, 0.6, inplace=True),
    "leaky_relu_inplace": lambda T, x, y, t: _F(T).leaky_relu(x * 1, 0.2, inplace=True),
    "smooth_l1": lambda T, x, y, t: _F(T).smooth_l1_loss(x, y, reduction="none"),
    "smooth_l1_beta": lambda T, x, y, t: _F(T).smooth_l1_loss(x, y, reduction="none", beta=0.3),
    "smooth_l1_mean": lambda T, x, y, t: _F(T).smooth_l1_loss(x, y, beta=0.7),
    "smooth_l1_sum": lambda T, x, y, t: _F(T).smooth_l1_loss(x, y, reduction="sum"),
    "huber": lambda T, x, y, t: _F(T).huber_loss(x, y, reduction="none", delta=0.3),
    "huber_mean": lambda T, x, y, t: _F(T).huber_loss(x, y, delta=1.7),
    "bce_logits": lambda T, x, y, t: _F(T).binary_cross_entropy_with_logits(x, t,
                                                                           reduction="none"),
    "bce_logits_mean": lambda T, x, y, t: _F(T).binary_cross_entropy_with_logits(x, t),
    "bce_logits_sum": lambda T, x, y, t: _F(T).binary_cross_entropy_with_logits(
        x, t, reduction="sum"),
    "bce_logits_pos_weight": lambda T, x, y, t: _F(T).binary_cross_entropy_with_logits(
        x, t, reduction="none", pos_weight=T.tensor([1.7])),
    "bce_logits_weight": lambda T, x, y, t: _F(T).binary_cross_entropy_with_logits(
        x, t, weight=y.abs(), reduction="none"),
    # transposed inputs: the vector blocks come from memory order (and oneDNN is not used)
    "gelu_transposed": lambda T, x, y, t: _F(T).gelu(_grid(x)),
    "silu_transposed": lambda T, x, y, t: _F(T).silu(_grid(x)),
    "softplus_transposed": lambda T, x, y, t: _F(T).softplus(_grid(x)),
    "smooth_l1_transposed": lambda T, x, y, t: _F(T).smooth_l1_loss(_grid(x), _grid(y),
                                                                    reduction="none", beta=0.3),
    "bce_logits_transposed": lambda T, x, y, t: _F(T).binary_cross_entropy_with_logits(
        _grid(x), _grid(t), reduction="none"),
}


def run(T: Any, case: str, data: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The forward's values and the input's gradient, as float32 arrays."""
    x = T.from_numpy(data["x"].copy()).requires_grad_()
    y, t = T.from_numpy(data["y"].copy()), T.from_numpy(data["t"].copy())
    out = CASES[case](T, x, y, t)
    if out.ndim:
        g = data["g"][:out.numel()].reshape(tuple(out.shape))
        out.backward(T.from_numpy(g.copy()))
    else:
        out.backward()
    return (np.array(out.detach().numpy(), dtype=np.float32, ndmin=1),
            np.array(x.grad.numpy(), dtype=np.float32))


def bits(a: np.ndarray) -> list[str]:
    """Each float32 as 8 hex digits (every NaN as ``nan``: its sign and payload are
    not PyTorch's contract)."""
    a = np.asarray(a, dtype=np.float32).reshape(-1)
    return ["nan" if np.isnan(v) else f"{int(b):08x}" for v, b in zip(a, a.view(np.uint32))]
