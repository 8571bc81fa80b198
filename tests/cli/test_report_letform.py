"""The run report and ``symgrad diff`` with big formulas: let form, bounded in
lines and characters, and no tree walk anywhere (the issue's loop at depth 40
used to take forever in the report's ``free_symbols``)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cli_helpers import SEED, invoke, needs

from symgrad.commands.present import (
    MAX_FORMULA_CHARS,
    REPORT_FORMULA_LINES,
    _cut,
    _join,
    _symbols,
    formula_text,
)

symbolic = needs("symgrad.symbolic.build", "t.grad_formula")

LOOP = """\
import torch
a = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
x = a
for i in range({n}):
    x = torch.sin(x) * torch.exp(-x * x / 4) + torch.tanh(x)
x.sum().backward()
print(a.grad)
"""
DEADLINE = 60.0  # seconds; the tree walk this replaces needed hours at depth 10


@symbolic
def test_small_report_is_unchanged() -> None:
    r = invoke("run", str(SEED / "ex2.py"))
    assert r.exit_code == 0, r.output
    assert r.stdout.endswith("# symgrad: the formulas behind .grad\n"
                             "a.grad = 4*a**3 + 2*a = tensor([  6.,  36., 114.])\n")


@symbolic
def test_medium_report_prints_the_whole_let_form(tmp_path: Path) -> None:
    src = tmp_path / "loop.py"
    src.write_text(LOOP.format(n=2))
    r = invoke("run", str(src))
    assert r.exit_code == 0, r.output
    report = r.stdout.split("# symgrad: the formulas behind .grad\n", 1)[1]
    assert report == """\
a.grad = x6*x2*cos(a) - x6*x1*x2*a/2 + x6*(1 - x3**2)
  where
    x1 = sin(a)
    x2 = exp(-a**2/4)
    x3 = tanh(a)
    x4 = x1*x2 + x3
    x5 = exp(-x4**2/4)
    x6 = 1 + x5*cos(x4) - sin(x4)*x5*x4/2 - tanh(x4)**2
  = tensor([ 1.0218, -0.0622,  0.0370])
"""


@symbolic
def test_issue_loop_at_depth_40_reports_a_bounded_let_form(tmp_path: Path) -> None:
    src = tmp_path / "loop.py"
    src.write_text(LOOP.format(n=40))
    t = time.perf_counter()
    r = invoke("run", str(src))
    assert time.perf_counter() - t < DEADLINE
    assert r.exit_code == 0, r.output
    report = r.stdout.split("# symgrad: the formulas behind .grad\n", 1)[1].splitlines()
    assert report[0].startswith("a.grad = x196*x2*cos(a) - ")
    assert report[1] == "  where" and report[2] == "    x1 = sin(a)"
    assert "    ... (156 lines left out)" in report
    assert len(report) == 1 + 1 + REPORT_FORMULA_LINES + 1 + 1
    assert report[-2].startswith("    x196 = ") and report[-1].startswith("  = tensor([")


@symbolic
def test_diff_prints_big_formulas_in_let_form_in_every_format() -> None:
    inner = "sin(a)*exp(-a*a/4)+tanh(a)"
    expr = f"sum(sin({inner})*exp(-({inner})**2/4)+tanh({inner}))"
    text = invoke("diff", expr).stdout
    assert text.splitlines()[1:3] == ["where", "  x1 = sin(a)"]
    assert "where\n" in invoke("diff", expr, "--format", "pretty").stdout
    tex = invoke("diff", expr, "--format", "latex").stdout
    assert tex.startswith("\\begin{aligned}\n& ") and tex.endswith("\\end{aligned}\n")
    doc = json.loads(invoke("diff", expr, "--format", "json").stdout)["results"][0]
    assert doc["formula"] == text.splitlines()[0] and doc["free_symbols"] == ["a"]
    assert [n["name"] for n in doc["let"]] == [f"x{i}" for i in range(1, len(doc["let"]) + 1)]
    assert doc["let"][0] == {"name": "x1", "formula": "sin(a)",
                             "latex": "\\sin{\\left(a \\right)}"}
    small = json.loads(invoke("diff", "sum(a*a)", "--format", "json").stdout)["results"][0]
    assert small["formula"] == "2*a" and small["let"] == []


def test_report_text_is_bounded_and_says_what_it_left_out() -> None:
    assert _cut("x" * 10) == "x" * 10
    lines = "\n".join(f"line {i} " + "y" * 90 for i in range(1000))
    cut = _cut(lines)
    assert len(cut) < MAX_FORMULA_CHARS + 60
    assert cut.endswith(f" ... ({len(lines) - cut.index(' ...')} more characters)")
    assert cut[:cut.index(" ...")].splitlines()[-1].endswith("y" * 90)  # whole lines
    assert _join("a.grad = x1 + 1\n  where\n    x1 = sin(a)", "tensor([1.])") == \
        "a.grad = x1 + 1\n  where\n    x1 = sin(a)\n  = tensor([1.])"
    assert _join("a.grad = 2*a", "tensor([[1.],\n        [2.]])") == \
        "a.grad = 2*a\n       = tensor([[1.],\n                 [2.]])"


@symbolic
def test_symbols_and_formula_text_walk_the_dag_not_the_tree() -> None:
    import symgrad as sg
    a = sg.tensor([0.5, 1.0], requires_grad=True, name="a")
    b = sg.tensor([2.0, 1.0], requires_grad=True, name="b")
    x = a
    for _ in range(60):  # a tree of 3**60 nodes
        x = sg.sin(x) * sg.exp(-x * x / 4) + sg.tanh(x) * b
    t = time.perf_counter()
    assert _symbols(x.expr) == ["a", "b"]
    text = formula_text(x.expr, "str", 10)
    assert time.perf_counter() - t < DEADLINE
    assert "... (" in text and len(text.splitlines()) == 1 + 1 + 10 + 1


@pytest.mark.parametrize("fmt", ["str", "pretty", "latex"])
def test_formula_text_keeps_small_formulas_as_before(fmt: str) -> None:
    import sympy
    a = sympy.Symbol("a")
    assert formula_text(a ** 2, fmt) == {"str": "a**2", "pretty": " 2\na ",
                                         "latex": "a^{2}"}[fmt]
