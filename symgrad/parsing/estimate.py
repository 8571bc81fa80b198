"""Sizes of results, worked out from the arguments *before* a call runs.

The estimates are upper bounds good enough to refuse ``zeros(10**9)``,
an outer product of two long vectors, or a huge matrix product, without
allocating anything. Unusual arguments give ``None`` (no estimate) and
are left to the function itself to reject.

>>> result_elements("zeros", (10, 20), {})
200
>>> result_elements("mul", (_Shaped((1000, 1)), _Shaped((1, 1000))), {})
1000000
>>> matmul_work((_Shaped((30, 40)), _Shaped((40, 50))))
60000
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np

from .limits import numel

_SIZED = frozenset({"zeros", "ones", "empty", "rand", "randn"})
_LIKE = frozenset({"zeros_like", "ones_like", "full_like", "rand_like", "randn_like"})
_EXPAND = frozenset({"expand", "broadcast_to"})
_MATMUL = frozenset({"matmul", "mm", "mv", "dot", "@"})
_JOIN = frozenset({"cat", "stack"})


class _Shaped:
    """A stand-in with only a shape, for doctests."""

    def __init__(self, shape: tuple) -> None:
        self.shape = shape


def shape_of(x: Any) -> tuple | None:
    """The shape of a tensor or array (unknown lengths as ``None``), else ``None``."""
    s = getattr(x, "shape", None)
    if s is None or not isinstance(s, tuple):
        return None
    return tuple(s)


def _as_int(x: Any) -> int | None:
    if isinstance(x, bool):
        return int(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, float) and math.isfinite(x):
        return int(x)
    return None


def _sizes(args: Sequence[Any]) -> int | None:
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    n = 1
    for a in args:
        k = _as_int(a)
        if k is None:
            return None
        n *= max(k, 1) if k != 0 else 0
    return n


def _nested_len(data: Any) -> int | None:
    """Elements of a nested list, following first items (ragged lists fail later)."""
    n = 1
    depth = 0
    while isinstance(data, (list, tuple)) and depth < 64:
        n *= len(data)
        if not data:
            return 0
        data = data[0]
        depth += 1
    s = shape_of(data)
    return n * numel(s) if s is not None else n


def _arange_len(args: Sequence[Any], kwargs: dict) -> int | None:
    vals = [kwargs.get(k) for k in ("start", "end", "step")]
    pos = list(args) + [None] * 3
    start, end, step = (pos[i] if pos[i] is not None else vals[i] for i in range(3))
    if end is None:
        start, end = 0, start
    step = 1 if step is None else step
    try:
        start, end, step = float(start), float(end), float(step)
    except (TypeError, ValueError, OverflowError):
        return None
    if step == 0 or not all(map(math.isfinite, (start, end, step))):
        return None
    return max(int(math.ceil((end - start) / step)), 0)


def broadcast_elements(shapes: Sequence[tuple]) -> int | None:
    """Elements of the broadcast of ``shapes`` (``None`` if they do not broadcast)."""
    shapes = [tuple(1 if s is None else s for s in sh) for sh in shapes]
    if not shapes:
        return None
    try:
        return numel(np.broadcast_shapes(*shapes))
    except (ValueError, TypeError):
        return None


def _matmul_shape(a: tuple, b: tuple) -> tuple[tuple, int] | None:
    """Output shape and inner length of ``a @ b``."""
    a = tuple(1 if s is None else s for s in a)
    b = tuple(1 if s is None else s for s in b)
    if not a or not b:
        return None
    k = a[-1]
    if len(a) == 1 and len(b) == 1:
        return (), k
    if len(b) == 1:
        return a[:-1], k
    if len(a) == 1:
        return b[:-2] + b[-1:], k
    try:
        batch = np.broadcast_shapes(a[:-2], b[:-2])
    except ValueError:
        return None
    return tuple(batch) + (a[-2], b[-1]), k


def matmul_work(args: Sequence[Any]) -> int | None:
    """Multiply-adds of ``args[0] @ args[1]``."""
    shapes = [shape_of(a) for a in args[:2]]
    if len(shapes) < 2 or None in shapes:
        return None
    r = _matmul_shape(shapes[0], shapes[1])  # type: ignore[arg-type]
    return None if r is None else numel(r[0]) * max(int(r[1]), 1)


def result_elements(name: str, args: Sequence[Any], kwargs: dict) -> int | None:
    """An upper bound on the elements of ``name(*args, **kwargs)``'s result."""
    if name in _SIZED:
        return _sizes(args if args else (kwargs.get("size", ()),))
    if name == "full":
        return _sizes((args[0],) if args else (kwargs.get("size", ()),))
    if name == "arange":
        return _arange_len(args, kwargs)
    if name == "linspace":
        steps = args[2] if len(args) > 2 else kwargs.get("steps")
        return _as_int(steps)
    if name == "tensor":
        return _nested_len(args[0]) if args else None
    if name in _LIKE:
        s = shape_of(args[0]) if args else None
        return None if s is None else numel(s)
    if name in _EXPAND:
        return _sizes(args[1:]) if len(args) > 1 else None
    if name in _MATMUL:
        shapes = [shape_of(a) for a in args[:2]]
        if len(shapes) == 2 and None not in shapes:
            r = _matmul_shape(shapes[0], shapes[1])  # type: ignore[arg-type]
            return None if r is None else numel(r[0])
        return None
    if name in _JOIN:
        seq = args[0] if args else kwargs.get("tensors", ())
        if isinstance(seq, (list, tuple)):
            return sum(numel(shape_of(t) or ()) for t in seq)
        return None
    shapes = [s for s in (shape_of(a) for a in list(args) + list(kwargs.values()))
              if s is not None]
    return broadcast_elements(shapes)


def repeat_length(left: Any, right: Any) -> int | None:
    """Length of ``seq * n`` or ``n * seq`` (``None`` if not a repetition)."""
    for seq, n in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(n, int):
            return len(seq) * max(n, 0)
    return None


def concat_length(op: Any, left: Any, right: Any) -> int | None:
    """Length of ``seq + seq``."""
    if op is operator.add and isinstance(left, (str, list, tuple)) \
            and isinstance(right, (str, list, tuple)):
        return len(left) + len(right)
    return None
