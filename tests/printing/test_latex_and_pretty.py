"""LaTeX as people write it (explicit ``@``, ``^{\\top}``, no internal node names,
powers of nodes), ``pretty`` wrapping between tokens, and the let form after
the rewrite."""

from __future__ import annotations

import re

import pytest
import sympy

import symgrad as sg
from symgrad.symbolic.algebra import mul
from symgrad.symbolic.nodes import (
    Absolute,
    BroadcastTo,
    Diag,
    Permute,
    Sigmoid,
    Softmax,
    SumOver,
    TensorSymbol,
    Unsqueeze,
    matprod,
)
from symgrad.symbolic.printing import to_latex, to_pretty, to_str, wrap_pretty

a, x = TensorSymbol("a", (3,)), TensorSymbol("x", (2,))
B, W = TensorSymbol("B", (2, 3)), TensorSymbol("W", (3, 3))

NODES = [Sigmoid(a), Absolute(a), SumOver.make(a), matprod(x, B), Permute.new(B, (1, 0)),
         Softmax.new(a, 0), Diag.new(a, (3,)), Unsqueeze.new(a, (1,)), BroadcastTo.new(a, (2, 3))]


@pytest.mark.parametrize("node", NODES, ids=lambda n: type(n).__name__)
def test_sympy_latex_of_a_power_of_a_node(node: sympy.Expr) -> None:
    # SymPy passes ``exp=`` to a function base's ``_latex``: every node takes it
    tex = sympy.latex(node ** 2)
    assert tex.endswith("^{2}") and tex.startswith(r"\left(")
    assert to_latex(node ** 2).endswith("^{2}")


def test_matrix_products_are_explicit_and_transposes_use_top() -> None:
    assert to_latex(matprod(x, B)) == r"x \cdot B"
    assert to_latex(matprod(Permute.new(B, (1, 0)), x)) == r"{B}^{\top} \cdot x"
    assert to_latex(matprod(matprod(W, W), a)) == r"W \cdot W \cdot a"
    assert to_latex(matprod(W, matprod(W, a))) == r"W \cdot \left(W \cdot a\right)"
    assert to_str(matprod(matprod(W, W), a)) == "W @ W @ a"
    assert to_str(matprod(W, matprod(W, a))) == "W @ (W @ a)"


def test_no_internal_node_names_in_latex() -> None:
    W2, v = sg.symbol("W", (2, 3)), sg.symbol("v", (3,))
    for f in (sg.diff((W2 @ v).sum(), W2), sg.jacobian(sg.softmax(v, 0), v),
              sg.jacobian(sg.sigmoid(W2 @ v), v), sg.hessian((W2 @ v).sigmoid().sum(), v)):
        tex = to_latex(f)
        assert not re.search(r"unsqueeze|broadcast|sum\\_to|squeeze|mathtt\{dim", tex), tex
    assert to_latex(Unsqueeze.new(a, (0,))) == r"{a}^{\top}"  # a row
    assert to_latex(Unsqueeze.new(a, (1,))) == "a"             # a column
    assert to_latex(BroadcastTo.new(1, (2,))) == r"\mathbf{1}_{2}"


def test_matrix_function_notation() -> None:
    X = sg.symbol("X", (3, 3))
    if not hasattr(sg, "kron"):
        pytest.skip("the matrix functions are not built yet")
    assert r"\otimes" in to_latex(sg.kron(X, X).expr)
    assert to_latex(sg.trace(X).expr) == r"\operatorname{tr}\left(X\right)"
    assert to_latex(sg.inverse(X).expr) == "{X}^{-1}"
    assert to_latex(sg.outer(a := sg.symbol("u", (3,)), a).expr) == r"u {u}^{\top}"
    assert to_latex(sg.diag(sg.symbol("v", (3,))).expr) == r"\operatorname{diag}\left(v\right)"


def test_a_division_prints_as_a_fraction_in_a_let_form() -> None:
    # the let form's LaTeX once printed ``1/x2`` as ``- x_{2}``
    b = sg.symbol("b", (3,))
    y = b
    for _ in range(12):
        y = sg.sin(y) / (1 + y * y) + y
    tex = to_latex(y.expr)
    assert r"\frac{" in tex
    assert not re.search(r"&= - x_\{\d+\} \\\\", tex)


def test_pretty_wraps_between_tokens() -> None:
    b = sg.symbol("b", (3,))
    y = sum((sg.sigmoid(b * k) for k in range(2, 9)), start=b)
    text = to_pretty(y.expr)
    assert max(map(len, text.splitlines())) <= 80 and "↪" in text
    assert text.count("sigmoid") == 7  # none cut in two
    assert not re.search(r"[A-Za-z_] ↪|↪ [a-z]+\(", text.replace("↪ sigmoid", ""))


def test_wrap_keeps_a_short_text_and_cuts_a_long_word_only_when_it_must() -> None:
    assert wrap_pretty("a + b", 80) == "a + b"
    assert wrap_pretty("x" * 30, 12).count("↪") >= 2


def test_let_form_prints_the_rewritten_formula() -> None:
    A = sg.symbol("A", (3, 3))
    v = sg.symbol("v", (3,))
    y = v
    for _ in range(12):
        y = sg.tanh(A.T.T @ y) + y  # (A.T).T in every step, shared
    text = to_str(y.expr)
    assert "where" in text and ".T" not in text
    tex = to_latex(y.expr)
    assert r"\begin{aligned}" in tex and r"\top" not in tex
    assert to_pretty(y.expr).count("where") == 1


def test_mul_of_a_number_and_a_product_is_still_parenthesised_as_needed() -> None:
    assert to_str(mul(3, matprod(W, a))) == "3*(W @ a)"
    assert to_str(mul(a, matprod(W, a))) == "a*(W @ a)"
