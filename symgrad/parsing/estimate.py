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

import collections
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
_LEGACY = frozenset({"Tensor", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor",
                     "BoolTensor"})


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


def _list_shape(data: Any) -> tuple:
    """The shape NumPy would give a nested list, following first items."""
    out = []
    while isinstance(data, (list, tuple)) and len(out) < 64:
        out.append(len(data))
        if not data:
            break
        data = data[0]
    return tuple(out) + (shape_of(data) or ())


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


def _linear_shape(args: Sequence[Any]) -> tuple[tuple, int] | None:
    shapes = [shape_of(a) for a in args[:2]]
    if len(shapes) < 2 or None in shapes or not shapes[1]:
        return None
    w = tuple(shapes[1])  # type: ignore[arg-type]
    wt = w[::-1] if len(w) == 2 else w
    return _matmul_shape(tuple(shapes[0]), wt)  # type: ignore[arg-type]


def linear_work(args: Sequence[Any]) -> int | None:
    """Multiply-adds of ``F.linear(x, W)``: ``x @ W.T``."""
    r = _linear_shape(args)
    return None if r is None else numel(r[0]) * max(int(r[1] or 1), 1)


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
    if name == "eye":  # eye(n) or eye(n, m)
        n = _as_int(args[0] if args else kwargs.get("n"))
        m = _as_int(args[1] if len(args) > 1 else kwargs.get("m", n))
        return None if n is None or m is None else max(n, 0) * max(m, 0)
    if name == "diag":  # a vector becomes a square matrix
        s = shape_of(args[0]) if args else None
        k = _as_int(args[1] if len(args) > 1 else kwargs.get("diagonal", 0)) or 0
        if s is None:
            return None
        return (numel(s) + abs(k)) ** 2 if len(s) == 1 else numel(s) if len(s) == 2 else None
    if name in ("outer", "ger", "kron"):  # every product of an element of each
        shapes = [shape_of(a) for a in args[:2]]
        return None if len(shapes) < 2 or None in shapes else \
            numel(shapes[0]) * numel(shapes[1])  # type: ignore[arg-type]
    if name == "diag_embed":  # the last dim becomes a square matrix
        s = shape_of(args[0]) if args else None
        k = _as_int(args[1] if len(args) > 1 else kwargs.get("offset", 0)) or 0
        if not s:
            return None
        n = (numel(s[-1:]) + abs(k))
        return numel(s[:-1]) * n * n
    if name == "linear":  # F.linear(x, W, b): x @ W.T (+ b)
        r = _linear_shape(args)
        return None if r is None else numel(r[0])
    if name in _LEGACY:  # torch.Tensor(2, 3) or torch.Tensor([[1, 2]])
        if args and isinstance(args[0], (list, tuple)):
            return _nested_len(args[0])
        return _sizes(args)
    if name == "full":
        return _sizes((args[0],) if args else (kwargs.get("size", ()),))
    if name in ("randint", "normal") and (kwargs.get("size") is not None or (
            args and isinstance(args[-1], (list, tuple)))):
        return _sizes((kwargs.get("size", args[-1] if args else ()),))
    if name == "randperm":
        return _as_int(args[0] if args else kwargs.get("n"))
    if name == "multinomial" and len(args) > 1:
        shape = shape_of(args[0])
        k = _as_int(args[1])
        return None if shape is None or k is None else numel(shape[:-1]) * k
    if name == "Linear":  # nn.Linear(in, out): a weight and a bias
        n_in = _as_int(args[0] if args else kwargs.get("in_features"))
        n_out = _as_int(args[1] if len(args) > 1 else kwargs.get("out_features"))
        return None if n_in is None or n_out is None else (n_in + 1) * n_out
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


