"""Issue 11's table: every row prints the textbook form in ``str``, ``pretty`` and
LaTeX, through the API (the display printers) and through ``symgrad diff``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import symgrad as sg
from symgrad.symbolic.printing import to_latex, to_pretty, to_str

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_helpers import invoke

LOSS = "sum(-(t*log(sigmoid(X @ w)) + (1 - t)*log(1 - sigmoid(X @ w))))"
LOGISTIC = ("--wrt", "w", "--shape", "X=5,3", "--shape", "w=3", "--shape", "t=5")
SIGMOID_TEX = r"\operatorname{sigmoid}\left(X \cdot w\right)"
SOFTMAX_JACOBIAN_TEX = (r"\operatorname{diag}\left(\operatorname{softmax}\left(z\right)\right)"
                        r" - \operatorname{softmax}\left(z\right) "
                        r"{\operatorname{softmax}\left(z\right)}^{\top}")

# row -> (symgrad diff arguments, str (= pretty unless given), LaTeX, pretty)
ROWS = {
    "logistic gradient": (
        (LOSS, *LOGISTIC), "X.T @ (sigmoid(X @ w) - t)",
        r"{X}^{\top} \cdot \left(" + SIGMOID_TEX + r" - t\right)", None),
    "logistic Hessian": (
        (LOSS, *LOGISTIC, "--hessian"), "X.T @ diag(sigmoid(X @ w)*(1 - sigmoid(X @ w))) @ X",
        r"{X}^{\top} \cdot \operatorname{diag}\left(" + SIGMOID_TEX + r" \left(1 - " +
        SIGMOID_TEX + r"\right)\right) \cdot X", None),
    "x @ A @ x": (
        ("x @ A @ x", "--wrt", "x", "--shape", "x=3", "--shape", "A=3,3"), "(A + A.T) @ x",
        r"\left(A + {A}^{\top}\right) \cdot x", None),
    "sum(W @ x)": (
        ("sum(W @ x)", "--wrt", "W", "--shape", "W=2,3", "--shape", "x=3"), "outer(ones(2), x)",
        r"\mathbf{1}_{2} {x}^{\top}", None),
    "softmax Jacobian": (
        ("softmax(z, 0)", "--wrt", "z", "--shape", "z=3", "--jacobian"),
        "diag(softmax(z, dim=0)) - outer(softmax(z, dim=0), softmax(z, dim=0))",
        SOFTMAX_JACOBIAN_TEX, None),
    "trace(X @ X @ X)": (
        ("trace(X @ X @ X)", "--wrt", "X", "--shape", "X=3,3"), "3*(X @ X).T",
        r"3 {\left(X \cdot X\right)}^{\top}", "3⋅(X @ X).T"),
    "exp(log_softmax(z))": (
        ("exp(log_softmax(z, 0))", "--wrt", "z", "--shape", "z=3", "--jacobian"),
        "diag(softmax(z, dim=0)) - outer(softmax(z, dim=0), softmax(z, dim=0))",
        SOFTMAX_JACOBIAN_TEX, None),
}


def _formulas() -> dict:
    X, w = sg.symbol("X", (5, 3)), sg.symbol("w", (3,))
    t = sg.symbol("t", (5,), requires_grad=False)
    s = sg.sigmoid(X @ w)
    loss = (-(t * sg.log(s) + (1 - t) * sg.log(1 - s))).sum()
    x, A, W, z = sg.symbol("x", (3,)), sg.symbol("A", (3, 3)), sg.symbol("W", (2, 3)), \
        sg.symbol("z", (3,))
    Y = sg.symbol("X", (3, 3))
    out = {"logistic gradient": sg.diff(loss, w), "logistic Hessian": sg.hessian(loss, w),
           "x @ A @ x": sg.diff(x @ A @ x, x), "sum(W @ x)": sg.diff((W @ x).sum(), W),
           "softmax Jacobian": sg.jacobian(sg.softmax(z, 0), z),
           "exp(log_softmax(z))": sg.jacobian(sg.exp(sg.log_softmax(z, 0)), z)}
    if hasattr(sg, "trace"):
        out["trace(X @ X @ X)"] = sg.diff(sg.trace(Y @ Y @ Y), Y)
    return out


@pytest.fixture(scope="module")
def formulas() -> dict:
    return _formulas()


def _row(formulas: dict, row: str):
    if row not in formulas:
        pytest.skip(f"{row}: its function is not built yet")
    return formulas[row]


@pytest.mark.parametrize("row", sorted(ROWS))
def test_row_prints_the_textbook_form_through_the_api(formulas: dict, row: str) -> None:
    f = _row(formulas, row)
    _, text, tex, pretty = ROWS[row]
    assert to_str(f) == text
    assert to_pretty(f) == (pretty or text)
    assert to_latex(f) == tex


def test_exp_of_log_softmax_is_softmax(formulas: dict) -> None:
    z = sg.symbol("z", (3,))
    e = sg.exp(sg.log_softmax(z, 0)).expr
    assert (to_str(e), to_latex(e)) == ("softmax(z, dim=0)", r"\operatorname{softmax}\left(z\right)")


@pytest.mark.parametrize("fmt", ["str", "pretty", "latex"])
@pytest.mark.parametrize("row", sorted(ROWS))
def test_row_prints_the_textbook_form_through_symgrad_diff(row: str, fmt: str) -> None:
    args, text, tex, pretty = ROWS[row]
    r = invoke("diff", *args, "--format", fmt)
    if r.exit_code == 2 and "unknown function" in r.output:
        pytest.skip(f"{row}: not in the command line's grammar yet")
    assert r.exit_code == 0, r.output
    want = {"str": text, "pretty": pretty or text, "latex": tex}[fmt]
    assert r.stdout.strip() == want
