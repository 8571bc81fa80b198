"""The rewrite pass as a DAG algorithm: patterns, one visit per distinct node,
no recursion at depth, termination, and where the pass is applied."""

from __future__ import annotations

import sys

import numpy as np
import sympy

import symgrad as sg
from symgrad.symbolic.algebra import add, call, intern, mul
from symgrad.symbolic.evaluate import evaluate
from symgrad.symbolic.nodes import LogSoftmax, Permute, TensorSymbol, matprod
from symgrad.symbolic.rewrite import Pat, Rule, dag_size, rewrite

a, A = intern(TensorSymbol("a", (3,))), intern(TensorSymbol("A", (3, 3)))


def _loop(n: int) -> sympy.Expr:
    """A formula whose tree doubles with every step (each step uses ``x`` twice)."""
    x = a
    for _ in range(n):
        x = add(mul(x, x), call(sympy.sin, x))
    return x


def _distinct(e: sympy.Expr) -> int:
    seen, stack = set(), [e]
    while stack:
        x = stack.pop()
        if id(x) not in seen and x.args:
            seen.add(id(x))
            stack.extend(x.args)
    return len(seen)


def test_a_pattern_captures_its_parts_and_rejects_other_shapes() -> None:
    p = Pat(Permute, (Pat(Permute, (Pat(name="x"), Pat())), Pat()))
    inner = Permute.new(A, (1, 0))
    assert p.match(Permute.new(inner, (1, 0)))["x"] is A
    assert p.match(inner) is None
    same = Pat(sympy.Mul, (Pat(name="u"), Pat(name="u")))
    assert same.match(sympy.Mul(a, A, evaluate=False)) is None  # a name binds one node


def test_every_distinct_node_is_looked_at_once() -> None:
    seen: list[int] = []

    def count(m: dict, ctx: object) -> None:
        seen.append(id(m["self"]))

    e = _loop(60)  # a tree of about 2**60 nodes, a DAG of 180
    assert rewrite(e, rules=[Rule("count", Pat(sympy.Basic), count)]) is e
    assert len(seen) == len(set(seen)) == _distinct(e)


def test_deep_formulas_rewrite_without_recursion() -> None:
    x = a
    for _ in range(3000):
        x = Permute.new(Permute.new(add(call(sympy.sin, x), x), (0,)), (0,))
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        r = rewrite(x)
    finally:
        sys.setrecursionlimit(old)
    assert dag_size(r) == dag_size(x) - 6000  # every identity permutation gone


def test_rules_that_undo_each_other_stop() -> None:
    flip = Rule("flip", Pat(sympy.Add), lambda m, ctx: mul(2, m["self"]) * sympy.Rational(1, 2))
    there = Rule("there", Pat(sympy.sin, (Pat(name="x"),)),
                 lambda m, ctx: call(sympy.cos, add(m["x"], -sympy.pi / 2)))
    back = Rule("back", Pat(sympy.cos, (Pat(name="x"),)),
                lambda m, ctx: call(sympy.sin, add(m["x"], sympy.pi / 2)))
    e = _loop(20)
    r = rewrite(e, rules=[flip, there, back])
    env = {"a": np.array([0.1, 0.2, 0.3])}
    np.testing.assert_allclose(evaluate(r, {"a": env["a"] / 8}),
                               evaluate(e, {"a": env["a"] / 8}), rtol=1e-9)


def test_kernels_are_built_from_the_rewritten_formula() -> None:
    z = TensorSymbol("z", (3,))
    k = sg.lambdify(call(sympy.exp, LogSoftmax.new(z, 0)), [z])
    assert "log" not in k.source.split("def kernel")[1]
    v = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(k(v), np.exp(v) / np.exp(v).sum())
    # a display form (diag) is not a kernel's: the kernel keeps the product
    X, w = TensorSymbol("X", (4, 3)), TensorSymbol("w", (3,))
    k = sg.lambdify(matprod(mul(Permute.new(X, (1, 0)), add(matprod(w, w), matprod(X, w))), X), [X, w])
    assert "diag" not in k.source


def test_diff_returns_the_textbook_form() -> None:
    x, M = sg.symbol("x", (3,)), sg.symbol("M", (3, 3))
    assert str(sg.diff(x @ M @ x, x)) == "(M + M.T) @ x"
    X, w = sg.symbol("X", (5, 3)), sg.symbol("w", (3,))
    t = sg.symbol("t", (5,), requires_grad=False)
    s = sg.sigmoid(X @ w)
    loss = (-(t * sg.log(s) + (1 - t) * sg.log(1 - s))).sum()
    h = sg.hessian(loss, w)
    assert str(h) == "X.T @ diag((1 - sigmoid(X @ w))*sigmoid(X @ w)) @ X"
    env = {"X": np.random.default_rng(0).normal(size=(5, 3)), "w": np.ones(3),
           "t": np.linspace(0.1, 0.9, 5)}
    sv = 1 / (1 + np.exp(-env["X"] @ env["w"]))
    np.testing.assert_allclose(evaluate(h, env), env["X"].T @ np.diag(sv * (1 - sv)) @ env["X"])


def test_a_formula_no_rule_changes_comes_back_as_itself() -> None:
    u, v = sympy.symbols("u v")
    p = 40 * (u + v) ** 39  # built by SymPy, not interned
    intern(40 * (u + v) ** 39)  # an equal canonical twin exists
    assert rewrite(p) is p
    assert rewrite(p, target="kernel") is p
