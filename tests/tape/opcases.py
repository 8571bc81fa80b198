"""Per-op cases for the derivative tests of forward mode, higher order and func:
each is a function of float64 tensors (the ops of tests/helpers.py, plus the
composite ops and losses), its input shapes, and how to draw inputs that stay
away from kinks and ties.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tests.helpers import BINARY, KINKS, UNARY


@dataclass(frozen=True)
class Case:
    name: str
    fn: Callable[..., Any]          # fn(T, *tensors) with T = symgrad or torch
    shapes: tuple[tuple[int, ...], ...]
    smooth: bool = True             # no kinks: second derivatives are checkable everywhere

    def inputs(self, seed: int = 0) -> list[np.ndarray]:
        """Inputs in [-1.5, 1.5], spread so that no two entries tie."""
        rng = np.random.default_rng(seed)
        out = []
        for s in self.shapes:
            n = int(np.prod(s)) if s else 1
            base = rng.permutation(n) / max(n, 1) * 2.4 - 1.2 + 0.07
            out.append((base + rng.uniform(-0.02, 0.02, n)).reshape(s))
        return out


def _functional(T: Any) -> Any:
    return T.nn.functional


COMPOSITE: dict[str, tuple[Callable[..., Any], tuple[tuple[int, ...], ...]]] = {
    "logsumexp": (lambda T, x: T.logsumexp(x * 3, 1), ((2, 3),)),
    "logsumexp_all": (lambda T, x: T.logsumexp(x, (0, 1), keepdim=True), ((2, 3),)),
    "softmax": (lambda T, x: T.softmax(x * 2, 1), ((2, 3),)),
    "softmax0": (lambda T, x: x.softmax(0), ((2, 3),)),
    "log_softmax": (lambda T, x: T.log_softmax(x * 2, -1), ((2, 3),)),
    "mse_loss": (lambda T, x, y: _functional(T).mse_loss(x, y), ((2, 3), (2, 3))),
    "mse_none": (lambda T, x, y: _functional(T).mse_loss(x, y, reduction="none"),
                 ((2, 3), (2, 3))),
    "bce": (lambda T, x, y: _functional(T).binary_cross_entropy(
        T.sigmoid(x), T.sigmoid(y)), ((2, 3), (2, 3))),
    "bce_sum": (lambda T, x, y: _functional(T).binary_cross_entropy(
        T.sigmoid(x), T.sigmoid(y), reduction="sum"), ((4,), (4,))),
    "cross_entropy": (lambda T, x: _functional(T).cross_entropy(
        x * 2, T.tensor([2, 0])), ((2, 3),)),
    "cross_entropy_none": (lambda T, x: _functional(T).cross_entropy(
        x * 2, T.tensor([1, 0]), reduction="none"), ((2, 3),)),
    "cross_entropy_probs": (lambda T, x, y: _functional(T).cross_entropy(
        x, T.softmax(y, 1)), ((2, 3), (2, 3))),
    "matmul": (lambda T, x, y: T.matmul(x, y), ((2, 3), (3, 2))),
    "matvec": (lambda T, x, y: x @ y, ((2, 3), (3,))),
    "prod_dim": (lambda T, x: (x + 2).prod(1), ((2, 3),)),
    "mean_keep": (lambda T, x: x.mean(1, keepdim=True), ((2, 3),)),
    "max_dim": (lambda T, x: x.max(1)[0], ((2, 3),)),
    "amax_dim": (lambda T, x: x.amax(0), ((2, 3),)),
    "broadcast_mul": (lambda T, x, y: x * y, ((2, 3), (3,))),
    "expand": (lambda T, x: x.unsqueeze(0).expand(2, 3) * x, ((3,),)),
    "permute": (lambda T, x: x.permute(1, 0).sin(), ((2, 3),)),
    "pow_tensor": (lambda T, x, y: (x * x + 0.5) ** y, ((3,), (3,))),
}

KINKY = KINKS | {"max_dim", "amax_dim"}


def all_cases() -> list[Case]:
    cases = [Case(n, f, ((2, 3),), n not in KINKY) for n, f in UNARY.items()]
    cases += [Case(n, f, ((2, 3), (3,)), n not in KINKY) for n, f in BINARY.items()]
    cases += [Case(n, f, s, n not in KINKY) for n, (f, s) in COMPOSITE.items()]
    return cases


CASES = all_cases()
SMOOTH = [c for c in CASES if c.smooth]
