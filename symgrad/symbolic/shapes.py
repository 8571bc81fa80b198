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

_MEMO: dict[Any, Shape] = {}
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
    """The shape of a formula (iterative post-order walk, memoised per node)."""
    if not isinstance(expr, sympy.Basic):
        return ()
    got = _MEMO.get(expr)
    if got is not None:
        return got
    if len(_MEMO) > _MEMO_MAX:
        _MEMO.clear()
    stack: list[tuple[Any, bool]] = [(expr, False)]
    while stack:
        e, ready = stack.pop()
        if e in _MEMO:
            continue
        if ready:
            _MEMO[e] = _own_shape(e, [_MEMO[a] for a in tensor_args(e)])
            continue
        shp = getattr(e, "shape", None)
        if e.is_Atom or not e.args:
            _MEMO[e] = tuple(shp) if isinstance(shp, tuple) else ()
            continue
        stack.append((e, True))
        for a in tensor_args(e):
            if a not in _MEMO:
                stack.append((a, False))
    return _MEMO[expr]


def rank(expr: Any) -> int:
    return len(shape_of(expr))


def known(shape: Shape) -> bool:
    """All lengths known (ints)."""
    return all(isinstance(d, int) for d in shape)
