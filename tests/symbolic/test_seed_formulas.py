"""The seed's formulas: ``2*a`` (ex1) and ``4*a**3 + 2*a`` (ex2), for any length of ``a``."""

from __future__ import annotations

import pytest
import sympy

import symgrad as sg


def _ex2(a):
    out = a * a
    y = out.sum()
    y += sg.matmul(out, out)
    return y


def _a(n):
    if n is None:
        return sg.symbol("a", (None,))
    return sg.tensor([float(i + 1) for i in range(n)], requires_grad=True, name="a")


@pytest.mark.parametrize("n", [1, 3, 7, None])
def test_ex1_gradient_is_2a(n):
    a = _a(n)
    f = sg.diff((a * a).sum(), a)
    s = a.expr
    assert sympy.simplify(f - 2 * s) == 0
    assert str(f) == "2*a"


@pytest.mark.parametrize("n", [1, 3, 7, None])
def test_ex2_gradient_is_4a3_plus_2a(n):
    a = _a(n)
    f = sg.diff(_ex2(a), a)
    s = a.expr
    assert sympy.simplify(f - (4 * s**3 + 2 * s)) == 0
    assert str(f) == "4*a**3 + 2*a"


def test_grad_formula_mirrors_grad_and_accumulates():
    a = _a(3)
    assert a.grad_formula is None
    s = a.expr
    _ex2(a).backward()
    assert sympy.simplify(a.grad_formula - (4 * s**3 + 2 * s)) == 0
    _ex2(a).backward()
    assert sympy.simplify(a.grad_formula - 2 * (4 * s**3 + 2 * s)) == 0
    a.grad = None
    assert a.grad_formula is None


def test_ex1_grad_formula_after_backward():
    a = _a(3)
    (a * a).sum().backward()
    assert a.grad_formula == 2 * a.expr


def test_data_mutation_does_not_change_the_formula():
    a = _a(3)
    out = a.sigmoid()
    c = out.data
    c.zero_()
    out.sum().backward()
    s = a.expr
    sig = sg.symbolic.nodes.Sigmoid(s)
    assert sympy.simplify(a.grad_formula - sig * (1 - sig)) == 0


def test_detach_is_a_stop_gradient():
    a = _a(3)
    y = (a * a.detach()).sum()
    assert "detach(a)" in str(y.expr)
    assert str(sg.diff(y, a)) == "detach(a)"


def test_formula_size_does_not_depend_on_length():
    from symgrad.symbolic.printing import tree_size
    sizes = {tree_size(sg.diff(_ex2(_a(n)), _a(n))) for n in (2, 50, 1000)}
    assert len(sizes) == 1
