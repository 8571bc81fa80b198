"""Shared test helpers: finite differences and a random-program generator.

A *program* is plain data: leaf shapes and a list of steps ``(op, operands)``
over the values built so far; the ops are the samples of
``tests/ops/samples.py`` that take any shape. :func:`run_program` executes it
with any torch-like library (``symgrad`` or ``torch``), so the same programs
drive the property tests (tape vs finite differences) and the oracle tests
(symgrad vs PyTorch). :func:`programs` is the hypothesis strategy that draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

from .ops.samples import Sample, program_samples

# ----------------------------------------------------------- finite differences


def central_diff(f: Callable[[list[np.ndarray]], float], xs: list[np.ndarray], i: int,
                 h: float = 1e-6) -> np.ndarray:
    """d f / d xs[i] by central differences, element by element, in float64."""
    x = xs[i]
    g = np.zeros(x.shape, dtype=np.float64)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        fp = f(xs)
        x[idx] = old - h
        fm = f(xs)
        x[idx] = old
        g[idx] = (fp - fm) / (2 * h)
    return g


# ------------------------------------------------------------ random programs

# The program's ops are the ``any_shape`` samples of tests/ops/samples.py, by
# sample id ("exp-plain", "sum-dim0"; a bare op name means its plain sample).
# Each input goes through the sample's domain map first (log gets x*x + 0.5,
# tan gets tanh(x) ...), so every program is defined everywhere.
UNARY: dict[str, Sample] = {s.id: s for s in program_samples(1)}
BINARY: dict[str, Sample] = {s.id: s for s in program_samples(2)}
_STEPS = {**UNARY, **BINARY}

# values beyond this make float64 central differences lose too many digits
TAME = 1e4


def program_op(op: str) -> Sample:
    """The sample behind a program step (a sample id or a bare op name)."""
    return _STEPS.get(op) or _STEPS[f"{op}-plain"]


def apply_step(op: str, T: Any, *values: Any) -> Any:
    """One step of a program: ``op``'s sample on ``values`` mapped into its domain."""
    s = program_op(op)
    return s.fn(T, *s.into_domain(T, *values))


@dataclass(frozen=True)
class Program:
    """Leaf shapes, a seed for their values and the steps; the last value is the output."""

    shapes: tuple[tuple[int, ...], ...]
    steps: tuple[tuple[str, tuple[int, ...]], ...]
    seed: int = 0
    inplace: tuple[int, ...] = field(default=())  # steps whose result gets ``.mul_(1.5)``

    def leaves(self) -> list[np.ndarray]:
        """The leaf values (float64), in [-1.5, 1.5]."""
        rng = np.random.default_rng(self.seed)
        return [rng.uniform(-1.5, 1.5, s) for s in self.shapes]

    def __repr__(self) -> str:
        body = "; ".join(f"v{len(self.shapes) + k} = {op}({', '.join(f'v{i}' for i in ins)})"
                         for k, (op, ins) in enumerate(self.steps))
        return f"Program(shapes={self.shapes}, seed={self.seed}, inplace={self.inplace}: {body})"


def run_program(p: Program, T: Any, leaves: Sequence[Any], every: bool = False) -> Any:
    """Execute ``p`` with library ``T`` on tensors ``leaves``; returns the last
    value (or, with ``every``, the list of all values, leaves first)."""
    vals = list(leaves)
    for k, (op, ins) in enumerate(p.steps):
        v = apply_step(op, T, *(vals[i] for i in ins))
        if k in p.inplace:
            v = v.mul_(1.5)
        vals.append(v)
    return vals if every else vals[-1]


def kink_margin(p: Program, leaves: Sequence[np.ndarray]) -> float:
    """How far (in input units) the program's values stay from any kink or tie of
    its steps (each sample's ``kink_margin``); 0.0 if the program does not run
    (its shapes stop broadcasting) or a value leaves [-TAME, TAME] (where central
    differences cannot be trusted)."""
    try:
        return _kink_margin(p, leaves)
    except (RuntimeError, ValueError):
        return 0.0


def _kink_margin(p: Program, leaves: Sequence[np.ndarray]) -> float:
    import symgrad as sg
    vals = [sg.tensor(x) for x in leaves]
    margin = np.inf
    with sg.no_grad():
        for k, (op, ins) in enumerate(p.steps):
            s = program_op(op)
            args = s.into_domain(sg, *(vals[i] for i in ins))
            if s.kink_margin is not None:
                margin = min(margin, s.kink_margin(*(a.numpy() for a in args)))
            v = s.fn(sg, *args)
            if k in p.inplace:
                v = v.mul_(1.5)
            if not np.all(np.abs(v.numpy()) <= TAME):  # also catches inf and nan
                return 0.0
            vals.append(v)
    return float(margin)


def _broadcastable(shape: tuple[int, ...], draw: Any) -> tuple[int, ...]:
    """A shape that broadcasts with ``shape``: a suffix with some sizes set to 1."""
    n = draw(st.integers(0, len(shape)))
    suffix = shape[len(shape) - n:]
    return tuple(1 if draw(st.booleans()) else s for s in suffix)


@st.composite
def programs(draw: Any, max_steps: int = 5, broadcast_only: bool = True,
             with_inplace: bool = False) -> Program:
    """Random programs over 1-3 leaves whose shapes broadcast with a base shape.

    ``broadcast_only=False`` draws independent shapes too (so some programs
    raise a size mismatch); ``with_inplace`` adds in-place ``mul_`` after some
    steps (so some programs raise a stale-saved-tensor error in backward).
    """
    base = tuple(draw(st.lists(st.integers(1, 3), min_size=0, max_size=3)))
    n_leaves = draw(st.integers(1, 3))
    shapes = [base]
    for _ in range(n_leaves - 1):
        if broadcast_only or draw(st.booleans()):
            shapes.append(_broadcastable(base, draw))
        else:
            shapes.append(tuple(draw(st.lists(st.integers(1, 3), max_size=3))))
    n_steps = draw(st.integers(1, max_steps))
    steps: list[tuple[str, tuple[int, ...]]] = []
    for k in range(n_steps):
        n_vals = n_leaves + k
        if draw(st.booleans()):
            op = draw(st.sampled_from(sorted(BINARY)))
            ins = (draw(st.integers(0, n_vals - 1)), draw(st.integers(0, n_vals - 1)))
        else:
            op = draw(st.sampled_from(sorted(UNARY)))
            ins = (draw(st.integers(0, n_vals - 1)),)
        steps.append((op, ins))
    # make the last step use the newest value so most of the program matters
    inplace: tuple[int, ...] = ()
    if with_inplace:
        inplace = tuple(k for k in range(n_steps - 1) if draw(st.integers(0, 4)) == 0)
    seed = draw(st.integers(0, 2**16))
    return Program(tuple(shapes), tuple(steps), seed, inplace)


def smooth_leaves(p: Program, margin: float = 1e-3) -> list[np.ndarray]:
    """``p``'s leaves in float64, rejecting (hypothesis ``assume``) programs that
    come within ``margin`` of a kink or tie, or whose shapes do not broadcast."""
    from hypothesis import assume
    leaves = [np.asarray(x, dtype=np.float64) for x in p.leaves()]
    try:
        m = kink_margin(p, leaves)
    except RuntimeError:
        m = 0.0  # a shape error of the random program, not a derivative question
    assume(m > margin)
    return leaves
