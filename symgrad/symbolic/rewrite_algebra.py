"""The ``cancel`` rule: rational simplification of a small elementwise region.

A *region* is the tree of sums, products and number powers under a node,
down to its opaque parts (functions, structural nodes, symbols), which
stand in as plain symbols. A region with a division is handed to SymPy's
``cancel`` (then ``factor_terms``) and the result kept when it has fewer
operations: the logistic loss's gradient factor
``s*(1 - s)*(-t/s + (1 - t)/(1 - s))`` becomes ``s - t``. A region holds at
most :data:`REGION_MAX` nodes and a pass simplifies at most a budget of
regions, so the rule costs a bounded amount whatever the formula.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.nodes import Sigmoid
>>> from symgrad.symbolic.rewrite import rewrite
>>> s, t = Sigmoid(TensorSymbol("z", (3,))), TensorSymbol("t", (3,))
>>> rewrite(s*(1 - s)*(-t/s + (1 - t)/(1 - s)))
-t + sigmoid(z)
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, Mul, Pow

from .algebra import add, intern, mul, power

REGION_MAX = 96   # nodes of a region's tree, at most


def _arith(e: Any) -> bool:
    t = type(e)
    return t is Add or t is Mul or (t is Pow and e.args[1].is_Number)


class _Region:
    """A region as a small plain SymPy expression over stand-in symbols."""

    def __init__(self) -> None:
        self.atoms: dict[int, sympy.Symbol] = {}
        self.back: dict[sympy.Symbol, Any] = {}
        self.count = 0
        self.divides = False

    def local(self, e: Any) -> Any:
        """``e`` over stand-ins (None when the region is too big)."""
        self.count += 1
        if self.count > REGION_MAX:
            return None
        if e.is_Number:
            return e
        if not _arith(e):
            d = self.atoms.get(id(e))
            if d is None:
                d = self.atoms[id(e)] = sympy.Dummy(f"r{len(self.atoms)}")
                self.back[d] = e
            return d
        if type(e) is Pow and e.args[1].is_negative:
            self.divides = True
        parts = []
        for a in e.args:
            p = self.local(a)
            if p is None:
                return None
            parts.append(p)
        if type(e) is Add:
            return sympy.Add(*parts)
        if type(e) is Mul:
            return sympy.Mul(*parts)
        return sympy.Pow(*parts)

    def build(self, e: Any) -> Any:
        """A plain SymPy result back as a canonical formula (cheap builders)."""
        if e.is_Number:
            return intern(e)
        if e.is_Symbol:
            return self.back[e]
        args = [self.build(a) for a in e.args]
        if e.is_Add:
            return add(*args)
        if e.is_Mul:
            return mul(*args)
        if e.is_Pow:
            return power(*args)
        raise ValueError(f"cancel: unexpected {type(e).__name__}")  # pragma: no cover


def _cost(e: Any) -> tuple[int, int]:
    return sympy.count_ops(e), len(str(e))


def _worth_it(e: Any) -> bool:
    """A region of at most :data:`REGION_MAX` nodes with a division (a cheap scan
    before any SymPy object is made)."""
    stack, n, divides = [e], 0, False
    while stack:
        x = stack.pop()
        n += 1
        if n > REGION_MAX:
            return False
        if _arith(x):
            divides = divides or (type(x) is Pow and x.args[1].is_negative)
            stack.extend(x.args)
    return divides


def simplify_region(e: Any, ctx: Any) -> Any:
    """``e`` with its region cancelled, or None (no division, too big, not shorter,
    an inner node of a bigger region, or the pass's budget spent)."""
    if ctx.budget["algebra"] <= 0 or ctx.rewriter.has_division(e) is False \
            or not ctx.is_region_root() or not _worth_it(e):
        return None
    r = _Region()
    loc = r.local(e)
    if loc is None or not r.divides:
        return None
    ctx.budget["algebra"] -= 1
    try:
        c = sympy.cancel(loc)
        cands = [c, sympy.factor_terms(c)]
    except Exception:  # noqa: BLE001 - display only: keep the formula as it is
        return None
    best = min(cands, key=_cost)
    if _cost(best) >= _cost(loc):
        return None
    return r.build(best)


__all__ = ["REGION_MAX", "simplify_region"]
