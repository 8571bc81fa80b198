"""Let-form printing: small formulas inline exactly as before, a medium shared
formula in every format (golden), names, cuts, and each let line's text
(printed once per look-alike line, then filled in) equal to printing it directly."""

from __future__ import annotations

import random

import pytest
import sympy

import symgrad as sg
from symgrad.symbolic.letform import inline_ok, let_form, symbol_names
from symgrad.symbolic.printing import (
    _LET,
    LatexPrinter,
    PrettyPrinter,
    StrPrinter,
    _Lines,
    to_json,
    to_latex,
    to_pretty,
    to_str,
)


def _loop(n: int, name: str = "b"):
    b = sg.tensor([0.5, 1.0, 1.5], requires_grad=True, name=name)
    x = b
    for _ in range(n):
        x = sg.sin(x) * sg.exp(-x * x / 4) + sg.tanh(x)
    return b, x


# ----------------------------------------------------------- small: inline
def test_small_formulas_print_inline_in_every_format():
    a = sg.symbol("a", (3,))
    out = a * a
    g = sg.diff(out.sum() + sg.matmul(out, out), a)
    assert to_str(g) == str(g) == "4*a**3 + 2*a"
    assert to_latex(g) == "4 a^{3} + 2 a"
    assert to_pretty(g) == "   3      \n4⋅a  + 2⋅a"
    assert to_json(g) == {"formula": "4*a**3 + 2*a", "latex": "4 a^{3} + 2 a", "let": []}
    d = sg.diff(a.sigmoid().sum(), a)  # shares sigmoid(a), but small: inline
    assert to_str(d) == "sigmoid(a)*(1 - sigmoid(a))"
    assert str(d) == "(1 - sigmoid(a))*sigmoid(a)"
    assert to_pretty(d) == "sigmoid(a)⋅(1 - sigmoid(a))"
    assert to_json(d)["let"] == []


# ------------------------------------------------- medium: golden let forms
MEDIUM_STR = """\
sin(x2)*exp(-x2**2/4) + tanh(x2)
where
  x1 = sin(b)*exp(-b**2/4) + tanh(b)
  x2 = sin(x1)*exp(-x1**2/4) + tanh(x1)"""

MEDIUM_LATEX = r"""\begin{aligned}
& \sin{\left(x_{2} \right)} e^{- \frac{x_{2}^{2}}{4}} + \tanh{\left(x_{2} \right)} \\
& \text{where} \\
x_{1} &= \sin{\left(b \right)} e^{- \frac{b^{2}}{4}} + \tanh{\left(b \right)} \\
x_{2} &= \sin{\left(x_{1} \right)} e^{- \frac{x_{1}^{2}}{4}} + \tanh{\left(x_{1} \right)}
\end{aligned}"""

MEDIUM_PRETTY = """\
            2            
         -x₂             
         ─────           
           4             
sin(x₂)⋅ℯ      + tanh(x₂)
where
                 2           
               -b            
               ────          
                4            
  x₁ = sin(b)⋅ℯ     + tanh(b)
                   2            
                -x₁             
                ─────           
                  4             
  x₂ = sin(x₁)⋅ℯ      + tanh(x₁)"""

MEDIUM_GRAD = """\
x11*x2*cos(b) - x11*x1*x2*b/2 + x11*(1 - x3**2)
where
  x1 = sin(b)
  x2 = exp(-b**2/4)
  x3 = tanh(b)
  x4 = x1*x2 + x3
  x5 = sin(x4)
  x6 = exp(-x4**2/4)
  x7 = tanh(x4)
  x8 = x5*x6 + x7
  x9 = exp(-x8**2/4)
  x10 = 1 + x9*cos(x8) - sin(x8)*x9*x8/2 - tanh(x8)**2
  x11 = x10*x6*cos(x4) - x10*x5*x6*x4/2 + x10*(1 - x7**2)"""


