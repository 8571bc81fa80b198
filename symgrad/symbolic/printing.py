"""Textbook forms of formulas: ``to_str``, ``to_pretty``, ``to_latex``, ``tidy``.

Small formulas are tidied for display (``2*a*(2*a**2 + 1)`` -> ``4*a**3 + 2*a``,
keeping whichever form has fewer operations) -- bounded by a size cut-off,
and never on the path to kernels. Large ones are printed as a list of named
shared subexpressions, walking the DAG (never the exponential tree).

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.algebra import mul, add, power
>>> a = TensorSymbol("a", (3,))
>>> to_str(mul(2, a, add(mul(2, power(a, 2)), 1)))
'4*a**3 + 2*a'
>>> to_latex(power(a, 3))
'a^{3}'
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter as _LatexPrinter
from sympy.printing.pretty.pretty import PrettyPrinter as _PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter as _StrPrinter

from .elementwise import Elementwise
from .nodebase import Structural
from .shapes import tensor_args

TIDY_LIMIT = 60      # tree size up to which display-time simplification runs
TREE_LIMIT = 400     # tree size up to which a formula prints inline


class _Textbook:
    """Printer mixin: in a product, sums (printed in parentheses) come after
    the simpler factors, as a textbook writes ``sigmoid(a)*(1 - sigmoid(a))``;
    otherwise SymPy's own order. Display only; O(factors) per product."""

    def _print_Mul(self, expr: sympy.Mul) -> str:
        factors = expr.as_ordered_factors()
        ordered = sorted(factors, key=lambda f: 0 if f.is_Number else 2 if f.is_Add else 1)
        if ordered == factors:
            return super()._print_Mul(expr)
        order = self._settings.get("order")
        self._settings["order"] = "none"  # print ``ordered`` as given...
        try:
            return super()._print_Mul(sympy.Mul._from_args(ordered, expr.is_commutative))
        finally:
            self._settings["order"] = order

    def _print_Add(self, expr: sympy.Add, *args: Any, **kwargs: Any) -> str:
        order = self._settings.get("order")
        self._settings["order"] = self._textbook_order  # ...but the factors in their own order
        try:
            return super()._print_Add(expr, *args, **kwargs)
        finally:
            self._settings["order"] = order


class StrPrinter(_Textbook, _StrPrinter):
    """SymPy's ``str`` printer with textbook factor order."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        self._textbook_order = self._settings.get("order")


class LatexPrinter(_Textbook, _LatexPrinter):
    """SymPy's LaTeX printer with textbook factor order."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        self._textbook_order = self._settings.get("order")


class PrettyPrinter(_Textbook, _PrettyPrinter):
    """SymPy's 2-D printer with textbook factor order; symgrad's elementwise
    functions under their names, structural nodes as their one-line text."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        self._textbook_order = self._settings.get("order")

    def _print_Function(self, e: Any, sort: bool = False, func_name: str | None = None,
                        **kwargs: Any) -> Any:
        if isinstance(e, Structural):
            return prettyForm(sstr(e))
        if func_name is None and isinstance(e, Elementwise):
            func_name = e.name
        return super()._print_Function(e, sort=sort, func_name=func_name, **kwargs)


def sstr(expr: Any) -> str:
    """``str`` text in textbook order.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> from symgrad.symbolic.nodes import Sigmoid
    >>> s = Sigmoid(TensorSymbol("a", (3,)))
    >>> sstr(s * (1 - s))
    'sigmoid(a)*(1 - sigmoid(a))'
    """
    return StrPrinter().doprint(expr)


def latex(expr: Any) -> str:
    """LaTeX in textbook order."""
    return LatexPrinter().doprint(expr)


def pretty(expr: Any) -> str:
    """Unicode 2-D text in textbook order."""
    return PrettyPrinter({"use_unicode": True}).doprint(expr)


def tree_size(expr: Any, limit: int = 10 ** 9) -> int:
    """Nodes of the expression *tree* (with repetition), counting stops past ``limit``."""
    n = 0
    stack = [expr]
    while stack and n <= limit:
        e = stack.pop()
        n += 1
        if isinstance(e, sympy.Basic):
            stack.extend(e.args)
    return n


def tidy(expr: Any, limit: int = TIDY_LIMIT) -> Any:
    """A shorter equal form of a small formula (expanded or as is, by op count)."""
    if not isinstance(expr, sympy.Basic) or tree_size(expr, limit) > limit:
        return expr
    try:
        cands = [sympy.sympify(expr), sympy.expand(expr)]
    except Exception:  # pragma: no cover - display only
        return expr
    return min(cands, key=lambda c: (sympy.count_ops(c), tree_size(c)))


def _cut(expr: sympy.Basic) -> tuple[list[tuple[sympy.Symbol, sympy.Basic]], sympy.Basic]:
    """Name shared and deep subexpressions: ``([(x1, e1), ...], root)``."""
    parents: dict[Any, int] = {}
    order: list = []
    seen: set = set()
    stack: list[tuple[Any, bool]] = [(expr, False)]
    while stack:
        e, done = stack.pop()
        if done:
            order.append(e)
            continue
        if e in seen:
            continue
        seen.add(e)
        stack.append((e, True))
        for a in tensor_args(e):
            parents[a] = parents.get(a, 0) + 1
            if a not in seen:
                stack.append((a, False))
    named: dict[Any, sympy.Basic] = {}
    depth: dict[Any, int] = {}
    lines = []
    for e in order:
        if not e.args or e.is_Atom:
            named[e], depth[e] = e, 0
            continue
        new = [named.get(a, a) for a in e.args]
        r = e.func(*new, evaluate=False) if new != list(e.args) else e
        d = 1 + max((depth.get(a, 0) for a in tensor_args(e)), default=0)
        if e is not expr and (parents.get(e, 0) > 1 or d > 12):
            s = sympy.Symbol(f"x{len(lines) + 1}")
            lines.append((s, r))
            named[e], depth[e] = s, 0
        else:
            named[e], depth[e] = r, d
    return lines, named[expr]


def _big(expr: Any, fmt: Any, sep: str) -> str:
    lines, root = _cut(expr)
    body = [f"{fmt(s)} = {fmt(r)}" for s, r in lines]
    return sep.join(body + [fmt(root)])


def to_str(expr: Any) -> str:
    """One-line text (``4*a**3 + 2*a``); big DAGs as ``x1 = ...; ...; result``."""
    if not isinstance(expr, sympy.Basic):
        return str(expr)
    if tree_size(expr, TREE_LIMIT) > TREE_LIMIT:
        return _big(expr, sstr, "; ")
    return sstr(tidy(expr))


def to_pretty(expr: Any) -> str:
    """SymPy's 2-D pretty form (big DAGs: one named line per shared node)."""
    if not isinstance(expr, sympy.Basic):
        return str(expr)
    if tree_size(expr, TREE_LIMIT) > TREE_LIMIT:
        return _big(expr, sstr, "\n")
    return pretty(tidy(expr))


def to_latex(expr: Any) -> str:
    """LaTeX (big DAGs: an aligned list of named shared nodes)."""
    if not isinstance(expr, sympy.Basic):
        return str(expr)
    if tree_size(expr, TREE_LIMIT) > TREE_LIMIT:
        return r"\begin{aligned}" + _big(expr, latex, r" \\ ").replace(" = ", " &= ") \
            + r"\end{aligned}"
    return latex(tidy(expr))
