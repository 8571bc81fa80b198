"""Every Python-API entry point walks the formula DAG, never its tree, and never recursively.

Two kinds of programs, no timing assertions:

* the W2 chain ``x = sin(x)*exp(-x*x/4) + tanh(x)`` at depth 60: a DAG of a few
  hundred nodes whose tree has about 4**60 = 10**36 nodes, so any walk that loses the
  sharing (SymPy's ``free_symbols``, ``subs``, ``==`` on unshared trees, a recursive
  printer...) could never finish. Each entry point runs under a generous deadline
  (an alarm: a regression fails instead of hanging the suite), and the sizes of the
  results are checked to grow linearly with the depth;
* a 10,000-op chain (``x = sin(x)*0.5 + x*0.25``, 2,500 times): far deeper than
  Python's recursion limit, so any recursive walk (ours or SymPy's, such as an
  assumption query on a deep node) raises RecursionError.

``benchmarks/symbolic_depth.py`` has the timings.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
import sympy

import symgrad as sg
from symgrad.kernels.dag import dag_size
from symgrad.symbolic.algebra import intern
from symgrad.symbolic.symbols import TensorSymbol

DEPTH = 60
GENEROUS = 60  # seconds, for what takes well under one when linear
LONG = 2500    # iterations of a 4-op step: 10,000 recorded ops


@contextmanager
def deadline(seconds: int = GENEROUS) -> Iterator[None]:
    """Fail (rather than hang) when the block runs past ``seconds``."""
    if not hasattr(signal, "SIGALRM"):  # pragma: no cover - not on this platform
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(f"past the {seconds} s deadline: a walk lost the DAG's sharing")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


_names = iter(range(10 ** 9))


def w2(depth: int = DEPTH, valued: bool = True) -> tuple[Any, Any]:
    """``(a, x_depth)``: a fresh leaf (a new name: nothing shared with other tests)."""
    name = f"lt{next(_names)}"
    a = sg.tensor([0.5, 1.0, 1.5], requires_grad=True, name=name) if valued \
        else sg.symbol(name, (3,))
    x = a
    for _ in range(depth):
        x = sg.sin(x) * sg.exp(-x * x / 4) + sg.tanh(x)
    return a, x


def long_chain(n: int = LONG) -> tuple[Any, Any]:
    a = sg.tensor([0.5, 1.0, 1.5], dtype=sg.float64, requires_grad=True,
                  name=f"lc{next(_names)}")
    x = a
    for _ in range(n):
        x = sg.sin(x) * 0.5 + x * 0.25
    return a, x


def sizes(f: Any) -> tuple[int, int]:
    """DAG sizes of ``f(depth)`` at two depths (the second twice the first)."""
    return dag_size([f(DEPTH // 2)]), dag_size([f(DEPTH)])


def assert_linear(small: int, big: int) -> None:
    assert big <= 2 * small + 40, (small, big)  # a tree would be 4**30 times bigger


# ------------------------------------------------------------ depth 60, every entry point
def test_expr_and_grad_formula_of_a_depth_60_program() -> None:
    with deadline():
        a, x = w2()
        x.sum().backward()
        assert a.grad_formula is not None
        assert x.expr is not None
    assert_linear(*sizes(lambda d: w2(d)[1].expr))

    def grad(d: int) -> Any:
        a, x = w2(d)
        x.sum().backward()
        return a.grad_formula
    assert_linear(*sizes(grad))


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_diff_of_a_depth_60_program(mode: str) -> None:
    with deadline():
        a, x = w2(valued=False)
        g = sg.diff(x.sum(), a, mode=mode)
        assert dag_size([g]) < 100 * DEPTH
    assert_linear(*sizes(lambda d: (lambda a, x: sg.diff(x.sum(), a, mode=mode))(*w2(d))))


def test_jacobian_and_hessian_of_a_depth_60_program() -> None:
    with deadline():
        a, x = w2(valued=False)
        j = sg.jacobian(x, a)
        h = sg.hessian(x.sum(), a)
        assert j is not None and h is not None
    assert_linear(*sizes(lambda d: sg.jacobian(*reversed(w2(d)))))
    assert_linear(*sizes(lambda d: (lambda a, x: sg.hessian(x.sum(), a))(*w2(d))))


def test_kernels_of_a_depth_60_program() -> None:
    with deadline():
        a, x = w2()
        y = x.sum()
        fwd = sg.lambdify(y, [a])
        vg = sg.compile_grad(y, a)
        value, grad = vg(np.array([0.5, 1.0, 1.5]))
    assert np.isclose(float(fwd(np.array([0.5, 1.0, 1.5]))), float(y))
    assert np.isclose(float(value), float(y))
    y.backward()
    assert np.allclose(grad, a.grad.numpy())
    assert vg.n_temps < 40 * DEPTH  # one line per shared node, not per tree node


def test_check_and_its_report_on_a_depth_60_program() -> None:
    with deadline():
        a64 = sg.tensor([0.5, 1.0, 1.5], dtype=sg.float64, requires_grad=True, name="lt_c")
        x = a64
        for _ in range(DEPTH):
            x = sg.sin(x) * sg.exp(-x * x / 4) + sg.tanh(x)
        report = sg.check(x.sum())
        text, html = str(report), report._repr_html_()
    assert report.passed, text
    assert "PASSED" in text and "<table>" in html


def test_a_failing_check_names_its_cause_without_printing_the_tree() -> None:
    """The data-mutation diagnosis quotes a formula only when its *tree* is small
    (a DAG of 40 nodes can be a tree of millions)."""
    with deadline():
        a = sg.tensor([0.5, 1.0, 1.5], dtype=sg.float64, requires_grad=True, name="lt_m")
        x = a
        for _ in range(DEPTH):
            x = sg.sin(x) * sg.exp(-x * x / 4) + sg.tanh(x)
        out = (a + x * 1e-3).sigmoid()  # a formula with the whole chain in it
        out.data.zero_()
        report = sg.check(out.sum())
        text = str(report)
    assert not report.passed and "data-mutation" in text


def test_a_dag_built_by_sympy_itself_is_interned_once_per_node() -> None:
    """A formula from SymPy's own constructors (shared by identity, not hash-consed)
    is interned, compiled and differentiated by one memoised walk."""
    x = TensorSymbol("lt_sympy", (3,))
    e: sympy.Expr = x
    for _ in range(DEPTH):  # (unevaluated: SymPy's own evaluation walks the tree)
        quarter = sympy.Mul(-1, e, e, sympy.Rational(1, 4), evaluate=False)
        e = sympy.Add(sympy.Mul(sympy.sin(e, evaluate=False), sympy.exp(quarter, evaluate=False),
                                evaluate=False), sympy.tanh(e, evaluate=False), evaluate=False)
    with deadline():
        c = intern(e)
        assert intern(c) is c and dag_size([c]) < 10 * DEPTH
        k = sg.lambdify(e, [x])
        v = k(np.array([0.5, 1.0, 1.5]))
        g = sg.diff(e, x, mode="forward")
    assert np.all(np.isfinite(v)) and g is not None


# ------------------------------------------------------------ 10,000 ops: no recursion
@pytest.fixture(scope="module")
def chain() -> tuple[Any, Any, Any]:
    a, x = long_chain()
    y = x.sum()
    y.backward()
    return a, x, y


def test_recursion_limit_is_the_default() -> None:
    """The chain below is deeper than this limit: a recursive walk would raise."""
    assert sys.getrecursionlimit() < 4 * LONG


def test_ten_thousand_ops_expr_and_grad_formula(chain: Any) -> None:
    a, x, y = chain
    with deadline():
        e = y.expr
        g = a.grad_formula
    assert dag_size([e]) >= 4 * LONG
    assert dag_size([g]) < 20 * LONG
    assert g.is_commutative  # assumptions settled bottom-up: no recursive query


def test_ten_thousand_ops_diff_both_modes(chain: Any) -> None:
    a, x, y = chain
    with deadline():
        rev = sg.diff(y, a)
        fwd = sg.diff(y, a, mode="forward")
    assert rev is not None and fwd is not None


def test_ten_thousand_ops_kernels(chain: Any) -> None:
    a, x, y = chain
    with deadline():
        fwd = sg.lambdify(y, [a])
        vg = sg.compile_grad(y, a)
        value, grad = vg(a.detach().numpy())
    assert np.isclose(float(fwd(a.detach().numpy())), float(y))
    assert np.isclose(float(value), float(y))
    assert np.allclose(grad, a.grad.numpy())


def test_ten_thousand_ops_check(chain: Any) -> None:
    a, x, y = chain
    with deadline():
        report = sg.check(y)
        text = str(report)
    assert report.passed, text
