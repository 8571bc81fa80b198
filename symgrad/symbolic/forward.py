"""Forward mode: push tangents through the same formula DAG.

Every node is visited once, in topological order; an elementwise node's
tangent is ``sum_i d e/d arg_i * tangent(arg_i)`` (the same local partials
as reverse mode), a structural node applies its ``jvp`` rule, ``detach``
has tangent zero. The default tangent of ``a`` is a symbol ``da`` of the
same shape.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.algebra import mul
>>> from symgrad.symbolic.nodes import SumOver
>>> a = TensorSymbol("a", (3,))
>>> jvp(SumOver.make(mul(a, a)), [a])
sum(2*a*da)
"""

from __future__ import annotations

import sympy

from .algebra import ZERO, add, gc_paused, intern, mul
from .nodebase import Structural
from .reverse import _topo, local_partials, to_shape
from .shapes import shape_of, tensor_args
from .symbols import TensorSymbol


def tangent_symbol(w: sympy.Expr, name: str | None = None) -> TensorSymbol:
    """The default tangent ``d<name>`` of ``w`` (same shape)."""
    base = name if name is not None else getattr(w, "name", "x")
    return TensorSymbol("d" + base, shape_of(w), getattr(w, "dtype", None), False)


def jvp_all(y: sympy.Expr, wrt: list, tangents: list) -> sympy.Expr | None:
    """The tangent of ``y`` when each ``wrt[i]`` moves along ``tangents[i]``
    (None when ``y`` does not depend on them)."""
    with gc_paused():
        return _jvp_all(y, wrt, tangents)


def _jvp_all(y: sympy.Expr, wrt: list, tangents: list) -> sympy.Expr | None:
    y, wrt = intern(y), [intern(w) for w in wrt]
    targets = {id(w) for w in wrt}
    order, active = _topo(y, targets)
    tan: dict[int, sympy.Expr] = {}
    for w, t in zip(wrt, tangents):
        tan[id(w)] = t
    for e in order:  # (the active nodes)
        if id(e) in targets:
            continue
        ts = [tan.get(id(a)) if active.get(id(a)) else None for a in tensor_args(e)]
        if isinstance(e, Structural):
            out = e.jvp(ts)
        else:
            terms = [mul(p, t) for p, t in zip(local_partials(e), ts)
                     if p is not None and t is not None]
            out = add(*terms) if terms else None
        if out is not None and out is not ZERO:
            tan[id(e)] = out
    return tan.get(id(y))


def jvp(y: sympy.Expr, wrt: list, tangents: list | None = None) -> sympy.Expr:
    """The JVP of ``y`` along ``tangents`` (default ``d<name>``), shaped like ``y``."""
    if tangents is None:
        tangents = [tangent_symbol(w) for w in wrt]
    return to_shape(jvp_all(y, wrt, tangents), shape_of(y), y)