def test_medium_shared_formula_in_every_format():
    b, x = _loop(3)
    e = x.expr
    assert not inline_ok(e)
    assert to_str(e) == MEDIUM_STR
    assert str(e) == repr(e) == MEDIUM_STR
    assert to_latex(e) == MEDIUM_LATEX
    assert to_pretty(e) == MEDIUM_PRETTY
    assert to_json(e) == {
        "formula": "sin(x2)*exp(-x2**2/4) + tanh(x2)",
        "latex": r"\sin{\left(x_{2} \right)} e^{- \frac{x_{2}^{2}}{4}} + "
                 r"\tanh{\left(x_{2} \right)}",
        "let": [{"name": "x1", "formula": "sin(b)*exp(-b**2/4) + tanh(b)",
                 "latex": r"\sin{\left(b \right)} e^{- \frac{b^{2}}{4}} + "
                          r"\tanh{\left(b \right)}"},
                {"name": "x2", "formula": "sin(x1)*exp(-x1**2/4) + tanh(x1)",
                 "latex": r"\sin{\left(x_{1} \right)} e^{- \frac{x_{1}^{2}}{4}} + "
                          r"\tanh{\left(x_{1} \right)}"}]}
    assert e._repr_latex_() == "$\\displaystyle " + MEDIUM_LATEX + "$"
    x.sum().backward()
    assert str(b.grad_formula) == to_str(b.grad_formula) == MEDIUM_GRAD


def test_a_shared_node_is_named_once_and_never_inlined_twice():
    b, x = _loop(3)
    x.sum().backward()
    text = to_str(b.grad_formula)
    lines = text.splitlines()
    defs = [line.split(" = ", 1)[1] for line in lines[2:]]
    assert len(defs) == len(set(defs))  # no intermediate defined twice
    assert text.count("exp(-b**2/4)") == 1
    assert "sin(b)" not in lines[0] and lines[0].count("x11") == 3


def test_max_lines_keeps_the_first_and_last_and_counts_the_rest():
    b, x = _loop(3)
    x.sum().backward()
    g = b.grad_formula
    assert to_str(g, max_lines=4).splitlines()[2:] == [
        "  x1 = sin(b)", "  x2 = exp(-b**2/4)", "  ... (7 lines left out)",
        "  x10 = 1 + x9*cos(x8) - sin(x8)*x9*x8/2 - tanh(x8)**2",
        "  x11 = x10*x6*cos(x4) - x10*x5*x6*x4/2 + x10*(1 - x7**2)"]
    assert to_str(g, max_lines=11) == to_str(g)
    assert "(1 line left out)" in to_str(g, max_lines=10)
    tex = to_latex(g, max_lines=2)
    assert r"& \vdots \quad \text{(9 lines left out)} \\" in tex
    assert tex.startswith(r"\begin{aligned}") and tex.endswith(r"\end{aligned}")
    assert "  ... (9 lines left out)" in to_pretty(g, max_lines=2)


def test_names_avoid_the_leaves_names():
    _, x = _loop(3, name="x1")
    text = to_str(x.expr)
    assert text.splitlines()[2] == "  t1 = sin(x1)*exp(-x1**2/4) + tanh(x1)"


def test_latex_of_a_power_of_a_symgrad_function():
    a = sg.symbol("a", (3,))
    assert to_latex((a.sigmoid() ** 2).expr) == \
        r"\left(\operatorname{sigmoid}\left(a\right)\right)^{2}"
    assert to_latex((a.sum() ** 2).expr) == r"\left(\operatorname{sum}\left(a\right)\right)^{2}"


def test_symbol_names_match_free_symbols_on_small_formulas():
    a, W = sg.symbol("a", (3,)), sg.symbol("W", (2, 3))
    e = sg.diff((sg.tanh(W @ a) * 2).sum(), a)
    assert symbol_names(e) == sorted(str(s) for s in e.free_symbols)
    assert symbol_names(sympy.Integer(3)) == [] and symbol_names(a.expr) == ["a"]


# ------------------------------------ each let line's text, cached vs direct
_FORMATS = (("str", lambda: StrPrinter(_LET)), ("latex", lambda: LatexPrinter(_LET)),
            ("pretty", lambda: PrettyPrinter({"use_unicode": True, "wrap_line": False, **_LET})))
