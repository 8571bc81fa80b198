"""``x[key]``, ``x[key] = value``, ``cat``, ``stack``, ``gather`` and ``unbind``.

Keys follow PyTorch: ints, slices (positive steps), ``None``, ``...``, and
integer or boolean tensors, lists and arrays. The basic part is applied
first, left to right, as a chain of views (``SelectBackward0``,
``SliceBackward0``, ``UnsqueezeBackward0``, or ``AliasBackward0`` when
nothing changes); integer and boolean indices then make one
``IndexBackward0``, which copies. ``x[key] = v`` writes through the basic
view (``CopySlices``) and uses ``index_put_`` for the advanced part.

>>> import symgrad as sg
>>> x = sg.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
>>> y = x * 1
>>> y[0, 1:], y[:, [0, 0]].grad_fn.name()
(tensor([2., 3.], grad_fn=<SliceBackward0>), 'IndexBackward0')
>>> y[y > 4] = 0
>>> y
tensor([[1., 2., 3.],
        [4., 0., 0.]], grad_fn=<IndexPutBackward0>)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import errors
from ..ops import OPS
from . import functions as F
from .culprit import SETITEM
from .dispatch import apply, apply_inplace
from .tensor import Tensor, _wrap_dim
from .views import MULTI_OUTPUT_NODE

_INT = (int, np.integer)


def _as_key_item(k: Any) -> Any:
    if k is None or k is Ellipsis:
        return k
    if isinstance(k, slice):
        parts = [None if p is None else int(p.__index__()) for p in (k.start, k.stop, k.step)]
        if parts[2] is not None and parts[2] <= 0:
            raise ValueError(errors.SLICE_STEP)
        return slice(*parts)
    if isinstance(k, (bool, np.bool_)):
        return np.array(bool(k))
    if isinstance(k, _INT):
        return int(k)
    if isinstance(k, Tensor):
        arr = k._value()
        if arr.dtype.kind in "iu" and arr.ndim == 0:
            return int(arr)
    else:
        arr = np.asarray(k) if isinstance(k, (list, tuple, np.ndarray)) else None
        if arr is not None and arr.size == 0 and arr.dtype.kind == "f":
            arr = arr.astype(np.int64)
    if arr is None or arr.dtype.kind not in "iub":
        kind = "float" if isinstance(k, float) or (arr is not None and arr.dtype.kind == "f") \
            else type(k).__name__
        raise IndexError(errors.INVALID_INDEX.format(type=kind))
    return arr if arr.dtype == np.bool_ else arr.astype(np.int64, copy=False)


def normalize(key: Any) -> tuple:
    """``key`` as a tuple of ints, slices, ``None``, ``...`` and NumPy int/bool arrays.

    >>> normalize((0, slice(1, None), [2, 3]))
    (0, slice(1, None, None), array([2, 3]))
    """
    if not isinstance(key, tuple):
        key = (key,)
    return tuple(_as_key_item(k) for k in key)


def _consumed(k: Any) -> int:
    if k is None or k is Ellipsis:
        return 0
    if isinstance(k, np.ndarray) and k.dtype == np.bool_:
        return k.ndim
    return 1


def _walk(x: Tensor, key: tuple, bare: bool, setting: bool) -> tuple[Tensor, tuple | None]:
    """Apply the basic part of ``key`` as views; return the view and the advanced key."""
    nd = x.ndim
    if sum(k is Ellipsis for k in key) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(_consumed(k) for k in key)
    if used > nd:
        raise IndexError(errors.too_many_indices(nd))
    out, dim, adv, has_adv = x, 0, [], False
    n_adv = 0  # index arrays so far: PyTorch's messages count items, and arrays apart
    for pos, k in enumerate(key):
        if isinstance(k, int):
            n = out.shape[dim]
            if n is None:
                raise IndexError(errors.index_unknown_length(pos, dim))
            if not -n <= k < n:
                raise IndexError(errors.index_out_of_bounds(k, pos, n))
            out = apply(OPS["select"], (out,), {"dim": dim, "index": k % n,
                                                 "in_shape": tuple(out.shape)})
        elif isinstance(k, slice):
            n = out.shape[dim]
            if n is None:
                raise IndexError(errors.index_unknown_length(pos, dim))
            start, end, step = k.indices(n)
            end = max(end, start)
            if bare and not setting or (start, end, step) != (0, n, 1):
                out = apply(OPS["slice"], (out,), {"dim": dim, "start": start, "end": end,
                                                    "step": step, "in_shape": tuple(out.shape)})
            adv.append(slice(None))
            dim += 1
        elif k is None:
            out = F.unsqueeze(out, dim)
            adv.append(slice(None))
            dim += 1
        elif k is Ellipsis:
            skip = nd - used
            adv.extend([slice(None)] * skip)
            dim += skip
        else:
            has_adv = True
            m = k.ndim if k.dtype == np.bool_ else 1
            shape = tuple(out.shape)
            if k.dtype == np.bool_:
                if tuple(k.shape) != shape[dim:dim + m]:
                    bad = next(i for i, (a, b) in enumerate(zip(k.shape, shape[dim:])) if a != b)
                    raise IndexError(errors.mask_shape(k.shape, bad, shape, dim + bad))
            elif k.size:
                n = shape[dim]
                bad = k[(k >= n) | (k < -n)]
                if bad.size:
                    raise IndexError(errors.index_out_of_bounds(int(bad.flat[0]), n_adv, n))
            n_adv += max(k.ndim, 1) if k.dtype == np.bool_ else 1
            adv.append(k)
            dim += m
    return out, (tuple(adv) if has_adv else None)


def getitem(x: Tensor, key: Any) -> Tensor:
    """``x[key]``: views for the basic part, one ``index`` copy for arrays."""
    bare = not isinstance(key, tuple)
    out, adv = _walk(x, normalize(key), bare, False)
    if adv is not None:
        return apply(OPS["index"], (out,), {"key": adv, "in_shape": tuple(out.shape)})
    if out is x:
        return apply(OPS["alias"], (x,), {})
    return out


def key_text(key: Any) -> str:
    """``key`` as written in Python: ``0, 1:3, ...``.

    >>> key_text((0, slice(1, None), Ellipsis, None))
    '0, 1:, ..., None'
    """
    if not isinstance(key, tuple):
        key = (key,)
    parts = []
    for k in key:
        if isinstance(k, slice):
            s = ("" if k.start is None else str(k.start)) + ":" + (
                "" if k.stop is None else str(k.stop))
            parts.append(s + ("" if k.step is None else f":{k.step}"))
        elif k is Ellipsis:
            parts.append("...")
        elif isinstance(k, Tensor):
            parts.append("mask" if k.dtype.name == "bool" else "index")
        else:
            parts.append(repr(k) if not isinstance(k, np.ndarray) else "index")
    return ", ".join(parts)


def setitem(x: Tensor, key: Any, value: Any) -> None:
    """``x[key] = value``: ``fill_``/``copy_`` through the basic view, ``index_put_`` for arrays."""
    k = normalize(key)
    SETITEM.stack.append((x, key_text(key)))
    try:
        if x._data is None:
            v = value if isinstance(value, (Tensor, int, float)) else F._tensor(value)
            apply_inplace(x, OPS["index_put"], (x, v), {"key": k}, "index_put_")
            return
        view, adv = _walk(x, k, False, True)
        if adv is not None:
            _index_put(view, adv, value)
        elif isinstance(value, Tensor) or not isinstance(value, (int, float, np.number)):
            src = F._tensor(value)
            _check_expand(tuple(view.shape), tuple(src.shape))
            view.copy_(src)
        else:  # PyTorch wraps the number into a 0-d tensor: fill_(Tensor)
            number = Tensor._wrap(np.asarray(value, dtype=view._data.dtype))
            apply_inplace(view, OPS["fill_tensor"], (view, number), {}, "fill_")
    finally:
        SETITEM.stack.pop()


def _check_expand(target: tuple, got: tuple) -> None:
    if len(got) > len(target) or any(
            g != 1 and g != t for g, t in zip(reversed(got), reversed(target))):
        if len(got) > len(target):
            raise RuntimeError(errors.size_mismatch(target, got, 0))
        dim = next(len(target) - 1 - i for i, (g, t) in
                   enumerate(zip(reversed(got), reversed(target))) if g != 1 and g != t)
        raise RuntimeError(errors.expand_size(target, got, dim))


def _index_put(view: Tensor, adv: tuple, value: Any) -> None:
    if isinstance(value, Tensor):
        if value.dtype != view.dtype:
            value = F.to_dtype(value, view.dtype)
    elif not isinstance(value, (int, float, np.number)):
        value = Tensor._from_data(np.asarray(value), dtype=view.dtype)
    result = np.zeros(tuple(view.shape), dtype=bool)[adv].shape
    vshape = tuple(value.shape) if isinstance(value, Tensor) else ()
    try:
        if np.broadcast_shapes(vshape, result) != result:
            raise ValueError
    except ValueError:
        raise RuntimeError(errors.index_put_shape(vshape, result)) from None
    apply_inplace(view, OPS["index_put"], (view, value), {"key": adv}, "index_put_")


# ------------------------------------------------------------------ joining
def _tensors(tensors: Sequence[Any], empty: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or len(tensors) == 0:
        raise ValueError(empty)
    return [F._tensor(t) for t in tensors]


def cat(tensors: Sequence[Any], dim: int = 0) -> Tensor:
    """Concatenate along an existing axis ``dim`` (``CatBackward0``).

    >>> import symgrad as sg
    >>> sg.cat([sg.tensor([1., 2.]), sg.tensor([3.])])
    tensor([1., 2., 3.])
    """
    ts = _tensors(tensors, errors.CAT_EMPTY)
    first = tuple(ts[0].shape)
    for k, t in enumerate(ts):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {k}) cannot be "
                               "concatenated")
        if t.ndim != len(first):
            raise RuntimeError(errors.cat_ndim(len(first), t.ndim))
    d = _wrap_dim(dim, len(first))
    offsets = [0]
    for k, t in enumerate(ts):
        for i, (n, m) in enumerate(zip(first, t.shape)):
            if i != d and n != m:
                raise RuntimeError(errors.cat_sizes(d, n, m, k))
        offsets.append(offsets[-1] + t.shape[d])
    shape = first[:d] + (offsets[-1],) + first[d + 1:]
    return apply(OPS["cat"], tuple(ts), {"dim": d, "offsets": tuple(offsets), "shape": shape})


concat = concatenate = cat


def stack(tensors: Sequence[Any], dim: int = 0) -> Tensor:
    """Stack equal-shaped tensors along a new axis ``dim`` (``StackBackward0``).

    >>> import symgrad as sg
    >>> sg.stack([sg.tensor([1., 2.]), sg.tensor([3., 4.])], 1)
    tensor([[1., 3.],
            [2., 4.]])
    """
    ts = _tensors(tensors, errors.STACK_EMPTY)
    first = tuple(ts[0].shape)
    for k, t in enumerate(ts):
        if tuple(t.shape) != first:
            raise RuntimeError(errors.stack_sizes(first, tuple(t.shape), k))
    d = _wrap_dim(dim, len(first) + 1)
    shape = first[:d] + (len(ts),) + first[d:]
    return apply(OPS["stack"], tuple(ts), {"dim": d, "shape": shape})


def gather(input: Tensor, dim: int, index: Any) -> Tensor:
    """``out[i][j] = input[i][index[i][j]]`` for ``dim=1`` (``GatherBackward0``).

    >>> import symgrad as sg
    >>> sg.gather(sg.tensor([[1., 2.], [3., 4.]]), 1, sg.tensor([[0, 0], [1, 0]]))
    tensor([[1., 1.],
            [4., 3.]])
    """
    idx = np.asarray(index._value() if isinstance(index, Tensor) else index)
    if idx.dtype.kind not in "iu":
        raise RuntimeError("gather(): Expected dtype int64 for index")
    idx = idx.astype(np.int64, copy=False)
    shape = tuple(input.shape)
    d = _wrap_dim(dim, len(shape))
    if idx.ndim != len(shape):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    for i, (n, m) in enumerate(zip(idx.shape, shape)):
        if i != d and n > m:
            raise RuntimeError(f"Size does not match at dimension {i} expected index "
                               f"{list(idx.shape)} to be no larger than self {list(shape)} apart "
                               f"from dimension {d}")
    bad = idx[(idx >= shape[d]) | (idx < -shape[d])]
    if bad.size:
        raise RuntimeError(errors.gather_index(int(bad.flat[0]), d, shape[d]))
    return apply(OPS["gather"], (input,), {"dim": d, "index": idx, "in_shape": shape})


def select(input: Tensor, dim: int, index: int) -> Tensor:
    """``input`` at ``index`` along ``dim``: a view one axis smaller (``SelectBackward0``)."""
    d = _wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if not -n <= index < n:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {d}")
    return apply(OPS["select"], (input,), {"dim": d, "index": index % n,
                                           "in_shape": tuple(input.shape)})


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The views of ``input`` at each index along ``dim`` (``UnbindBackward0``).

    PyTorch gives them one node with several outputs; here each view has its
    own ``UnbindBackward0`` node with the same ``next_functions``. As in
    PyTorch, they may not be modified in place while grad is tracked.

    >>> import symgrad as sg
    >>> a, b = (sg.tensor([[1., 2.], [3., 4.]], requires_grad=True) * 1).unbind(1)
    >>> b
    tensor([2., 4.], grad_fn=<UnbindBackward0>)
    """
    d = _wrap_dim(dim, input.ndim)
    shape = tuple(input.shape)
    out = []
    for i in range(shape[d]):
        v = apply(OPS["unbind"], (input,), {"dim": d, "index": i, "in_shape": shape})
        if v._creation_meta is None:  # made under no_grad: that error takes precedence
            v._creation_meta = MULTI_OUTPUT_NODE
        out.append(v)
    return tuple(out)


def iterate(input: Tensor) -> Any:
    if input.ndim == 0:
        raise TypeError("iteration over a 0-d tensor")
    return iter(unbind(input, 0))
