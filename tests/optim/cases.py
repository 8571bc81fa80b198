"""Optimizer cases: parameters and gradients from a fixed NumPy stream, stepped many
times; the parameters after each step are the record. Only the optimizer's own
arithmetic is exercised (the gradients are given, not computed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    "sgd": ("SGD", {"lr": 0.1}),
    "sgd-momentum": ("SGD", {"lr": 0.05, "momentum": 0.9}),
    "sgd-nesterov-wd": ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True,
                                "weight_decay": 0.01}),
    "sgd-dampening-max": ("SGD", {"lr": 0.05, "momentum": 0.5, "dampening": 0.3,
                                  "maximize": True}),
    "adam": ("Adam", {"lr": 0.01}),
    "adam-amsgrad-wd": ("Adam", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    "adamw": ("AdamW", {"lr": 0.01}),
    "rmsprop": ("RMSprop", {"lr": 0.01}),
    "rmsprop-centered-momentum": ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True}),
}


def run(lib: Any, name: str, dtype: str, steps: int = 25) -> list[np.ndarray]:
    """The parameter after each of ``steps`` updates with given gradients."""
    cls, kw = CONFIGS[name]
    rs = np.random.RandomState(len(name))
    dt = np.dtype(dtype)
    p = lib.tensor(rs.randn(19).astype(dt), requires_grad=True)
    opt = getattr(lib.optim, cls)([p], **kw)
    out = []
    for _ in range(steps):
        p.grad = lib.tensor(rs.randn(19).astype(dt))
        opt.step()
        out.append(p.detach().numpy().copy())
    return out


def cases() -> dict[str, Callable[[Any], list[np.ndarray]]]:
    return {f"{n}-{d}": (lambda lib, n=n, d=d: run(lib, n, d))
            for n in CONFIGS for d in ("float32", "float64")}
