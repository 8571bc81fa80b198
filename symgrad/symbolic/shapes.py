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

Shape = tuple

_MEMO: dict[int, tuple[Any, Shape]] = {}  # id(node) -> (node, shape)
_MEMO_MAX = 200_000


def broadcast(*shapes: Shape) -> Shape:
    """NumPy broadcasting, with ``None`` as an unknown length."""
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


def tensor_args(e: sympy.Basic) -> tuple:
    """The tensor-valued arguments of a node (attributes and atoms excluded)."""
    if not e.args or e.is_Atom:
        return ()
    f = getattr(e, "tensor_args", None)
    if f is not None:
        return f()
    return e.args


def _own_shape(e: sympy.Basic, arg_shapes: list[Shape]) -> Shape:
    rule = getattr(e, "shape_rule", None)
    if rule is not None:
        return tuple(rule(*arg_shapes))
    return broadcast(*arg_shapes)


def shape_of(expr: Any) -> Shape:
    """The shape of a formula (iterative post-order walk, memoised per node).

    The memo is keyed by identity (formulas are hash-consed) and keeps each
    node alive, so an id is never reused while its entry exists.
    """
    got = _MEMO.get(id(expr))
    if got is not None and got[0] is expr:
        return got[1]
    if not isinstance(expr, sympy.Basic):
        return ()
    if len(_MEMO) > _MEMO_MAX:
        _MEMO.clear()
    memo = _MEMO
    stack: list[tuple[Any, bool]] = [(expr, False)]
    while stack:
        e, ready = stack.pop()
        got = memo.get(id(e))
        if got is not None and got[0] is e:
            continue
        if ready:
            memo[id(e)] = (e, _own_shape(e, [memo[id(a)][1] for a in tensor_args(e)]))
            continue
        if e.is_Atom or not e.args:
            shp = getattr(e, "shape", None)
            memo[id(e)] = (e, tuple(shp) if isinstance(shp, tuple) else ())
            continue
        stack.append((e, True))
        for a in tensor_args(e):
            got = memo.get(id(a))
            if got is None or got[0] is not a:
                stack.append((a, False))
    return memo[id(expr)][1]


def rank(expr: Any) -> int:
    return len(shape_of(expr))


def known(shape: Shape) -> bool:
    """All lengths known (ints)."""
    return all(isinstance(d, int) for d in shape)
