"""Per-op cases for the derivative tests of forward mode, higher order and func,
drawn from the samples of ``tests/ops/samples.py``: each case is a sample's
function, with its inputs first mapped into the sample's domain, its input
shapes, and how to draw inputs that stay away from its kinks and ties.

:func:`left_out` says why a differentiable sample has no case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tests.ops.samples import Sample, differentiable_samples

# samples whose cases fail because of a symgrad bug (see tests/ops/test_parity_gaps.py)
BUGGY = {# a limit, not a bug: first derivatives only (ops/matfun.py SVD_SECOND)
         "linalg_svdvals-plain": "second derivatives of singular values are not implemented",
         "linalg_svdvals-batched": "second derivatives of singular values are not implemented"}


@dataclass(frozen=True)
class Case:
    name: str
    fn: Callable[..., Any]          # fn(T, *tensors) with T = symgrad or torch
    shapes: tuple[tuple[int, ...], ...]
    smooth: bool = True             # no kinks: second derivatives are checkable everywhere
    sample: Sample | None = None

    def inputs(self, seed: int = 0) -> list[np.ndarray]:
        """Inputs in [-1.5, 1.5], spread so that no two entries tie, at least 1e-3 away
        from the sample's kinks (after the map into its domain)."""
        rng = np.random.default_rng(seed)
        for _ in range(100):
            out = []
            for k, s in enumerate(self.shapes):
                n = int(np.prod(s)) if s else 1
                base = rng.permutation(n) / max(n, 1) * 2.4 - 1.2 + 0.07 + 0.013 * k
                out.append((base + rng.uniform(-0.02, 0.02, n)).reshape(s))
            if self._margin(out) > 1e-3:
                return out
        raise AssertionError(f"{self.name}: no inputs away from its kinks")

    def _margin(self, xs: list[np.ndarray]) -> float:
        s = self.sample
        if s is None or s.kink_margin is None:
            return np.inf
        import symgrad as sg
        with sg.no_grad():
            mapped = s.into_domain(sg, *(sg.tensor(x) for x in xs))
        return s.kink_margin(*(m.numpy() for m in mapped))


def left_out(s: Sample) -> str:
    """Why sample ``s`` has no case ('' if it has one)."""
    if len(s.floats) < len(s.args):
        return "a boolean input (a mask or condition): cases draw float inputs"
    if s.grad_inside:
        return "it calls autograd.grad itself: no forward mode, no no_grad"
    if s.op == "to_dtype":
        return "a float32 result: central differences and the 1e-10 oracle need float64"
    if any(a.ndim == 0 for a in s.args):
        return ("a 0-d input: the tests perturb it as x + h * v, an np.float64 scalar, and "
                "sg.tensor(np.float64(x)) is float32 where PyTorch makes it float64")
    return BUGGY.get(s.id, "")


def _case(s: Sample) -> Case:
    def fn(T: Any, *xs: Any) -> Any:
        return s.fn(T, *s.into_domain(T, *xs))
    return Case(s.id, fn, tuple(a.shape for a in s.args), s.smooth, s)


def all_cases() -> list[Case]:
    return [_case(s) for s in differentiable_samples() if not left_out(s)]


CASES = all_cases()
SMOOTH = [c for c in CASES if c.smooth]
