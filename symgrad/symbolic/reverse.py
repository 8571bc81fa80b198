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

from .algebra import _CANON, ON_RELEASE, ONE, ZERO, add, compile_recipe, gc_paused, intern, mul, run_recipe
from .algebra import mul_scaled, scalable
from .elementwise import Detach
from .nodebase import Structural
from .nodes_linalg import FullLike, ZerosLike, diag_times, fit_like
from .nodes_linear import BroadcastTo, fit, sum_to_b
from .shapes import known, shape_of, tensor_args

# Local derivative templates, one per (function, argument pattern), compiled to
# recipes for the cheap builders (bounded: a pattern names its constant args by id,
# and those are canonical, so alive); and each canonical node's partials, by id (so
# a Hessian or a second diff does not redo them), kept as long as the node itself.
_TEMPLATES: dict[Any, list] = {}
_TEMPLATES_MAX = 100_000
_PARTIALS: dict[int, tuple] = {}


def _forget() -> None:
    """With the intern table (``algebra.release``): ids may be reused after it."""
    _TEMPLATES.clear()
    _PARTIALS.clear()


ON_RELEASE.append(_forget)
_ONE_SLOT = ((0, 0),)  # the pattern of f(x)


def _template(e: sympy.Expr, pattern: tuple, nslots: int) -> list:
    """The derivative recipes of ``e``'s function for an argument ``pattern``: per
    arg ``(0, slot)`` for a tensor, ``(1, id(value))`` for a constant."""
    key = (e.func, pattern)
    tmpl = _TEMPLATES.get(key)
    if tmpl is None:
        dummies = [sympy.Dummy(f"x{i}", real=True) for i in range(nslots)]
        local = e.func(*[dummies[p] if k == 0 else a
                         for (k, p), a in zip(pattern, e.args)])
        out = sympy.Dummy("out", real=True)
        parts = []
        for d in dummies:
            der = sympy.diff(local, d)  # a template of a few nodes, not a formula
            if der.has(sympy.Derivative, sympy.DiracDelta):
                raise NotImplementedError(
                    f"no symbolic derivative of {e.func.__name__}: SymPy gives {der}, not "
                    "PyTorch's convention; give it an Elementwise class with fdiff "
                    "(symgrad.symbolic.elementwise, as Sign)")
            parts.append(compile_recipe(der.xreplace({local: out}), dummies + [out])
                         if der != 0 else None)
        if len(_TEMPLATES) > _TEMPLATES_MAX:
            _TEMPLATES.clear()
        tmpl = _TEMPLATES[key] = parts
    return tmpl


def local_partials(e: sympy.Expr) -> list[sympy.Expr | None]:
    """d e / d arg for each tensor arg of an elementwise node (None for zero;
    a repeated arg gets its whole derivative at its first position)."""
    got = _PARTIALS.get(id(e))
    if got is not None and got[0] is _TEMPLATES:  # (a new template table forgets them)
        return got[1]
    result = _partials(e)
    if id(e) in _CANON:
        _PARTIALS[id(e)] = (_TEMPLATES, result)
    return result


def _partials(e: sympy.Expr) -> list[sympy.Expr | None]:
    targs = tensor_args(e)
    if getattr(e, "zero_derivative", False):
        return [None] * len(targs)
    args = e._args
    if len(args) == 1:  # f(x): one template slot, plus the node itself
        a = args[0]
        if a.is_Number or targs != args:
            return [None] * len(targs)
        parts = _TEMPLATES.get((e.func, _ONE_SLOT)) or _template(e, _ONE_SLOT, 1)
        return [None if parts[0] is None else run_recipe(parts[0], [a, e])]
    if (args[0] is not args[1]) if len(args) == 2 else len(set(map(id, args))) == len(args):
        # distinct args: sums and products need no template
        if e.is_Add:
            return [None if a.is_Number else ONE for a in args]
        if e.is_Mul:
            out: list = []
            for i, a in enumerate(args):
                if a.is_Number:
                    out.append(None)
                    continue
                rest = args[:i] + args[i + 1:]
                out.append(rest[0] if len(rest) == 1 else mul(*rest))
            return out
    tids = {id(a) for a in targs}
    slots: dict[int, int] = {}
    vals: list = []
    pattern = []
    for a in args:
        if id(a) in tids and not a.is_Number:
            i = slots.get(id(a))
            if i is None:
                i = slots[id(a)] = len(vals)
                vals.append(a)
            pattern.append((0, i))
        else:
            pattern.append((1, id(a)))
    parts = _template(e, tuple(pattern), len(vals))
    vals.append(e)
    by_slot = [None if p is None else run_recipe(p, vals) for p in parts]
    result: list[sympy.Expr | None] = []
    seen: set[int] = set()
    for a in targs:
        i = slots.get(id(a))
        if i is not None and i not in seen:
            seen.add(i)
            result.append(by_slot[i])
        else:
            result.append(None)
    return result


