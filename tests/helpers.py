"""Shared test helpers: finite differences and a random-program generator.

A *program* is plain data: leaf shapes and a list of steps ``(op, operands)``
over the values built so far. :func:`run_program` executes it with any
torch-like library (``symgrad`` or ``torch``), so the same programs drive the
property tests (tape vs finite differences) and the oracle tests (symgrad vs
PyTorch). :func:`programs` is the hypothesis strategy that draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

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

# op name -> (arity, function of (T, *values)); inputs of log/sqrt/... are made
# positive inside the op, so every program is defined everywhere.
UNARY: dict[str, Callable[..., Any]] = {
    "neg": lambda T, x: -x,
    "exp": lambda T, x: T.exp(x * 0.5),
    "log": lambda T, x: T.log(x * x + 0.5),
    "log1p": lambda T, x: T.log1p(x * x),
    "expm1": lambda T, x: T.expm1(x * 0.5),
    "sqrt": lambda T, x: T.sqrt(x * x + 0.25),
    "rsqrt": lambda T, x: T.rsqrt(x * x + 0.25),
    "sin": lambda T, x: T.sin(x),
    "cos": lambda T, x: T.cos(x),
    "tan": lambda T, x: T.tan(T.tanh(x)),
    "tanh": lambda T, x: T.tanh(x),
    "sigmoid": lambda T, x: T.sigmoid(x),
    "reciprocal": lambda T, x: T.reciprocal(x * x + 0.5),
    "square": lambda T, x: T.square(x),
    "pow3": lambda T, x: x ** 3,
    "powfrac": lambda T, x: (x * x + 0.5) ** 1.5,
    "rpow": lambda T, x: 2.0 ** x,
    "relu": lambda T, x: T.relu(x),                 # kink at 0
    "abs": lambda T, x: T.abs(x),                   # kink at 0
    "clamp": lambda T, x: T.clamp(x, -0.5, 0.5),    # kinks at the bounds
    "sum": lambda T, x: x.sum(),
    "sum0": lambda T, x: x.sum(0) if x.ndim else x,
    "sumk": lambda T, x: x.sum(-1, keepdim=True) if x.ndim else x,
    "mean": lambda T, x: x.mean(),
    "mean0": lambda T, x: x.mean(0) if x.ndim else x,
    "prod": lambda T, x: (x * 0.5 + 1).prod(),
    "amax": lambda T, x: x.amax(),                 # kink at ties
    "max0": lambda T, x: x.max(0)[0] if x.ndim else x,
    "min0": lambda T, x: x.min(0)[0] if x.ndim else x,
    "t": lambda T, x: x.t() if x.ndim <= 2 else x.transpose(0, 1),
    "flatten": lambda T, x: x.reshape(-1),
    "unsqueeze": lambda T, x: x.unsqueeze(0),
    "selfdot": lambda T, x: (x @ x.transpose(-1, -2) if x.ndim >= 2 else
                             x @ x if x.ndim else x * x) * 0.25,
}
BINARY: dict[str, Callable[..., Any]] = {
    "add": lambda T, x, y: x + y,
    "sub": lambda T, x, y: x - y,
    "mul": lambda T, x, y: x * y,
    "div": lambda T, x, y: x / (y * y + 0.5),
    "pow": lambda T, x, y: (x * x + 0.5) ** T.tanh(y),
    "maximum": lambda T, x, y: T.maximum(x, y),    # kink at ties
    "minimum": lambda T, x, y: T.minimum(x, y),
    "where": lambda T, x, y: T.where(x > y, x, y * 2),
    "addalpha": lambda T, x, y: T.add(x, y, alpha=0.5),
}
KINKS = {"relu", "abs", "clamp", "amax", "max0", "min0", "maximum", "minimum", "where"}


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
        f = UNARY.get(op) or BINARY[op]
        v = f(T, *(vals[i] for i in ins))
        if k in p.inplace:
            v = v.mul_(1.5)
        vals.append(v)
    return vals if every else vals[-1]


def kink_margin(p: Program, leaves: Sequence[np.ndarray]) -> float:
    """How far (in input units) the program's values stay from any kink or tie
    (0.0 if the program does not run: its shapes stop broadcasting)."""
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
            args = [vals[i]._data for i in ins]
            if op in ("relu", "abs"):
                margin = min(margin, _min_abs(args[0]))
            elif op == "clamp":
                margin = min(margin, _min_abs(args[0] - 0.5), _min_abs(args[0] + 0.5))
            elif op in ("maximum", "minimum", "where"):
                margin = min(margin, _min_abs(np.subtract(*np.broadcast_arrays(*args))))
            elif op == "amax" and args[0].size > 1:
                top = np.sort(args[0].reshape(-1))
                margin = min(margin, top[-1] - top[-2])
            elif op in ("max0", "min0") and args[0].ndim and args[0].shape[0] > 1:
                s = np.sort(args[0], axis=0)
                margin = min(margin, float(np.min(s[-1] - s[-2])), float(np.min(s[1] - s[0])))
            v = (UNARY.get(op) or BINARY[op])(sg, *(vals[i] for i in ins))
            if k in p.inplace:
                v = v.mul_(1.5)
            vals.append(v)
    return float(margin)


def _min_abs(a: np.ndarray) -> float:
    return float(np.min(np.abs(a))) if np.size(a) else np.inf


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
