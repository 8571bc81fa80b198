"""Symbolic gradient (evaluated) == tape gradient == central finite differences,
on hypothesis-drawn expressions with broadcasting; forward and reverse agree.
The expressions are chains of the samples of ``tests/ops/samples.py`` that take
any shape."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, strategies as st

import symgrad as sg
from symgrad.symbolic.evaluate import evaluate
from symgrad.symbolic.forward import jvp
from symgrad.symbolic.reverse import vjp
from symgrad.symbolic.shapes import shape_of
from symgrad.symbolic.symbols import TensorSymbol
from tests.helpers import TAME
from tests.ops.samples import program_samples

# the ops are the samples of tests/ops/samples.py that take any shape, each fed
# through its domain's map (log gets x*x + 0.5 ...); "m" is a matmul with W
UNARY = program_samples(1)
BINARY = program_samples(2)


@st.composite
def programs(draw):
    steps = draw(st.lists(st.tuples(st.sampled_from(["u", "b", "m"]),
                                    st.integers(0, 1000)), min_size=1, max_size=6))
    return steps


def _other(k, a, b):
    """The second operand of binary step ``k``: ``a`` or ``b``, whichever the op."""
    return b if (k // len(BINARY)) % 2 else a


def _step(kind, k, x, a, b, W):
    """The step's sample (None for a matmul) and its value."""
    if kind == "u":
        s = UNARY[k % len(UNARY)]
        return s, s.fn(sg, *s.into_domain(sg, x))
    if kind == "b":
        s = BINARY[k % len(BINARY)]
        return s, s.fn(sg, *s.into_domain(sg, x, _other(k, a, b)))
    if kind == "m" and x.ndim >= 1 and x.shape[-1] == 3:
        return None, sg.matmul(x, W) if k % 2 else sg.matmul(W.T, x.T).T
    return None, x


def run(prog, a, b, W, margins=None):
    """The program's scalar; with ``margins`` (a list), the distance of each kinked
    step's inputs from its kinks, or 0.0 for a value beyond TAME, is appended to it."""
    x = a
    for kind, k in prog:
        try:
            s, new = _step(kind, k, x, a, b, W)
            new.shape  # value-less tensors check their shapes lazily
        except (RuntimeError, ValueError):  # shapes that do not fit: skip the step
            continue
        if margins is not None:
            if s is not None and s.kink_margin is not None:
                ins = (x,) if kind == "u" else (x, _other(k, a, b))
                with sg.no_grad():
                    ins = s.into_domain(sg, *ins)
                margins.append(s.kink_margin(*(v.detach().numpy() for v in ins)))
            if not np.all(np.abs(new.detach().numpy()) <= TAME):
                margins.append(0.0)
        x = new
    return (x * x).sum() + x.sum()


def _leaves(vals):
    a = sg.tensor(vals[0], dtype=sg.float64, requires_grad=True, name="a")
    b = sg.tensor(vals[1], dtype=sg.float64, requires_grad=True, name="b")
    W = sg.tensor(vals[2], dtype=sg.float64, requires_grad=True, name="W")
    return a, b, W


def _fd(prog, vals, which, eps=1e-6):
    base = [v.copy() for v in vals]
    g = np.zeros_like(base[which])
    for idx in np.ndindex(*base[which].shape):
        out = []
        for s in (1, -1):
            v = [x.copy() for x in base]
            v[which][idx] += s * eps
            with sg.no_grad():
                out.append(float(run(prog, *_leaves(v)).item()))
        g[idx] = (out[0] - out[1]) / (2 * eps)
    return g


@given(programs(), st.integers(0, 2 ** 31 - 1), st.sampled_from([(2, 3), (3,), (4, 3)]))
def test_symbolic_equals_tape_equals_finite_differences(prog, seed, ashape):
    rng = np.random.default_rng(seed)
    vals = [rng.uniform(-1.5, 1.5, ashape), rng.uniform(-1.5, 1.5, (3,)),
            rng.uniform(-1, 1, (3, 3))]
    a, b, W = _leaves(vals)
    margins = []
    y = run(prog, a, b, W, margins)
    assume(min(margins, default=np.inf) > 1e-4)  # at a kink the engines may pick sides
    y.backward()
    env = {"a": vals[0], "b": vals[1], "W": vals[2]}
    for which, t in enumerate((a, b, W)):
        tape = np.zeros(vals[which].shape) if t.grad is None else t.grad.numpy()
        sym = np.broadcast_to(evaluate(sg.diff(y, t), env), vals[which].shape)
        np.testing.assert_allclose(sym, tape, rtol=1e-7, atol=1e-9)
        if t.grad is not None:
            np.testing.assert_allclose(evaluate(t.grad_formula, env), tape, rtol=1e-7, atol=1e-9)
        fd = _fd(prog, vals, which)
        # central differences lose digits in proportion to the largest value around
        # (round-off ~ eps*|f|/h): scale the absolute tolerance with the gradient's size
        scale = max(1.0, float(np.max(np.abs(fd), initial=0.0)))
        np.testing.assert_allclose(sym, fd, rtol=1e-4, atol=1e-5 * scale)


@given(programs(), st.integers(0, 2 ** 31 - 1))
def test_forward_and_reverse_agree(prog, seed):
    """<jvp(v), w> == <v, vjp(w)> at random points."""
    rng = np.random.default_rng(seed)
    a = sg.symbol("a", (2, 3))
    b, W = sg.symbol("b", (3,)), sg.symbol("W", (3, 3))
    y = run(prog, a, b, W)
    # use the (non-scalar) last intermediate: the summand
    ye = y.expr.args[0] if y.expr.is_Add else y.expr
    sa = (2, 3)
    v = TensorSymbol("v", sa)
    w = TensorSymbol("w", shape_of(ye))
    env = {"a": rng.normal(size=sa), "b": rng.normal(size=3), "W": rng.normal(size=(3, 3)),
           "v": rng.normal(size=sa), "w": rng.normal(size=shape_of(ye))}
    fwd = evaluate(jvp(ye, [a.expr], [v]), env)
    g = vjp(ye, [a.expr], w)[0]
    rev = np.zeros(sa) if g is None else np.broadcast_to(evaluate(g, env), sa)
    lhs = float(np.sum(np.broadcast_to(fwd, shape_of(ye)) * env["w"]))
    rhs = float(np.sum(env["v"] * rev))
    # random points may leave a function's domain (log of a negative, overflow)
    assume(np.isfinite(lhs) and np.isfinite(rhs))
    assert lhs == pytest.approx(rhs, rel=1e-8, abs=1e-8)