def _elementwise_vjp(e: sympy.Expr, g: sympy.Expr, nb: int, active: dict) -> list:
    se = shape_of(e)
    batch = shape_of(g)[:nb] if nb else ()  # (no shape walk for a fresh cotangent)
    out: list[sympy.Expr | None] = []
    for a, p in zip(tensor_args(e), local_partials(e)):
        if p is None or not active.get(id(a)):
            out.append(None)
            continue
        c = diag_times(g, p) if nb else None
        if c is None:
            c = g if p is ONE else mul(g, p)
        shape_of(c)  # now, while its parts' shapes are known (no walk later)
        sa = shape_of(a)
        if sa != se:
            c = sum_to_b(fit_like(c, batch + se, e) if not nb else fit(c, batch + se), sa, nb)
        out.append(c)
    return out


# Per node class, how the walks treat it: a structural node (its own ``vjp``), a
# sum or product (all args tensors), ``detach`` (no derivative), an atom (a leaf)
# or another elementwise function.
_STRUCTURAL, _ADD_OR_MUL, _ELEMENTWISE = "structural", "add or mul", "elementwise"
_DETACH, _ATOM = "detach", "atom"
_KINDS: dict[type, str] = {}


def _kind(cls: type) -> str:
    kind = _KINDS[cls] = _STRUCTURAL if issubclass(cls, Structural) else \
        _ADD_OR_MUL if cls is sympy.Add or cls is sympy.Mul else \
        _DETACH if issubclass(cls, Detach) else \
        _ATOM if getattr(cls, "is_Atom", False) is True else _ELEMENTWISE
    return kind


def _topo(y: sympy.Expr, targets: set) -> tuple[list, dict]:
    """Post-order of the nodes under ``y`` that depend on a target (the targets
    included), and which of the nodes under ``y`` do (``active``).

    ``targets`` holds ids; ``active`` is keyed by id too (every node stays
    alive through ``y``, so ids are unambiguous during a walk).
    """
    order: list = []
    active: dict[int, bool | None] = {}
    stack: list[tuple[Any, Any]] = [(y, None)]
    push, pop = stack.append, stack.pop
    kinds = _KINDS
    while stack:
        e, args = pop()
        if args is not None:  # all of ``args`` are done
            for a in args:
                if active[id(a)]:
                    active[id(e)] = True
                    order.append(e)
                    break
            else:
                active[id(e)] = False
            continue
        i = id(e)
        if i in active:
            continue
        if i in targets:
            active[i] = True
            order.append(e)
            continue
        kind = kinds.get(type(e)) or _kind(type(e))
        if kind is _ADD_OR_MUL:
            args = e._args  # (tensor_args)
        elif kind is _ATOM or kind is _DETACH:
            active[i] = False
            continue
        else:
            args = tensor_args(e)
            if not args:
                active[i] = False
                continue
        active[i] = None  # being visited (reached again only through a sibling)
        push((e, args))
        for a in args:
            if id(a) not in active:
                push((a, None))
    return order, active


def vjp(y: sympy.Expr, wrt: list, ct: Any = 1, nb: int = 0) -> list:
    """Cotangents of ``wrt`` (None where ``y`` does not depend on them) for a
    cotangent ``ct`` of ``y`` (shape ``batch + y.shape``, ``nb`` batch axes)."""
    with gc_paused():
        return _vjp(y, wrt, ct, nb)


