"""Textbook forms of formulas: ``to_str``, ``to_pretty``, ``to_latex``, ``to_json``, ``tidy``.

Small formulas print inline and are tidied for display (``2*a*(2*a**2 + 1)``
-> ``4*a**3 + 2*a``, keeping whichever form has fewer operations) -- bounded
by a size cut-off, and never on the path to kernels. A formula whose inline
text would be long, or deep, prints in *let form* (:mod:`.letform`): the
result in terms of named intermediates, then ``where`` and one line per
intermediate, in evaluation order. Every printer here is linear in the size
of the formula's DAG and never recurses deeper than a bounded inline part.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.algebra import mul, add, power
>>> a = TensorSymbol("a", (3,))
>>> to_str(mul(2, a, add(mul(2, power(a, 2)), 1)))
'4*a**3 + 2*a'
>>> to_latex(power(a, 3))
'a^{3}'
>>> import sympy
>>> e = a
>>> for _ in range(3):
...     e = add(mul(sympy.sin(e), sympy.exp(mul(-1, e, e))), sympy.tanh(e))
>>> print(to_str(e))
sin(x2)*exp(-x2**2) + tanh(x2)
where
  x1 = sin(a)*exp(-a**2) + tanh(a)
  x2 = sin(x1)*exp(-x1**2) + tanh(x1)

Importing this module also makes ``str()``/``repr()`` of a big symgrad
formula (and Jupyter's LaTeX of one) print in let form, with SymPy's own
term order, instead of walking the tree.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

import sympy
from sympy.core.basic import Basic
from sympy.printing.latex import LatexPrinter as _LatexPrinter
from sympy.printing.pretty.pretty import PrettyPrinter as _PrettyPrinter
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter as _StrPrinter

from .elementwise import Elementwise
from .letform import INLINE_CHARS, LetForm, has_class, inline_ok, let_form, named_symbol
from .nodebase import Structural
from .nodes_linalg import MatProd
from .notation import LATEX_FORMS, wrap_pretty
from .rewrite import rewrite
from .shapes import shape_of
from .symbols import TensorSymbol

TIDY_LIMIT = 60      # tree size up to which display-time simplification runs
TEXTBOOK_LIMIT = 1000  # tree size up to which ``tidy`` (so ``sg.diff``'s result) is rewritten
MAX_LINES = None     # default: every line of a let form
_LET = {"order": "none"}  # let-form lines keep the order the formula was built in


def _negative(t: Any) -> bool:
    """A term printed with a leading minus (a negative number, or one in front)."""
    if t.is_Mul and t.args:
        t = t.args[0]
    return bool(t.is_Number and t.is_extended_negative)


class _Textbook:
    """Printer mixin: in a product, sums (printed in parentheses) come after
    the simpler factors, as a textbook writes ``sigmoid(a)*(1 - sigmoid(a))``;
    otherwise SymPy's own order. Display only; O(factors) per product."""

    def _print_Mul(self, expr: sympy.Mul) -> str:
        if not expr.is_Mul:  # SymPy's LaTeX prints ``1/x`` (a Pow) as a product
            return super()._print_Mul(expr)
        if len(expr.args) == 2 and expr.args[0] == -1 and isinstance(expr.args[1], MatProd):
            return "-" + self._print(expr.args[1])  # ``-A @ B``: the same value either way
        if self._settings.get("order") in ("old", "none"):
            factors = list(expr.args)
        else:
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

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list:
        """SymPy's order, but a sum does not start with a minus when it has a plus
        term: ``sigmoid(X @ w) - t``, not ``-t + sigmoid(X @ w)``."""
        terms = list(super()._as_ordered_terms(expr, order=order))
        if terms and _negative(terms[0]) and not all(map(_negative, terms)):
            terms = [t for t in terms if not _negative(t)] + [t for t in terms if _negative(t)]
        return terms

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
    """SymPy's LaTeX printer with textbook factor order; a power of one of
    symgrad's functions as ``\\left(f\\left(a\\right)\\right)^{2}`` (SymPy
    passes such a base an ``exp`` its ``_latex`` methods do not take)."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        self._textbook_order = self._settings.get("order")

    def _print(self, expr: Any, **kwargs: Any) -> str:
        exp = kwargs.pop("exp", None) if isinstance(expr, (Elementwise, Structural)) else None
        form = LATEX_FORMS.get(getattr(expr, "name", None)) \
            if isinstance(expr, Structural) else None
        text = form(self, expr) if form is not None else super()._print(expr, **kwargs)
        return text if exp is None else r"\left(" + text + r"\right)^{" + exp + "}"


class PrettyPrinter(_Textbook, _PrettyPrinter):
    """SymPy's 2-D printer with textbook factor order; symgrad's elementwise
    functions under their names, structural nodes as their one-line text."""

    def __init__(self, settings: dict | None = None) -> None:
        super().__init__(settings)
        self._textbook_order = self._settings.get("order")

    def _print_Function(self, e: Any, sort: bool = False, func_name: str | None = None,
                        **kwargs: Any) -> Any:
        if isinstance(e, Structural):
            return prettyForm(StrPrinter({"order": self._settings.get("order")}).doprint(e))
        if func_name is None and isinstance(e, Elementwise):
            func_name = e.name
        return super()._print_Function(e, sort=sort, func_name=func_name, **kwargs)


# ------------------------------------------------------------------ let form
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _placeholder(j: int, width: int, tail: str = "") -> str:
    """Text no formula prints (Unicode private use), unique per slot ``j``,
    ``width`` characters wide (at least 2), ending in ``tail``."""
    return chr(0xE000 + (j >> 8)) + chr(0xF000 + (j & 0xFF)) + \
        "\uf8ff" * (width - 2 - len(tail)) + tail


@contextmanager
def _quiet_gc() -> Iterator[None]:
    """No cyclic garbage collection while a big formula prints: a full
    collection walks every live object (the formulas' many nodes) and would
    run several times, for nothing -- the printers make no cycles."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _Lines:
    """The text of a let form's lines in one format, a line at a time.

    A line's text is printed by SymPy's printer from the line's own node,
    named children as placeholders, and cached under the line's
    :meth:`~symgrad.symbolic.letform.LetForm.key`: the thousand look-alike
    lines of a loop are printed once and filled in with their names.
    ``fmt`` is ``"str"``, ``"latex"`` or ``"pretty"`` (2-D: a line is a list
    of rows and the row of its baseline).
    """

    def __init__(self, lf: LetForm, fmt: str, printer: Any) -> None:
        self.lf, self.fmt, self.printer = lf, fmt, printer
        self.cache: dict[tuple, Any] = {}
        self._names: dict[int, str] = {}
        self._fast = self._fast_name_ok()

    def _slow_name(self, i: int) -> str:
        return self.printer.doprint(sympy.Symbol(self.lf.name(i)))

    def _fast_name(self, i: int) -> str:
        n = str(i + 1)
        if self.fmt == "latex":
            return f"{self.lf.prefix}_{{{n}}}"
        if self.fmt == "pretty":
            return self.lf.prefix + n.translate(_SUBSCRIPTS)
        return self.lf.prefix + n

    def _fast_name_ok(self) -> bool:
        return len(self.lf.prefix) == 1 and self.lf.prefix.isalpha() and \
            all(self._fast_name(i) == self._slow_name(i) for i in (0, 11, 1234566))

    def name(self, i: int) -> str:
        """The printed name of ``lets[i]``."""
        got = self._names.get(i)
        if got is None:
            got = self._names[i] = self._fast_name(i) if self._fast else self._slow_name(i)
        return got

    def text(self, node: Any) -> Any:
        """``node``'s line (str and latex: a string; pretty: ``(rows, baseline)``)."""
        key, slots = self.lf.key(node)
        pretty = self.fmt == "pretty"  # 2-D: a placeholder is as wide as its name
        widths = [len(self.name(i)) if pretty else 3 for i in slots]
        # LaTeX writes ``\cdot`` between a factor ending in a digit (``x_{12}``)
        # and one starting with a digit: a placeholder ends in one too
        tail = "0" if self.fmt == "latex" else ""
        shapes = tuple(_shape(self.lf.lets[i]) for i in slots)
        full = (key, tuple(widths) if pretty else (), shapes)
        got = self.cache.get(full)
        if got is None:
            holders = {i: named_symbol(_placeholder(j, w, tail), self.lf.lets[i])
                       for j, (i, w) in enumerate(zip(slots, widths))}
            body = self.lf.body(node, holders.__getitem__)
            if pretty:
                form = self.printer._print(body)
                got = (form.render(**self.printer._settings), form.baseline)
            else:
                got = self.printer.doprint(body)
            self.cache[full] = got
        text = got[0] if pretty else got
        for j, i in enumerate(slots):
            text = text.replace(_placeholder(j, widths[j], tail), self.name(i))
        return (text.split("\n"), got[1]) if pretty else text


def _shape(e: Any) -> tuple:
    try:
        return tuple(shape_of(e))
    except Exception:  # noqa: BLE001 - plain SymPy: no shape
        return ()


def _selection(n: int, max_lines: int | None) -> list[int | str]:
    """The let lines to print, by index: all of them, or the first and the
    last ``max_lines`` with the text saying how many were left out between."""
    if max_lines is None or n <= max_lines:
        return list(range(n))
    head = max(1, (max_lines + 1) // 2)
    tail = max(0, max_lines - head)
    left = n - head - tail
    return [*range(head), f"{left} line{'s' if left != 1 else ''} left out",
            *range(n - tail, n)]


def _plain(lines: _Lines, max_lines: int | None) -> str:
    """The ``str`` layout: ``result``, ``where``, ``  x1 = ...`` lines."""
    lf = lines.lf
    out = [lines.text(lf.root)]
    if lf.lets:
        out.append("where")
        for i in _selection(len(lf), max_lines):
            out.append(f"  ... ({i})" if isinstance(i, str) else
                       f"  {lines.name(i)} = {lines.text(lf.lets[i])}")
    return "\n".join(out)


def _pretty(lines: _Lines, max_lines: int | None) -> str:
    """The ``pretty`` layout: as ``str``, each line 2-D with its name on its baseline."""
    lf = lines.lf
    out = list(lines.text(lf.root)[0])
    if lf.lets:
        out.append("where")
        for i in _selection(len(lf), max_lines):
            if isinstance(i, str):
                out.append(f"  ... ({i})")
                continue
            rows, base = lines.text(lf.lets[i])
            label = f"{lines.name(i)} = "
            pad = " " * len(label)
            out.extend("  " + (label if r == base else pad) + row for r, row in enumerate(rows))
    return "\n".join(out)


def _aligned(lines: _Lines, max_lines: int | None) -> str:
    r"""The LaTeX layout: an ``aligned`` block, ``& result``, ``& \text{where}``,
    then ``x_{1} &= ...`` rows."""
    lf = lines.lf
    if not lf.lets:
        return lines.text(lf.root)
    rows = [f"& {lines.text(lf.root)}", r"& \text{where}"]
    for i in _selection(len(lf), max_lines):
        rows.append(r"& \vdots \quad \text{(" + i + ")}" if isinstance(i, str) else
                    f"{lines.name(i)} &= {lines.text(lf.lets[i])}")
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


# ------------------------------------------------------------------ the API
def _basic(expr: Any) -> bool:
    return isinstance(expr, Basic)


def _let(expr: Any, fmt: str, printer: Any, layout: Callable, max_lines: int | None) -> str:
    with _quiet_gc():
        return layout(_Lines(let_form(expr), fmt, printer), max_lines)


def sstr(expr: Any, max_lines: int | None = MAX_LINES) -> str:
    """``str`` text in textbook order (let form when big).

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> from symgrad.symbolic.nodes import Sigmoid
    >>> s = Sigmoid(TensorSymbol("a", (3,)))
    >>> sstr(s * (1 - s))
    'sigmoid(a)*(1 - sigmoid(a))'
    """
    if not isinstance(expr, Basic) or inline_ok(expr):
        return StrPrinter().doprint(expr)
    return _let(expr, "str", StrPrinter(_LET), _plain, max_lines)


def latex(expr: Any, max_lines: int | None = MAX_LINES) -> str:
    """LaTeX in textbook order (let form, an ``aligned`` block, when big)."""
    if not isinstance(expr, Basic) or inline_ok(expr):
        return LatexPrinter().doprint(expr)
    return _let(expr, "latex", LatexPrinter(_LET), _aligned, max_lines)


def pretty(expr: Any, max_lines: int | None = MAX_LINES) -> str:
    """Unicode 2-D text in textbook order (let form when big)."""
    if not isinstance(expr, Basic) or inline_ok(expr):
        return wrap_pretty(PrettyPrinter({"use_unicode": True, "wrap_line": False}).doprint(expr))
    return _let(expr, "pretty", PrettyPrinter({"use_unicode": True, "wrap_line": False, **_LET}),
                _pretty, max_lines)


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


TIDY_TERMS = 200     # expand only when the expanded form has at most this many terms


def expanded_terms(expr: Any, limit: int = TIDY_TERMS) -> int:
    """An upper bound on the terms ``sympy.expand(expr)`` makes (stops past ``limit``),
    from the tree: a sum adds, a product multiplies, a power ``s**n`` of a sum of
    ``m`` terms has ``C(n+m-1, m-1)``; ``(a+b+c+d+e+f)**39`` is far past any limit.

    >>> a, b, c = sympy.symbols("a b c")
    >>> expanded_terms((a + b)**2), expanded_terms((a + b) * (a + c) + a)
    (3, 5)
    >>> expanded_terms((a + b + c)**40) > TIDY_TERMS, expanded_terms(sympy.sin((a + b + c)**40)) > 200
    (True, True)
    """
    def terms(e: Any) -> int:
        if not isinstance(e, sympy.Basic) or not e.args:
            return 1
        if e.is_Add:
            return min(sum(terms(a) for a in e.args), limit + 1)
        if e.is_Mul:
            n = 1
            for a in e.args:
                n = min(n * terms(a), limit + 1)
            return n
        if e.is_Pow and e.exp.is_Integer and int(e.exp) > 1:
            m = terms(e.base)
            if m <= 1:
                return 1
            k = min(int(e.exp), limit + 1)
            return min(math.comb(k + m - 1, m - 1), limit + 1)
        # a function of a sum stays one term, but expand (deep) expands its arguments
        return 1 if all(terms(a) <= limit for a in e.args) else limit + 1
    return terms(expr)


def textbook(expr: Any) -> Any:
    """``expr`` in textbook form (:mod:`.rewrite`: linear in the DAG, values kept);
    ``expr`` itself if a rule fails on it (display must not)."""
    if not isinstance(expr, sympy.Basic):
        return expr
    try:
        return rewrite(expr)
    except Exception:  # noqa: BLE001 - display only: the formula as it is
        return expr


def tidy(expr: Any, limit: int = TIDY_LIMIT) -> Any:
    """A shorter equal form of a formula of at most :data:`TEXTBOOK_LIMIT` tree
    nodes: the textbook rewrite (:func:`textbook`), then expanded or as is, by op
    count, when small; a formula whose expansion would be large (a power of a
    sum) is left as it is. A bigger formula is returned as it is (bounded work:
    ``sg.diff`` calls this on every result; the printers rewrite any size).

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> from symgrad.symbolic.nodes import Permute
    >>> tidy(Permute.new(Permute.new(TensorSymbol("X", (2, 3)), (1, 0)), (1, 0)))
    X
    """
    if not isinstance(expr, sympy.Basic) or tree_size(expr, TEXTBOOK_LIMIT) > TEXTBOOK_LIMIT:
        return expr
    expr = textbook(expr)
    if tree_size(expr, limit) > limit:
        return expr
    if expanded_terms(expr) > TIDY_TERMS:
        return expr
    try:
        cands = [expr, sympy.expand(expr)]
    except Exception:  # noqa: BLE001  # pragma: no cover - display only
        return expr
    return min(cands, key=lambda c: (sympy.count_ops(c), tree_size(c)))


def to_str(expr: Any, max_lines: int | None = MAX_LINES) -> str:
    """Text: one line (``4*a**3 + 2*a``) for a small formula; for a big one
    the let form, ``result`` then ``where`` and ``  x1 = ...`` lines (at most
    ``max_lines`` of them: the first and the last, and how many were left out)."""
    if not isinstance(expr, sympy.Basic):
        return str(expr)
    expr = textbook(expr)
    if inline_ok(expr):
        return sstr(tidy(expr))
    return sstr(expr, max_lines)


def to_pretty(expr: Any, max_lines: int | None = MAX_LINES) -> str:
    """SymPy's 2-D pretty form; a big formula in let form, each line 2-D."""
    if not isinstance(expr, sympy.Basic):
        return str(expr)
    expr = textbook(expr)
    if inline_ok(expr):
        return pretty(tidy(expr))
    return pretty(expr, max_lines)


def to_latex(expr: Any, max_lines: int | None = MAX_LINES) -> str:
    r"""LaTeX; a big formula as an ``aligned`` block (``& result``,
    ``& \text{where}``, then ``x_{1} &= ...`` rows)."""
    if not isinstance(expr, sympy.Basic):
        return str(expr)
    expr = textbook(expr)
    if inline_ok(expr):
        return latex(tidy(expr))
    return latex(expr, max_lines)


def to_json(expr: Any) -> dict[str, Any]:
    """A formula for tools: ``formula`` and ``latex`` of the result, and
    ``let``, the named intermediates in evaluation order (each ``name``,
    ``formula``, ``latex``; empty for a formula printed inline).

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> to_json(TensorSymbol("a", (3,)) ** 2)
    {'formula': 'a**2', 'latex': 'a^{2}', 'let': []}
    """
    if not isinstance(expr, sympy.Basic):
        return {"formula": str(expr), "latex": str(expr), "let": []}
    expr = textbook(expr)
    if inline_ok(expr):
        e = tidy(expr)
        return {"formula": sstr(e), "latex": latex(e), "let": []}
    with _quiet_gc():
        lf = let_form(expr)
        s, t = _Lines(lf, "str", StrPrinter(_LET)), _Lines(lf, "latex", LatexPrinter(_LET))
        return {"formula": s.text(lf.root), "latex": t.text(lf.root),
                "let": [{"name": s.name(i), "formula": s.text(e), "latex": t.text(e)}
                        for i, e in enumerate(lf.lets)]}


# ------------------------------------------ str() and repr() of big formulas
_FORMULA_CLASSES = (TensorSymbol, Elementwise, Structural)


def _big_formula(expr: Any) -> bool:
    return isinstance(expr, Basic) and not inline_ok(expr) and has_class(expr, _FORMULA_CLASSES)


def _install() -> None:
    """``str()``/``repr()`` (and Jupyter's LaTeX) of a big symgrad formula
    print its let form with SymPy's own printers; everything else is untouched."""
    from sympy.core._print_helpers import Printable
    if getattr(Printable.__str__, "_symgrad", False):
        return
    sympy_str, sympy_latex = Printable.__str__, Printable._repr_latex_

    def __str__(self: Any) -> str:
        if _big_formula(self):
            with suppress(Exception):  # an odd object: SymPy's own text rather than an error
                return _let(self, "str", _StrPrinter(_LET), _plain, None)
        return sympy_str(self)

    def _repr_latex_(self: Any) -> str:
        if _big_formula(self):
            with suppress(Exception):
                return "$\\displaystyle " + \
                    _let(self, "latex", _LatexPrinter(_LET), _aligned, None) + "$"
        return sympy_latex(self)

    __str__._symgrad = True  # type: ignore[attr-defined]
    Printable.__str__ = __str__  # type: ignore[method-assign]
    Printable.__repr__ = __str__  # type: ignore[method-assign]
    Printable._repr_latex_ = _repr_latex_  # type: ignore[method-assign]


_install()

__all__ = ["INLINE_CHARS", "LatexPrinter", "PrettyPrinter", "StrPrinter", "latex", "pretty",
           "sstr", "textbook", "tidy", "to_json", "to_latex", "to_pretty", "to_str", "tree_size",
           "wrap_pretty"]
