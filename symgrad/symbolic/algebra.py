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
from sympy import Add, Expr, Integer, Mul, Pow
from sympy.core.basic import Basic

from .symbols import as_number

_FLAT = 8  # flatten nested Add/Mul only up to this many args (keeps sums of n terms O(n))
ONE, ZERO = Integer(1), Integer(0)

# Hash-consing: every node the builders make is looked up by (type, identities of
# its args), so structurally equal formulas are the *same* object. SymPy's ``==``
# then stops at ``is``, instead of comparing two equal DAGs as trees (exponential).
# ``_CANON`` holds the ids of canonical objects: they live as long as the table,
# so an id found there can only belong to that very object (the O(1) fast path).
_TABLE: dict[tuple, sympy.Basic] = {}
_CANON: set[int] = set()


def _construct(cls: type, args: tuple) -> sympy.Basic:
    """A new unevaluated node (args canonical): SymPy's constructors minus
    their LRU cache, sympification and argument checks, which cost more than
    the node itself."""
    if cls is Mul or cls is Add:
        return cls._from_args(args, True)
    if cls is Pow:
        obj = Expr.__new__(Pow, *args)
        obj.is_commutative = True
        return obj
    if issubclass(cls, sympy.Function):
        return Basic.__new__(cls, *args)
    return cls(*args, evaluate=False)  # pragma: no cover - other SymPy classes


def _register(key: tuple, e: sympy.Basic) -> sympy.Basic:
    hash(e)  # memoised bottom-up: later dict lookups never recurse deeply
    e.is_commutative  # likewise the assumption SymPy asks when building Mul/Add
    _TABLE[key] = e
    _CANON.add(id(e))
    return e


def node(cls: type, *args: sympy.Basic) -> sympy.Basic:
    """The canonical ``cls(*args)`` (unevaluated) for canonical ``args``.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> a = intern(TensorSymbol("a", (3,)))
    >>> node(Pow, a, intern(Integer(2))) is node(Pow, a, intern(Integer(2)))
    True
    """
    key = (cls,) + tuple(map(id, args))
    got = _TABLE.get(key)
    if got is None:
        got = _register(key, _construct(cls, args))
    return got


def intern(e: Any) -> Any:
    """The canonical object equal to ``e`` (a number, symbol or any tree)."""
    if id(e) in _CANON or not isinstance(e, sympy.Basic):
        return e
    if not e.args:
        key: tuple = (type(e), e._hashable_content())
        got = _TABLE.get(key)
        return got if got is not None else _register(key, e)
    args = tuple(intern(a) for a in e.args)
    if all(x is y for x, y in zip(args, e.args)):
        key = (type(e),) + tuple(map(id, args))
        got = _TABLE.get(key)
        return got if got is not None else _register(key, e)
    return node(type(e), *args) if isinstance(e, (Add, Mul, Pow, sympy.Function)) \
        else intern(e.func(*args, evaluate=False))


def _is(n: sympy.Expr, v: int) -> bool:
    """``n == v`` for a canonical number, without SymPy's ``__eq__`` when possible."""
    return n is (ONE if v == 1 else ZERO) or (n.is_Float and n == v)


def _canon(x: Any) -> sympy.Expr:
    return x if id(x) in _CANON else intern(as_number(x))


