"""Reverse mode: one walk of the formula DAG from the output.

Nodes are visited once each (shared subexpressions included) in reverse
topological order; each node's cotangent is the sum of its consumers'
contributions. Elementwise nodes use SymPy's derivative of the node applied
to dummies (one level deep, cached per node pattern) with the dummies put
back by reference -- the derivative refers to the forward nodes, it never
copies them; broadcasting is undone with ``sum_to``. Structural nodes apply
their own ``vjp`` rule; ``detach`` stops the flow.

Cotangents may carry ``nb`` leading batch axes (Jacobians seed with
``eye``); with ``nb = 0`` a cotangent may be smaller than its node and
broadcast (``1`` for a sum).

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.algebra import mul
>>> from symgrad.symbolic.nodes import SumOver, Sigmoid
>>> a = TensorSymbol("a", (3,))
>>> gradient(SumOver.make(mul(a, a)), [a])
[2*a]
>>> gradient(SumOver.make(Sigmoid(a)), [a])
[(1 - sigmoid(a))*sigmoid(a)]
"""

from __future__ import annotations

from typing import Any

import sympy

from .algebra import add, mul, rebuild
from .elementwise import Detach
from .nodebase import Structural
from .nodes_linalg import diag_times
from .nodes_shape import fit, sum_to_b
from .shapes import known, shape_of, tensor_args

_TEMPLATES: dict[Any, tuple] = {}


def local_partials(e: sympy.Expr) -> list[sympy.Expr | None]:
    """d e / d arg for each tensor arg of an elementwise node (None for zero;
    a repeated arg gets its whole derivative at its first position)."""
    targs = tensor_args(e)
    if getattr(e, "zero_derivative", False):
        return [None] * len(targs)
    tset = set(targs)
    slots: dict[Any, int] = {}
    pattern = []
    for a in e.args:
        if a in tset and not a.is_Number:
            if a not in slots:
                slots[a] = len(slots)
            pattern.append((0, slots[a]))
        else:
            pattern.append((1, a))
    key = (e.func, tuple(pattern))
    tmpl = _TEMPLATES.get(key)
    if tmpl is None:
        dummies = [sympy.Dummy(f"x{i}", real=True) for i in range(len(slots))]
        local = e.func(*[dummies[p] if k == 0 else p for k, p in pattern])
        out = sympy.Dummy("out", real=True)
        parts = []
        for d in dummies:
            der = sympy.diff(local, d)
            parts.append(der.xreplace({local: out}) if der != 0 else None)
        tmpl = _TEMPLATES[key] = (dummies, out, parts)
    dummies, out, parts = tmpl
    mapping = {dummies[i]: a for a, i in slots.items()}
    mapping[out] = e
    by_slot = [None if p is None else rebuild(p, mapping) for p in parts]
    result: list[sympy.Expr | None] = []
    seen = set()
    for a in targs:
        if a in slots and a not in seen:
            seen.add(a)
            result.append(by_slot[slots[a]])
        else:
            result.append(None)
    return result


def _elementwise_vjp(e: sympy.Expr, g: sympy.Expr, nb: int, active: dict) -> list:
    se = shape_of(e)
    batch = shape_of(g)[:nb]
    out: list[sympy.Expr | None] = []
    for a, p in zip(tensor_args(e), local_partials(e)):
        if p is None or not active.get(a):
            out.append(None)
            continue
        c = diag_times(g, p) if nb else None
        if c is None:
            c = mul(g, p)
        sa = shape_of(a)
        if sa != se:
            c = sum_to_b(fit(c, batch + se), sa, nb)
        out.append(c)
    return out


def _topo(y: sympy.Expr, targets: set) -> tuple[list, dict]:
    """Post-order of the nodes under ``y`` and which of them depend on a target."""
    order: list = []
    active: dict = {}
    stack: list[tuple[Any, bool]] = [(y, False)]
    while stack:
        e, done = stack.pop()
        if e in active:
            continue
        if done:
            active[e] = any(active[a] for a in tensor_args(e)) and not isinstance(e, Detach)
            order.append(e)
            continue
        if e in targets:
            active[e] = True
            order.append(e)
            continue
        args = tensor_args(e)
        if not args or isinstance(e, Detach):
            active[e] = False
            order.append(e)
            continue
        stack.append((e, True))
        for a in args:
            if a not in active:
                stack.append((a, False))
    return order, active


def vjp(y: sympy.Expr, wrt: list, ct: Any = 1, nb: int = 0) -> list:
    """Cotangents of ``wrt`` (None where ``y`` does not depend on them) for a
    cotangent ``ct`` of ``y`` (shape ``batch + y.shape``, ``nb`` batch axes)."""
    ct = sympy.sympify(ct)
    targets = set(wrt)
    order, active = _topo(y, targets)
    cts: dict[Any, list] = {y: [ct]}
    done: dict[Any, sympy.Expr] = {}
    for e in reversed(order):
        if not active.get(e):
            continue
        lst = cts.pop(e, None)
        if not lst:
            continue
        g = lst[0] if len(lst) == 1 else add(*lst)
        hash(g)
        if e in targets:
            done[e] = g
            continue
        if isinstance(e, Structural):
            contribs = e.vjp(g, nb)
        else:
            contribs = _elementwise_vjp(e, g, nb, active)
        for a, c in zip(tensor_args(e), contribs):
            if c is None or not active.get(a) or c == 0:
                continue
            hash(c)
            cts.setdefault(a, []).append(c)
    return [done.get(w) for w in wrt]


def to_shape(g: sympy.Expr | None, shape: tuple, like: sympy.Expr) -> sympy.Expr:
    """``g`` (maybe ``None`` or smaller) as a formula of exactly ``shape``."""
    from .nodes_linalg import FullLike, ZerosLike
    from .nodes_shape import BroadcastTo
    if g is None:
        g = sympy.Integer(0)
    if shape_of(g) == tuple(shape):
        return g
    if known(shape):
        return BroadcastTo.new(g, tuple(shape))
    if shape_of(like) == tuple(shape):
        return ZerosLike.new(like) if g == 0 else mul(g, FullLike.new(like, 1))
    return BroadcastTo.new(g, tuple(shape))


def gradient(y: sympy.Expr, wrt: list, ct: Any = 1) -> list:
    """The gradient (VJP with ``ct``) of ``y`` for each of ``wrt``, shaped like it."""
    gs = vjp(y, wrt, ct, 0)
    return [to_shape(g, shape_of(w), w) for g, w in zip(gs, wrt)]