def walk_size(x: Any, limit: int) -> int:
    """What a C-level walk of ``x`` costs: items of nested lists and tuples, counted
    each time they are reached (a sublist shared a million times counts a million
    times), characters of strings and decimal digits of integers (so it is also a
    lower bound on the length of ``str(x)``). Counting stops past ``limit``; the walk
    itself visits each distinct list once, mostly in C, and the alarm can stop it.

    Comparisons, ``in``, ``max``/``min``, ``str`` and NumPy's conversion of nested
    lists run in C, where the wall-time alarm cannot interrupt them; refusing a walk
    past the limit beforehand keeps them short.

    >>> x = [0] * 1000
    >>> walk_size([x] * 1000, 10**9), walk_size([x] * 1000, 10**4)
    (1001000, 10001)
    >>> walk_size(["ab", 2**100], 100)
    32
    """
    if not isinstance(x, (list, tuple)):
        return min(_leaf_size(x), limit + 1)
    size: dict[int, int] = {}      # id -> walk size of a finished list or tuple (0: on the path)
    stack: list[tuple[Any, dict[int, Any] | None]] = [(x, None)]
    while stack:
        obj, parts = stack.pop()
        if parts is None:  # first visit: find the distinct sublists, visit them first
            if id(obj) in size:
                continue
            size[id(obj)] = 0  # a cycle adds nothing (Python's repr shows [...])
            types = set(map(type, obj))
            parts = _containers(obj, types)
            parts[0] = _leaf_extra(obj, types)  # (no object has id 0)
            stack.append((obj, parts))
            stack.extend((p, None) for k, p in parts.items() if k and k not in size)
            continue
        total = len(obj) + parts.pop(0)
        if parts and total <= limit:
            counts = collections.Counter(map(id, obj))
            for k in parts:
                total += counts[k] * size.get(k, 0)
        size[id(obj)] = min(total, limit + 1)
    return size[id(x)]


def _containers(obj: Any, types: set[type]) -> dict[int, Any]:
    """The distinct lists and tuples among ``obj``'s items, by id."""
    if not any(issubclass(t, (list, tuple)) for t in types):
        return {}
    distinct = dict(zip(map(id, obj), obj))
    return {k: v for k, v in distinct.items() if isinstance(v, (list, tuple))}


def _leaf_extra(obj: Any, types: set[type]) -> int:
    """What strings and large integers among ``obj``'s items add beyond one each."""
    extra = 0
    if str in types:
        extra += sum(len(s) - 1 for s in obj if type(s) is str and s)
    if int in types:
        if types <= {int, bool}:
            hi = max(abs(min(obj)), abs(max(obj)))
            if hi.bit_length() <= 64:
                return extra
        extra += sum(_leaf_size(i) - 1 for i in obj if type(i) is int)
    return extra


def _leaf_size(x: Any) -> int:
    if isinstance(x, str):
        return max(len(x), 1)
    if isinstance(x, int) and not isinstance(x, bool):
        return max(int(x.bit_length() * 0.30103), 1)
    return 1


def index_elements(shape: tuple, idx: Any) -> int | None:
    """An upper bound on the elements of ``t[idx]`` for ``t`` of ``shape`` (NumPy's
    rules: integer and boolean arrays index together and broadcast; slices keep a
    dimension, integers drop one, ``None`` adds one). ``None`` if ``idx`` is unusual.

    >>> index_elements((2, 2), (_Shaped((30000, 1)), _Shaped((30000,))))
    900000000
    >>> index_elements((1000, 1000), (slice(None), 3))
    1000
    """
    items = idx if isinstance(idx, tuple) else (idx,)
    dims = [1 if d is None else int(d) for d in shape]
    advanced: list[tuple] = []
    factor, used = 1, 0
    for it in items:
        if it is None:
            continue
        if it is Ellipsis:
            continue
        if isinstance(it, (bool, np.bool_)):
            continue
        if isinstance(it, (int, np.integer)):
            used += 1
            continue
        if isinstance(it, slice):
            factor *= dims[used] if used < len(dims) else 1
            used += 1
            continue
        s = shape_of(it)
        if s is None and isinstance(it, (list, tuple)):
            s = _list_shape(it)
        if s is None:
            return None
        dtype = getattr(it, "dtype", None)
        if dtype is not None and "bool" in str(dtype).lower():
            advanced.append((numel(s),))
            used += len(s)
        else:
            advanced.append(tuple(1 if d is None else d for d in s))
            used += 1
    for d in dims[used:]:
        factor *= d
    if advanced:
        n = broadcast_elements(advanced)
        if n is None:  # the indices do not broadcast: NumPy refuses without allocating
            return None
        factor *= n
    return factor
