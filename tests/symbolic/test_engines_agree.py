"""Symbolic gradient (evaluated) == tape gradient == central finite differences,
on hypothesis-drawn expressions with broadcasting; forward and reverse agree."""

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

UNARY = [
    lambda x: x.sin(), lambda x: x.tanh(), lambda x: x.sigmoid(), lambda x: x * x,
    lambda x: (x * x + 1).log(), lambda x: (x * 0.3).exp(), lambda x: x ** 3,
    lambda x: (x * x + 1).sqrt(), lambda x: x.abs(), lambda x: x.relu(), lambda x: -x,
    lambda x: x.clamp(-0.5, 0.7), lambda x: x.cos(), lambda x: 2.0 / (x * x + 1),
    lambda x: x.softmax(-1), lambda x: x.log_softmax(-1),
]
BINARY = [
    lambda x, y: x + y, lambda x, y: x * y, lambda x, y: x - y,
    lambda x, y: x / (y * y + 1), lambda x, y: sg.maximum(x, y), lambda x, y: sg.minimum(x, y),
    lambda x, y: sg.where(x > y, x, y * 2),
]
REDUCE = [
    lambda x: x.sum(), lambda x: x.mean(), lambda x: x.sum(-1, keepdim=True),
    lambda x: x.sum(0), lambda x: x.amax(-1), lambda x: x.prod(-1),
    lambda x: x.logsumexp(-1) if hasattr(x, "logsumexp") else x.sum(-1),
]
SHAPE = [
    lambda x: x.T, lambda x: x.reshape(-1), lambda x: x.unsqueeze(0),
    lambda x: x.unsqueeze(-1).squeeze(-1), lambda x: x.expand(2, *x.shape),
]


@st.composite
def programs(draw):
    steps = draw(st.lists(st.tuples(st.sampled_from(["u", "b", "r", "s", "m"]),
                                    st.integers(0, 100)), min_size=1, max_size=6))
    return steps


def _step(kind, k, x, a, b, W):
    if kind == "u":
        return UNARY[k % len(UNARY)](x)
    if kind == "b":
        return BINARY[k % len(BINARY)](x, b if k % 2 else a)
    if kind == "r" and x.ndim >= 1:
        return REDUCE[k % len(REDUCE)](x)
    if kind == "s" and 1 <= x.ndim <= 2:
        return SHAPE[k % len(SHAPE)](x)
    if kind == "m" and x.ndim >= 1 and x.shape[-1] == 3:
        return sg.matmul(x, W) if k % 2 else sg.matmul(W.T, x.T).T
    return x


def run(prog, a, b, W):
    x = a
    for kind, k in prog:
        try:
            new = _step(kind, k, x, a, b, W)
            new.shape  # value-less tensors check their shapes lazily
            x = new
        except (RuntimeError, ValueError):  # shapes that do not fit: skip the step
            continue
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
    y = run(prog, a, b, W)
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
