"""Jupyter reprs: tensors with their formula, formulas by symgrad's LaTeX printer."""

from __future__ import annotations

import sys
import types

import pytest

import symgrad as sg
from symgrad import display


def test_a_computed_tensor_shows_value_and_formula() -> None:
    a = sg.tensor([1., 2.], requires_grad=True, name="a")
    W = sg.tensor([[1., 0.], [0., 1.]], requires_grad=True, name="W")
    bundle = (W @ a).sigmoid()._repr_mimebundle_()
    assert bundle["text/plain"] == "tensor([0.7311, 0.8808], grad_fn=<SigmoidBackward0>)"
    assert "formula: $" in bundle["text/html"] and "&lt;SigmoidBackward0&gt;" in bundle["text/html"]


def test_a_leaf_shows_the_formula_behind_its_grad() -> None:
    a = sg.tensor([1., 2.], requires_grad=True, name="a")
    assert "formula" not in a._repr_mimebundle_()["text/html"]
    (a * a).sum().backward()
    assert "grad formula: $2 a$" in a._repr_mimebundle_()["text/html"]


def test_a_formula_is_latex_from_symgrads_printer() -> None:
    from symgrad.symbolic.printing import to_latex
    W, x = sg.symbol("W", (2, 3)), sg.symbol("x", (3,))
    g = sg.diff((W @ x).sum(), x)
    assert display.formula_latex(g) == "$\\displaystyle " + to_latex(g) + "$"


def test_inside_ipython_sympy_objects_use_symgrads_printer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    registered = []

    class Formatter:
        def for_type_by_name(self, module: str, name: str, fn) -> None:
            registered.append((module, name, fn))

    shell = types.SimpleNamespace(display_formatter=types.SimpleNamespace(
        formatters={"text/latex": Formatter()}))
    fake = types.ModuleType("IPython")
    fake.get_ipython = lambda: shell  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", fake)
    display.install()
    assert registered == [("sympy.core.basic", "Basic", display.formula_latex)]


def test_outside_ipython_nothing_is_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython", None)
    display.install()  # no error, and tensors still have their bundle
    assert hasattr(sg.Tensor, "_repr_mimebundle_")


def test_a_check_report_is_an_html_table() -> None:
    a = sg.tensor([1., 2., 3.], requires_grad=True, name="a")
    out = a.sigmoid()
    c = out.data
    c.zero_()
    html = sg.check(out.sum())._repr_html_()
    assert "<table>" in html and "FAILED" in html and "data-mutation" in html


def test_a_deep_tensor_shows_a_short_let_form() -> None:
    x = sg.tensor([0.5, 1.0], requires_grad=True, name="x")
    y = x
    for _ in range(200):  # a formula of 200 shared layers
        y = sg.sin(y) * sg.exp(-y * y / 4) + sg.tanh(y)
    html = y._repr_mimebundle_()["text/html"]
    assert "formula: $" in html and len(html) < 5000
