"""Shapes of formulas: an iterative, memoised walk of the expression DAG.

Elementwise nodes (SymPy's ``Add``/``Mul``/``Pow``/functions and ours)
broadcast their tensor arguments; structural nodes have a ``shape_rule``.
Lengths may be ``None`` (unspecified).

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> a, W = TensorSymbol("a", (3,)), TensorSymbol("W", (2, 3))
>>> shape_of(a * W + 1), broadcast((None,), (1,)), broadcast((2, 1), (3,))
((2, 3), (None,), (2, 3))
"""

from __future__ import annotations

from typing import Any

import sympy

from .algebra import _CANON, ON_RELEASE

Shape = tuple

# Shapes of canonical (hash-consed) nodes live in ``algebra._CANON`` (id -> shape),
# as long as the nodes themselves; other nodes' in a bounded memo that keeps each
# node alive, so an id is never reused while its entry exists.
_MEMO: dict[int, tuple[Any, Shape]] = {}  # id(node) -> (node, shape), non-canonical only
_MEMO_MAX = 200_000
ON_RELEASE.append(_MEMO.clear)  # it keeps nodes (and their constants) alive


def broadcast(*shapes: Shape) -> Shape:
    """NumPy broadcasting, with ``None`` as an unknown length."""
    first = None
    for s in shapes:
        if s:
            if first is None:
                first = s
            elif s != first:
                break
    else:  # the common case: every non-scalar shape is the same
        return () if first is None else tuple(first)
    n = max((len(s) for s in shapes), default=0)
    out: list[Any] = [1] * n
    for s in shapes:
        for i, d in enumerate(s, n - len(s)):
            o = out[i]
            if d == 1 or d == o:
                continue
            if o == 1:
                out[i] = d
            elif d is None:
                continue
            elif o is None:
                out[i] = d
            else:
                raise ValueError(f"shapes {tuple(shapes)} do not broadcast (dimension {i}: "
                                 f"{o} vs {d})")
    return tuple(out)


# per class: its ``tensor_args`` and ``shape_rule`` (None: all args, broadcasting)
_CLASS: dict[type, tuple[Any, Any]] = {}


def _class_info(cls: type) -> tuple[Any, Any]:
    info = _CLASS.get(cls)
    if info is None:
        info = _CLASS[cls] = (getattr(cls, "tensor_args", None), getattr(cls, "shape_rule", None))
    return info


def tensor_args(e: sympy.Basic) -> tuple:
    """The tensor-valued arguments of a node (attributes and atoms excluded)."""
    args = e._args
    if not args or e.is_Atom:
        return ()
    info = _CLASS.get(type(e)) or _class_info(type(e))
    return args if info[0] is None else info[0](e)


def _own_shape(e: sympy.Basic, arg_shapes: list[Shape]) -> Shape:
    rule = (_CLASS.get(type(e)) or _class_info(type(e)))[1]
    if rule is not None:
        return tuple(rule(e, *arg_shapes))
    return broadcast(*arg_shapes)


def _known(e: Any) -> Shape | None:
    """The memoised shape of ``e``, or ``None``."""
    got = _CANON.get(id(e))
    if got is not None:
        return got
    got = _MEMO.get(id(e))
    if got is not None and got[0] is e:
        return got[1]
    return None


def _remember(e: Any, shape: Shape) -> None:
    if id(e) in _CANON:
        _CANON[id(e)] = shape
    else:
        _MEMO[id(e)] = (e, shape)


def _leaf_shape(e: sympy.Basic) -> Shape:
    shp = getattr(e, "shape", None)
    return tuple(shp) if isinstance(shp, tuple) else ()


def _elementwise_shape(kids: list) -> Shape:
    """``broadcast(*kids)``, with the commonest cases (one arg, two equal shapes,
    a scalar and a shape) first."""
    if len(kids) == 1:
        return kids[0]
    if len(kids) == 2:
        s, t = kids
        if s == t or not t:
            return s
        if not s:
            return t
    return broadcast(*kids)


def _fast(e: sympy.Basic) -> Shape | None:
    """The shape of a canonical node ``e`` from its args' memoised shapes,
    remembered; ``None`` when an arg's is not known yet (the args of a
    canonical node are canonical: their shapes live in ``_CANON``)."""
    canon = _CANON
    info = _CLASS.get(type(e)) or _class_info(type(e))
    kids = []
    for a in (e._args if info[0] is None else info[0](e)):
        k = canon.get(id(a))
        if k is None:
            if not a.is_Number:
                return None
            k = canon[id(a)] = ()
        kids.append(k)
    shp = _elementwise_shape(kids) if info[1] is None else tuple(info[1](e, *kids))
    canon[id(e)] = shp
    return shp


def shape_of(expr: Any) -> Shape:
    """The shape of a formula (iterative post-order walk, memoised per node).

    Canonical nodes keep their shape for as long as they live (in the
    hash-consing table); other nodes in a bounded memo keyed by identity.
    """
    canon = _CANON
    got = canon.get(id(expr))
    if got is not None:
        return got
    if id(expr) in canon and expr._args:  # canonical, so are its args: the fast path
        info = _CLASS.get(type(expr)) or _class_info(type(expr))
        kids = []
        for a in (expr._args if info[0] is None else info[0](expr)):
            k = canon.get(id(a))
            if k is None:
                if a.is_Number:
                    k = canon[id(a)] = ()
                elif id(a) in canon and a._args and not a.is_Atom:
                    k = _fast(a)  # one level down: a new local partial, cos(x) in g*cos(x)
                    if k is None:
                        break
                else:
                    break
            kids.append(k)
        else:
            shp = _elementwise_shape(kids) if info[1] is None else \
                tuple(info[1](expr, *kids))
            canon[id(expr)] = shp
            return shp
    if not isinstance(expr, sympy.Basic):
        return ()
    got = _MEMO.get(id(expr))
    if got is not None and got[0] is expr:
        return got[1]
    if not expr._args or expr.is_Atom:
        shp = _leaf_shape(expr)
        _remember(expr, shp)
        return shp
    if len(_MEMO) > _MEMO_MAX:
        _MEMO.clear()
    stack: list[tuple[Any, Any]] = [(expr, None)]
    push, pop = stack.append, stack.pop
    while stack:
        e, targs = pop()
        if targs is not None:
            _remember(e, _own_shape(e, [_known(a) for a in targs]))
            continue
        if _known(e) is not None:
            continue
        if e.is_Atom or not e._args:
            _remember(e, _leaf_shape(e))
            continue
        targs = tensor_args(e)
        push((e, targs))
        for a in targs:
            if _known(a) is None:
                push((a, None))
    return _known(expr)  # type: ignore[return-value]


def rank(expr: Any) -> int:
    return len(shape_of(expr))


def known(shape: Shape) -> bool:
    """All lengths known (ints)."""
    return all(isinstance(d, int) for d in shape)