_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def _lines_equal_direct_prints(expr) -> int:
    """Every line printed through the cache equals SymPy's print of that line's
    own expression (pretty: up to subscript digits, which SymPy's str of a
    structural node inside a 2-D form writes as plain digits)."""
    lf = let_form(expr)
    for fmt, make in _FORMATS:
        printer = make()
        lines = _Lines(lf, fmt, printer)
        for node in [lf.root, *lf.lets]:
            got = lines.text(node)
            want = printer.doprint(lf.body(node))
            if fmt == "pretty":
                got, want = "\n".join(got[0]).translate(_SUB), want.translate(_SUB)
            assert got == want, (fmt, got, want)
    return len(lf)


_UNARY = [lambda x: sg.sin(x), lambda x: sg.exp(-x), lambda x: x.sigmoid(), lambda x: x.relu(),
          lambda x: sg.sqrt(x * x + 1), lambda x: x ** 3, lambda x: 1 / (x + 2),
          lambda x: x.abs(), lambda x: sg.log(x * x + 1), lambda x: x.softmax(0),
          lambda x: x.sum() * x, lambda x: x.mean() - x, lambda x: x[1] * x,
          lambda x: sg.tanh(x) - 0.5 * x, lambda x: x.clamp(-1, 1),
          lambda x: sg.maximum(x, x * 0.3), lambda x: x.prod() + x,
          lambda x: x.logsumexp(0) - x]
_BINARY = [lambda x, y: x * y, lambda x, y: x - y, lambda x, y: x / (y * y + 1),
           lambda x, y: x + 2 * y, lambda x, y: sg.dot(x, y) * x,
           lambda x, y: sg.where(x > y, x, y)]


@pytest.mark.parametrize("seed", range(4))
def test_cached_line_text_equals_direct_print(seed):
    rng = random.Random(seed)
    for _ in range(6):
        a = sg.tensor([0.5, 1.0, 1.5], requires_grad=True, name="a")
        b = sg.tensor([0.2, -1.0, 2.5], requires_grad=True, name="b")
        pool = [a, b]
        for _ in range(rng.randint(4, 20)):
            if rng.random() < 0.6:
                pool.append(rng.choice(_UNARY)(rng.choice(pool)))
            else:
                pool.append(rng.choice(_BINARY)(rng.choice(pool), rng.choice(pool)))
        y = pool[-1].sum() + pool[-2].sum()
        for e in (y.expr, sg.diff(y, a), sg.diff(y, b), sg.diff(y, a, mode="forward")):
            _lines_equal_direct_prints(e)


def test_cached_line_text_equals_direct_print_through_matrices():
    W = sg.tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], requires_grad=True, name="W")
    v = sg.tensor([1., 2., 3.], requires_grad=True, name="v")
    h = v
    for _ in range(4):
        h = sg.tanh(W.T @ sg.sigmoid(W @ h)) + h.softmax(0) * h[0]
    y = (h * h).sum()
    for e in (y.expr, sg.diff(y, W), sg.diff(y, v), sg.hessian(y, v)):
        assert _lines_equal_direct_prints(e) > 0


def test_cached_latex_keeps_the_cdot_between_a_name_and_a_number():
    from symgrad.symbolic.symbols import TensorSymbol
    a, b = TensorSymbol("a", (3,)), TensorSymbol("b", (3,))
    t = a
    for _ in range(4):
        t = sympy.Add(sympy.sin(t), sympy.Mul(t, t, evaluate=False), evaluate=False)
    e = sympy.Add(sympy.Mul(t, sympy.Pow(2, b, evaluate=False), evaluate=False),
                  sympy.Mul(t, sympy.cos(t), evaluate=False), evaluate=False)
    assert _lines_equal_direct_prints(e) == 4
    assert to_latex(e).splitlines()[1] == \
        r"& x_{4} \cdot 2^{b} + x_{4} \cos{\left(x_{4} \right)} \\"


def test_str_of_plain_sympy_is_sympys_own():
    xs = sympy.symbols("s0:80")
    e = sympy.Add(*[sympy.sin(s) * s for s in xs])
    assert not inline_ok(e)
    from sympy.printing.str import StrPrinter as SympyStr
    assert str(e) == SympyStr({"order": None}).doprint(e)
