"""Printing at depth: formulas whose trees are exponentially larger than their
DAGs (a loop's body uses its input several times), through every printer and
format. No tight timing: a generous deadline that an exponential walk could
never meet, output sizes that grow linearly with depth, and a recursion limit
far below the formula's depth (no printer recurses per node)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import symgrad as sg
from symgrad.kernels.dag import dag_size
from symgrad.symbolic.letform import let_form, symbol_names
from symgrad.symbolic.printing import to_json, to_latex, to_pretty, to_str

DEADLINE = 60.0  # seconds for one print: an exponential walk at these depths needs years


def _printers():
    return {"str()": str, "repr()": repr, "to_str": to_str, "to_pretty": to_pretty,
            "to_latex": to_latex, "json": lambda e: json.dumps(to_json(e)),
            "_repr_latex_": lambda e: e._repr_latex_()}


@contextmanager
def _shallow_stack(limit: int = 600) -> Iterator[None]:
    """A recursion limit far below the formulas' depth (thousands of levels)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _depth() + 400))
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _depth() -> int:
    f, n = sys._getframe(), 0
    while f is not None:
        f, n = f.f_back, n + 1
    return n


def _print_all(expr, skip: tuple = ()) -> dict[str, str]:
    out = {}
    for name, fn in _printers().items():
        if name in skip:
            continue
        t = time.perf_counter()
        with _shallow_stack():
            out[name] = fn(expr)
        assert time.perf_counter() - t < DEADLINE, name
    return out


def _sin_exp_tanh(n: int):
    a = sg.tensor([0.5, 1.0, 1.5], requires_grad=True, name="a")
    x = a
    for _ in range(n):
        x = sg.sin(x) * sg.exp(-x * x / 4) + sg.tanh(x)
    x.sum().backward()
    return x.expr, a.grad_formula


def test_loop_of_40_prints_in_let_form_through_every_printer():
    for e in _sin_exp_tanh(40):
        texts = _print_all(e)
        lf = let_form(e)
        assert len(lf) <= dag_size([e])
        for name in ("str()", "to_str"):
            lines = texts[name].splitlines()
            assert lines[1] == "where" and len(lines) == len(lf) + 2, name
        assert texts["to_latex"].count(" &= ") == len(lf)
        assert len(json.loads(texts["json"])["let"]) == len(lf)
        assert texts["_repr_latex_"].startswith("$\\displaystyle \\begin{aligned}")


def test_printed_size_grows_linearly_with_depth():
    sizes = {}
    for n in (20, 40, 80):
        expr, grad = _sin_exp_tanh(n)
        sizes[n] = [len(to_str(expr)), len(to_str(grad)), len(to_pretty(grad)),
                    len(to_latex(grad)), len(json.dumps(to_json(grad)))]
    for small, big in ((20, 40), (40, 80)):
        for s, b in zip(sizes[small], sizes[big]):
            assert b < 2.6 * s  # the trees grow by 3**20 or more


@pytest.fixture(scope="module")
def ten_thousand():
    """The issue's 10,000-iteration loop: its formula and its gradient's."""
    a = sg.tensor([0.5, 1.0, 1.5], requires_grad=True, name="a")
    x = a
    for _ in range(10_000):
        x = sg.sin(x) * 0.5 + x * 0.25
    x.sum().backward()
    return x.expr, a.grad_formula


def test_a_10000_op_formula_prints_in_every_format(ten_thousand):
    expr, grad = ten_thousand
    for e, lets in ((expr, 9_999), (grad, 19_997)):
        texts = _print_all(e, skip=("repr()", "_repr_latex_"))  # the same code as str(), latex
        assert texts["str()"] == texts["to_str"]  # no sums to reorder: the same text
        assert len(texts["to_str"].splitlines()) == lets + 2
        assert len(texts["to_pretty"].splitlines()) >= lets + 2
        assert texts["to_str"].splitlines()[-1].startswith(f"  x{lets} = ")
        assert texts["to_latex"].count(" &= ") == lets
        assert len(json.loads(texts["json"])["let"]) == lets
    assert to_str(expr).splitlines()[:3] == ["sin(x9999)/2 + x9999/4", "where",
                                             "  x1 = sin(a)/2 + a/4"]
    assert to_str(grad, max_lines=2).splitlines()[2:] == [
        "  x1 = sin(a)/2 + a/4", "  ... (19995 lines left out)",
        "  x19997 = x19996*cos(x1)/2 + x19996/4"]
    assert symbol_names(grad) == ["a"]