def _vjp(y: sympy.Expr, wrt: list, ct: Any, nb: int) -> list:
    ct = intern(ct if isinstance(ct, sympy.Basic) else sympy.sympify(ct, strict=True))
    y, wrt = intern(y), [intern(w) for w in wrt]
    targets = {id(w) for w in wrt}
    order, active = _topo(y, targets)
    # id -> the contribution to its cotangent (one formula) or contributions (a list);
    # a contribution ``c*g`` (a number times a plain cotangent, :func:`scalable`) is kept
    # as the pair ``(c, g)`` until it is needed: an elementwise function builds
    # ``c*g*partial`` from it (:func:`mul_scaled`), never ``c*g``, which nothing else uses
    cts: dict[int, Any] = {id(y): ct}
    done: dict[int, sympy.Expr] = {}
    shapes = _CANON  # id -> shape of a canonical node (None: not yet known)
    kinds = _KINDS
    for e in reversed(order):  # (the active nodes)
        i = id(e)
        g = cts.pop(i, None)
        if g is None:
            continue
        if type(g) is list:
            g = add(*[_scaled(x) if type(x) is tuple else x for x in g])
            if shapes.get(id(g)) is None:
                shape_of(g)  # now, while its terms' shapes are known (no walk later)
        kind = kinds.get(type(e))
        if kind is None:
            kind = _kind(type(e))
        scale = None
        if type(g) is tuple:
            if kind is _ELEMENTWISE and not nb and i not in targets:
                scale, g = g  # the cotangent is scale*g
            else:
                g = _scaled(g)
        if i in targets:
            done[i] = g
            continue
        if nb or kind is _STRUCTURAL:
            targs = tensor_args(e)
            contribs = e.vjp(g, nb) if kind is _STRUCTURAL else \
                _elementwise_vjp(e, g, nb, active)
            for a, c in zip(targs, contribs):
                if c is None or c is ZERO or not active.get(id(a)):
                    continue
                got = cts.get(id(a))
                if got is None:
                    cts[id(a)] = c
                elif type(got) is list:
                    got.append(c)
                else:
                    cts[id(a)] = [got, c]
            continue
        # _elementwise_vjp, inlined: the hot path of a long chain
        se = shapes.get(i)
        if se is None:
            se = shape_of(e)
        targs = e._args if kind is _ADD_OR_MUL else tensor_args(e)
        add_node = False  # a sum of distinct args: each gets g (a zero g too)
        if kind is _ADD_OR_MUL and len(targs) == 2 and targs[0] is not targs[1]:
            a0, a1 = targs  # (a product's partial is the other arg)
            if e.is_Add:
                add_node = True
                partials: Any = (None if a0.is_Number else ONE, None if a1.is_Number else ONE)
            else:
                partials = (None if a0.is_Number else a1, None if a1.is_Number else a0)
        elif e.is_Add and len(set(map(id, targs))) == len(targs):
            add_node = True
            partials = [None if a.is_Number else ONE for a in targs]
        else:
            partials = local_partials(e)
        for a, p in zip(targs, partials):
            if p is None or not active.get(id(a)):
                continue
            sa = shapes.get(id(a))
            if sa is None:
                sa = shape_of(a)
            if scale is not None:  # the cotangent is scale*g
                c = _scaled((scale, g)) if p is ONE else mul_scaled(scale, g, p)
                if c is ZERO:
                    continue
            elif p is ONE:
                c = g
                if c is ZERO and not add_node:
                    continue
            elif p.is_Number and sa == se and scalable(p, g):
                c = (p, g)  # mul(g, p), when (and if) it is needed
            else:
                c = mul(g, p)
                if c is ZERO:
                    continue
            if type(c) is not tuple and shapes.get(id(c)) is None:
                shape_of(c)  # now, while its parts' shapes are known (no walk later)
            if sa != se:
                c = sum_to_b(fit_like(c, se, e), sa, 0)
                if c is ZERO:
                    continue
            got = cts.get(id(a))
            if got is None:
                cts[id(a)] = c
            elif type(got) is list:
                got.append(c)
            else:
                cts[id(a)] = [got, c]
    return [done.get(id(w)) for w in wrt]


def _scaled(pair: tuple) -> sympy.Expr:
    """The contribution ``c*g`` a pair ``(c, g)`` of the reverse sweep stands for."""
    c, g = pair
    r = mul(g, c)
    if _CANON.get(id(r)) is None:
        shape_of(r)
    return r


def to_shape(g: sympy.Expr | None, shape: tuple, like: sympy.Expr) -> sympy.Expr:
    """``g`` (maybe ``None`` or smaller) as a formula of exactly ``shape``."""
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
