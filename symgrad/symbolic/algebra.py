"""Cheap elementwise algebra: ``add``, ``mul``, ``power``, ``call``.

SymPy's automatic evaluation walks (and asks assumptions of) whole trees,
which costs milliseconds per op and recursion on deep graphs. These builders
create unevaluated nodes and do only *local* canonicalisation that pays:
numbers are folded, equal terms collected (``a + a`` -> ``2*a``), equal
factors merged (``a*a`` -> ``a**2``), nested sums/products flattened one level
when small, ``x**1`` and ``x*1`` dropped. Everything is O(number of args).

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> a = TensorSymbol("a", (3,))
>>> mul(a, a), add(a, a), add(mul(2, a), mul(a, 2)), power(power(a, 2), 3)
(a**2, 2*a, 4*a, a**6)
>>> (E(a) * E(a) / 4 - 1).x
a**2/4 - 1
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, Integer, Mul, Pow

from .symbols import as_number

_FLAT = 8  # flatten nested Add/Mul only up to this many args (keeps sums of n terms O(n))
ONE, ZERO = Integer(1), Integer(0)

# Hash-consing: every node the builders make is looked up by (type, identities of
# its args), so structurally equal formulas are the *same* object. SymPy's ``==``
# then stops at ``is``, instead of comparing two equal DAGs as trees (exponential).
_TABLE: dict[tuple, sympy.Basic] = {}


def intern(e: Any) -> Any:
    """The canonical object equal to ``e`` (whose args are canonical already)."""
    if not isinstance(e, sympy.Basic):
        return e
    if not e.args:
        key: tuple = (type(e), e._hashable_content())
    else:
        key = (type(e),) + tuple(id(a) for a in e.args)
    got = _TABLE.get(key)
    if got is None:
        if e.args:
            args = tuple(intern(a) if not a.args else _TABLE.get(
                (type(a),) + tuple(id(b) for b in a.args), a) for a in e.args)
            if any(x is not y for x, y in zip(args, e.args)):
                return intern(e.func(*args, evaluate=False))
        hash(e)  # memoised bottom-up: later dict lookups never recurse deeply
        e.is_commutative  # likewise the assumption SymPy asks when building Mul/Add
        _TABLE[key] = e
        return e
    return got


def _split(p: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``(coefficient, term)`` of a product with a leading number."""
    if p.is_Mul and p.args[0].is_Number:
        rest = p.args[1:]
        return p.args[0], rest[0] if len(rest) == 1 else intern(Mul(*rest, evaluate=False))
    return ONE, p


def add(*xs: Any) -> sympy.Expr:
    """The sum of ``xs``, unevaluated but with equal terms collected."""
    const = ZERO
    terms: dict[sympy.Expr, sympy.Expr] = {}
    for x in xs:
        x = intern(as_number(x))
        parts = x.args if x.is_Add and len(x.args) <= _FLAT else (x,)
        for p in parts:
            if p.is_Number:
                const = const + p
                continue
            c, t = _split(p)
            terms[t] = terms[t] + c if t in terms else c
    out = [mul(c, t) if c != 1 else t for t, c in terms.items() if c != 0]
    if const != 0 or not out:
        out.insert(0, intern(const))
    return out[0] if len(out) == 1 else intern(Add(*out, evaluate=False))


def mul(*xs: Any, keep_zero: bool = False) -> sympy.Expr:
    """The product of ``xs``, unevaluated, equal bases merged into powers.

    ``0*x`` is ``0`` unless ``keep_zero`` (which keeps the shape of ``x``).
    """
    coeff = ONE
    powers: dict[sympy.Expr, sympy.Expr] = {}
    for x in xs:
        x = intern(as_number(x))
        parts = x.args if x.is_Mul and len(x.args) <= _FLAT else (x,)
        for p in parts:
            if p.is_Number:
                coeff = coeff * p
                continue
            if p.is_Pow and p.exp.is_Number:
                b, e = p.base, p.exp
            else:
                b, e = p, ONE
            powers[b] = powers[b] + e if b in powers else e
    if coeff == 0 and not keep_zero:
        return ZERO
    factors = [power(b, e) for b, e in powers.items() if e != 0]
    factors = [f for f in factors if f != 1]
    if coeff != 1 or not factors:
        factors.insert(0, intern(coeff))
    return factors[0] if len(factors) == 1 else intern(Mul(*factors, evaluate=False))


def power(b: Any, e: Any) -> sympy.Expr:
    """``b**e`` with numbers folded and ``(x**p)**n`` merged for integer ``n``."""
    b, e = intern(as_number(b)), intern(as_number(e))
    if e.is_Number:
        if e == 0:
            return ONE
        if e == 1:
            return b
        if b.is_Number:
            return intern(b ** e)
        if b.is_Pow and b.exp.is_Number and e.is_Integer:
            return power(b.base, b.exp * e)
    return intern(Pow(b, e, evaluate=False))


def neg(x: Any) -> sympy.Expr:
    return mul(-1, x)


def sub(x: Any, y: Any) -> sympy.Expr:
    return add(x, mul(-1, y))


def div(x: Any, y: Any) -> sympy.Expr:
    return mul(x, power(y, -1))


def call(func: Any, *args: Any) -> sympy.Expr:
    """``func(*args)`` unevaluated (SymPy functions and our node classes)."""
    return intern(func(*[intern(as_number(a)) for a in args], evaluate=False))


def rebuild(expr: sympy.Expr, mapping: dict) -> sympy.Expr:
    """``expr`` with atoms replaced per ``mapping``, rebuilt by the cheap builders.

    Meant for the small local derivative templates (a handful of nodes), so
    it may recurse; the replaced values are never walked.
    """
    if expr in mapping:
        return mapping[expr]
    if not expr.args or expr.is_Number:
        return intern(expr)
    args = [rebuild(a, mapping) for a in expr.args]
    if expr.is_Add:
        return add(*args)
    if expr.is_Mul:
        return mul(*args)
    if expr.is_Pow:
        return power(*args)
    return intern(expr.func(*args, evaluate=False))


def unwrap(x: Any) -> Any:
    """The SymPy expression inside an :class:`E` (or ``x`` itself)."""
    return x.x if isinstance(x, E) else x


class E:
    """A thin wrapper whose Python operators use the cheap builders; the op
    table's ``sym`` lambdas compute with these (``x + alpha*y``, ``1/S.sqrt(x)``)."""

    __slots__ = ("x",)

    def __init__(self, x: Any) -> None:
        self.x = as_number(unwrap(x))

    def __add__(self, o: Any) -> E:
        return E(add(self.x, unwrap(o)))

    __radd__ = __add__

    def __sub__(self, o: Any) -> E:
        return E(sub(self.x, unwrap(o)))

    def __rsub__(self, o: Any) -> E:
        return E(sub(unwrap(o), self.x))

    def __mul__(self, o: Any) -> E:
        return E(mul(self.x, unwrap(o)))

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> E:
        return E(div(self.x, unwrap(o)))

    def __rtruediv__(self, o: Any) -> E:
        return E(div(unwrap(o), self.x))

    def __pow__(self, o: Any) -> E:
        return E(power(self.x, unwrap(o)))

    def __rpow__(self, o: Any) -> E:
        return E(power(unwrap(o), self.x))

    def __neg__(self) -> E:
        return E(neg(self.x))

    def __pos__(self) -> E:
        return self

    def __repr__(self) -> str:
        return f"E({self.x})"
