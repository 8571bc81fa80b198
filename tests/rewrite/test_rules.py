"""Every rule of the textbook rewrite: it fires on its example, keeps the value
(hypothesis, random inputs, the reference evaluator) and never grows the DAG."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from symgrad.symbolic.algebra import add, call, mul, power
from symgrad.symbolic.evaluate import evaluate
from symgrad.symbolic.nodes import (
    BroadcastTo,
    Diag,
    LogSoftmax,
    Permute,
    Sigmoid,
    Softmax,
    SumOver,
    SumTo,
    TensorSymbol,
    Unsqueeze,
    matprod,
)
from symgrad.symbolic.rewrite import dag_size, rewrite
from symgrad.symbolic.rewrite_rules import RULES

RULE = {r.name: r for r in RULES}

X, Y = TensorSymbol("X", (4, 3)), TensorSymbol("Y", (3, 3))
A, B = TensorSymbol("A", (3, 3)), TensorSymbol("B", (3, 2))
x, w, p = TensorSymbol("x", (3,)), TensorSymbol("w", (3,)), TensorSymbol("p", (3,))
t, v = TensorSymbol("t", (4,)), TensorSymbol("v", (3,))
Z = TensorSymbol("Z", (2, 3, 4))
T = lambda e: Permute.new(e, (1, 0))
s = Sigmoid(matprod(X, w))
ones2 = BroadcastTo.new(1, (2,))

# rule -> (the formula it rewrites, the rules applied with it, what it prints)
CASES: dict[str, tuple[Callable[[], sympy.Expr], tuple[str, ...], str]] = {
    "double_transpose": (lambda: T(T(A)), (), "A"),
    "identity_permute": (lambda: Permute.new(A, (0, 1)), (), "A"),
    "transpose_of_products": (lambda: matprod(T(A), T(Y)), (), "(Y @ A).T"),
    "log_of_exp": (lambda: call(sympy.log, call(sympy.exp, x)), (), "x"),
    "exp_of_log_softmax": (lambda: call(sympy.exp, LogSoftmax.new(x, 0)), (),
                           "softmax(x, dim=0)"),
    "log_of_softmax": (lambda: call(sympy.log, Softmax.new(x, 0)), (), "log_softmax(x, dim=0)"),
    "sigmoid_form": (lambda: mul(x, call(sympy.exp, x), power(add(1, call(sympy.exp, x)), -1)),
                     (), "x*sigmoid(x)"),
    "eye_times": (lambda: mul(Diag.new(1, (3,)), p), (), "diag(p)"),
    "sum_of_diag": (lambda: SumOver.new(Diag.new(p, (3,)), (1,), True), (),
                    "unsqueeze(p, dim=1)"),
    "sum_to_as_sum": (lambda: SumTo.new(mul(X, call(sympy.cos, X)), (3,)), (),
                      "sum(X*cos(X), dim=0)"),
    "outer": (lambda: mul(x, Unsqueeze.new(ones2, (1,))), (), "outer(ones(2), x)"),
    "scalar_out_of_matmul": (lambda: matprod(mul(3, A), Y), (), "3*(A @ Y)"),
    "collect_matmul": (lambda: add(matprod(A, x), matprod(x, A)), (), "(A + A.T) @ x"),
    "cancel": (lambda: mul(s, 1 - s, add(-t / s, (1 - t) / (1 - s))), (),
               "sigmoid(X @ w) - t"),
    "distribute": (lambda: mul(p, add(Diag.new(1, (3,)), mul(-1, SumOver.new(
        mul(Diag.new(1, (3,)), p), (1,), True)))), ("eye_times", "sum_of_diag", "outer"),
        "diag(p) - outer(p, p)"),
    "matmul_diag": (lambda: matprod(mul(T(X), mul(s, 1 - s)), X), (),
                    "X.T @ diag(sigmoid(X @ w)*(1 - sigmoid(X @ w))) @ X"),
}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULE)


def _env(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    env = {n: rng.normal(size=sh) for n, sh in
           [("X", (4, 3)), ("Y", (3, 3)), ("A", (3, 3)), ("B", (3, 2)), ("x", (3,)),
            ("w", (3,)), ("v", (3,)), ("Z", (2, 3, 4))]}
    env["p"] = rng.uniform(0.05, 1.0, size=3)
    env["t"] = rng.uniform(0.0, 1.0, size=4)
    return env


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_fires_on_its_example(name: str) -> None:
    from symgrad.symbolic.printing import sstr
    build, helpers, text = CASES[name]
    before = build()
    alone = rewrite(before, rules=[RULE[name], *(RULE[h] for h in helpers)])
    assert alone is not before
    assert sstr(alone) == text
    assert sstr(rewrite(before)) == text  # and with every rule


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_never_grows_the_dag(name: str) -> None:
    build, helpers, _ = CASES[name]
    before = build()
    assert dag_size(rewrite(before, rules=[RULE[name], *(RULE[h] for h in helpers)])) \
        <= dag_size(before)
    assert dag_size(rewrite(before)) <= dag_size(before)


@pytest.mark.parametrize("name", sorted(CASES))
@given(seed=st.integers(0, 2 ** 32 - 1))
def test_rule_keeps_the_value(name: str, seed: int) -> None:
    build, helpers, _ = CASES[name]
    before = build()
    env = _env(seed)
    want = evaluate(before, env)
    for after in (rewrite(before, rules=[RULE[name], *(RULE[h] for h in helpers)]),
                  rewrite(before), rewrite(before, target="kernel")):
        got = np.broadcast_to(evaluate(after, env), np.shape(want))
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_a_permutation_of_a_permutation_composes() -> None:
    e = Permute.new(Permute.new(Z, (0, 2, 1)), (2, 0, 1))
    r = rewrite(e)
    assert isinstance(r, Permute) and dag_size(r) == 1
    env = _env(1)
    np.testing.assert_array_equal(evaluate(r, env), evaluate(e, env))


def test_kernel_target_leaves_out_the_display_forms() -> None:
    e = CASES["matmul_diag"][0]()
    assert "diag" not in str(rewrite(e, target="kernel"))
    assert "diag" in str(rewrite(e))
    with pytest.raises(ValueError, match="target"):
        rewrite(e, target="paper")


def test_rules_reach_through_shared_nodes_once() -> None:
    # the same rewritable node under many parents is rewritten once and stays shared
    inner = T(T(A))
    e = add(*(mul(k, power(inner, k)) for k in range(2, 40)))
    r = rewrite(e)
    assert dag_size(r) == dag_size(e) - 2  # the two transposes, once
    assert "A.T" not in str(r)


# more shapes of the same rules: (formula, what it prints)
MORE = {
    "sum of eye is ones": (lambda: SumOver.new(Diag.new(1, (3,)), (1,), True),
                           "unsqueeze(ones(3), dim=1)"),
    "row times column is outer": (lambda: mul(Unsqueeze.new(x, (0,)), Unsqueeze.new(w, (1,))),
                                  "outer(w, x)"),
    "leading and kept axes are two sums": (lambda: SumTo.new(Z, (1, 4)), "sum_to(Z, (1, 4))"),
    "dot products in either order collect": (lambda: add(matprod(x, w), mul(2, matprod(w, x))),
                                             "3*(x @ w)"),
    "1/(1 + exp(-u))": (lambda: power(add(1, call(sympy.exp, mul(-1, x))), -1), "sigmoid(x)"),
}


@pytest.mark.parametrize("name", sorted(MORE))
def test_more_shapes_keep_value_and_size(name: str) -> None:
    from symgrad.symbolic.printing import sstr
    build, text = MORE[name]
    before = build()
    after = rewrite(before)
    assert sstr(after) == text
    assert dag_size(after) <= dag_size(before)
    env = _env(7)
    want = evaluate(before, env)
    np.testing.assert_allclose(np.broadcast_to(evaluate(after, env), np.shape(want)), want,
                               rtol=1e-9)