def _split(p: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """``(coefficient, term)`` of a product with a leading number."""
    if p.is_Mul and p.args[0].is_Number:
        rest = p.args[1:]
        return p.args[0], rest[0] if len(rest) == 1 else node(Mul, *rest)
    return ONE, p


def add(*xs: Any) -> sympy.Expr:
    """The sum of ``xs``, unevaluated but with equal terms collected."""
    const = ZERO
    terms: dict[int, list] = {}  # id(term) -> [term, coefficient]; args are canonical
    for x in xs:
        x = _canon(x)
        parts = x.args if x.is_Add and len(x.args) <= _FLAT else (x,)
        for p in parts:
            if p.is_Number:
                const = const + p
                continue
            c, t = _split(p)
            slot = terms.get(id(t))
            if slot is None:
                terms[id(t)] = [t, c]
            else:
                slot[1] = slot[1] + c
    out = [t if c is ONE else mul(c, t) for t, c in terms.values() if not _is(c, 0)]
    if not _is(const, 0) or not out:
        out.insert(0, intern(const))
    return out[0] if len(out) == 1 else node(Add, *out)


def mul(*xs: Any, keep_zero: bool = False) -> sympy.Expr:
    """The product of ``xs``, unevaluated, equal bases merged into powers.

    ``0*x`` is ``0`` unless ``keep_zero`` (which keeps the shape of ``x``).
    """
    coeff = ONE
    powers: dict[int, list] = {}  # id(base) -> [base, exponent]; args are canonical
    for x in xs:
        x = _canon(x)
        parts = x.args if x.is_Mul and len(x.args) <= _FLAT else (x,)
        for p in parts:
            if p.is_Number:
                coeff = coeff * p
                continue
            if p.is_Pow and p.args[1].is_Number:
                b, e = p.args
            else:
                b, e = p, ONE
            slot = powers.get(id(b))
            if slot is None:
                powers[id(b)] = [b, e]
            else:
                slot[1] = slot[1] + e
    if not keep_zero and _is(coeff, 0):
        return ZERO
    factors = []
    for b, e in powers.values():
        if not _is(e, 0):
            f = b if e is ONE else power(b, e)
            if f is not ONE:
                factors.append(f)
    if not _is(coeff, 1) or not factors:
        factors.insert(0, intern(coeff))
    return factors[0] if len(factors) == 1 else node(Mul, *factors)


def power(b: Any, e: Any) -> sympy.Expr:
    """``b**e`` with numbers folded and ``(x**p)**n`` merged for integer ``n``."""
    b, e = _canon(b), _canon(e)
    if e.is_Number:
        if _is(e, 0):
            return ONE
        if _is(e, 1):
            return b
        if b.is_Number:
            return intern(b ** e)
        if b.is_Pow and b.args[1].is_Number and e.is_Integer:
            return power(b.args[0], b.args[1] * e)
    return node(Pow, b, e)


def neg(x: Any) -> sympy.Expr:
    return mul(-1, x)


def sub(x: Any, y: Any) -> sympy.Expr:
    return add(x, mul(-1, y))


def div(x: Any, y: Any) -> sympy.Expr:
    return mul(x, power(y, -1))


def call(func: Any, *args: Any) -> sympy.Expr:
    """``func(*args)`` unevaluated (SymPy functions and our node classes)."""
    xs = [_canon(a) for a in args]
    if isinstance(func, type) and issubclass(func, sympy.Function):
        return node(func, *xs)
    return intern(func(*xs, evaluate=False))


def compile_recipe(expr: sympy.Expr, slots: list) -> tuple:
    """A small template (a local derivative) as a recipe for :func:`run_recipe`:
    ``slots[i]`` becomes ``("s", i)``; sums, products, powers and calls are
    rebuilt by the cheap builders. Templates have a handful of nodes.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> x, a = sympy.Dummy("x"), TensorSymbol("a", (3,))
    >>> r = compile_recipe(1 - x**2, [x])
    >>> run_recipe(r, [sympy.tanh(a)])
    1 - tanh(a)**2
    """
    index = {id(s): i for i, s in enumerate(slots)}

    def comp(x: sympy.Expr) -> tuple:
        if id(x) in index:
            return ("s", index[id(x)])
        for i, s in enumerate(slots):
            if x == s:
                return ("s", i)
        if not x.args or x.is_Number:
            return ("c", intern(x))
        kids = tuple(comp(a) for a in x.args)
        if x.is_Add:
            return ("+", kids)
        if x.is_Mul:
            return ("*", kids)
        if x.is_Pow:
            return ("^", kids)
        return ("f", x.func, kids)

    return comp(expr)


def run_recipe(r: tuple, vals: list) -> sympy.Expr:
    """The formula of recipe ``r`` with slot ``i`` set to ``vals[i]``."""
    tag = r[0]
    if tag == "s":
        return vals[r[1]]
    if tag == "c":
        return r[1]
    if tag == "f":
        return call(r[1], *[run_recipe(k, vals) for k in r[2]])
    args = [run_recipe(k, vals) for k in r[1]]
    if tag == "+":
        return add(*args)
    if tag == "*":
        return mul(*args)
    return power(*args)


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
