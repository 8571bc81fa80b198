"""PyTorch's CPU ``sum`` (``aten/src/ATen/native/cpu/SumKernel.cpp``, ``cascade_sum``)
in NumPy, with its exact order of additions, so float32 sums agree bit for bit.

PyTorch lays the reduction out as TensorIterator does (reduced dims first, then
by stride; adjacent dims coalesced), then sums the first dim of each 2-D slice
with one of four loops: contiguous rows in vectors of 8 (``vectorized_inner_sum``),
contiguous columns (``vectorized_outer_sum``) or their scalar forms. Each loop
is a *cascade*: blocks of ``2**k`` terms summed in order, the block sums summed
in blocks again, four levels deep (``multi_row_sum``), after splitting a row in
four interleaved partial sums (``row_sum``). NumPy's own ``sum`` is pairwise
with another blocking, so it differs in the last bit for many inputs.

Sequential sums are ``np.cumsum`` (a running sum, in order, on any axis), so
nothing loops per element in Python; a Python loop runs once per block of 16
or more rows.

Not reproduced: a reduction of more than 32768 elements that PyTorch splits
between threads (``parallel_reduce``); its result depends on the thread count.

>>> import numpy as np
>>> x = np.float32([0.1] * 10 + [1e8, -1e8])
>>> float(cascade_sum(x)), float(np.sum(x))  # PyTorch 2.13: 0.8000000715255737
(0.8000000715255737, 0.0)
>>> cascade_sum(np.ones((3, 20), np.float32), 1).tolist()
[20.0, 20.0, 20.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_ILP = 4  # row_sum's interleaved partial sums
_LEVELS = 4  # multi_row_sum's cascade depth
_ROWS = 4  # columns per multi_row_sum call in the outer loops


def _lanes(dtype: np.dtype) -> int:
    """Elements per vector in PyTorch's sum kernel (256-bit vectors, also on AVX512)."""
    return 8 if dtype == np.float32 else 4


def _ceil_log2(n: int) -> int:
    return 1 if n <= 2 else int(n - 1).bit_length()


def _seq(a: np.ndarray) -> np.ndarray:
    """Sum over axis 0 strictly in order (a running sum); zeros when empty."""
    if a.shape[0] == 0:
        return np.zeros(a.shape[1:], a.dtype)
    return np.cumsum(a, axis=0, dtype=a.dtype)[-1]


def multi_row_sum(a: np.ndarray) -> np.ndarray:
    """``multi_row_sum``: the four-level cascade down axis 0 of ``a`` (any lanes after).

    >>> multi_row_sum(np.float32([[1, 2], [3, 4]])).tolist()
    [4.0, 6.0]
    """
    size = a.shape[0]
    power = max(4, _ceil_log2(size) // _LEVELS)
    step = 1 << power
    mask = step - 1
    zero = np.zeros(a.shape[1:], a.dtype)
    acc = [zero] * _LEVELS
    nfull = size // step
    if nfull:
        blocks = a[:nfull * step].reshape((nfull, step) + a.shape[1:])
        sums = np.cumsum(blocks, axis=1, dtype=a.dtype)[:, -1]
        for b in range(nfull):
            acc[0] = sums[b]
            i = (b + 1) * step
            for j in range(1, _LEVELS):
                acc[j] = acc[j] + acc[j - 1]
                acc[j - 1] = zero
                if i & (mask << (j * power)):
                    break
    tail = a[nfull * step:]
    if tail.shape[0]:
        acc[0] = _seq(np.concatenate([acc[0][None], tail]))
    out = acc[0]
    for j in range(1, _LEVELS):
        out = out + acc[j]
    return out


def row_sum(a: np.ndarray) -> np.ndarray:
    """``row_sum``: four interleaved cascades down axis 0, then the leftovers and
    the four partial sums, in order.

    >>> row_sum(np.float32([1, 2, 3, 4, 5])).tolist()
    15.0
    """
    size = a.shape[0]
    n4 = size // _ILP
    lanes = a.shape[1:]
    if n4:
        partial = multi_row_sum(a[:n4 * _ILP].reshape((n4, _ILP) + lanes))
    else:
        partial = np.zeros((_ILP,) + lanes, a.dtype)
    p0 = _seq(np.concatenate([partial[0][None], a[n4 * _ILP:]]))
    for k in range(1, _ILP):
        p0 = p0 + partial[k]
    return p0


def vector_row_sum(a: np.ndarray) -> np.ndarray:
    """``vectorized_inner_sum`` for one contiguous row per lane: ``row_sum`` over
    vectors of 8 (float32), then the leftover elements from 0, then the lanes."""
    size = a.shape[0]
    v = _lanes(a.dtype)
    nvec = size // v
    lanes = a.shape[1:]
    vacc = row_sum(a[:nvec * v].reshape((nvec, v) + lanes))
    final = np.concatenate([np.zeros((1,) + lanes, a.dtype), a[nvec * v:], vacc])
    return _seq(final)


def _layout(shape: tuple[int, ...], strides: tuple[int, ...],
            reduced: set[int]) -> list[tuple[int, int, int, list[int]]]:
    """TensorIterator's dims for the reduction: ``(size, in_stride, out_stride,
    original dims)``, reduced dims first, each group by stride, then coalesced."""
    out_strides = {}
    acc = 1
    for d in reversed(range(len(shape))):
        out_strides[d] = 0 if d in reduced else acc
        acc *= 1 if d in reduced else shape[d]
    dims = [d for d in range(len(shape)) if shape[d] != 1]
    red = sorted((d for d in dims if d in reduced), key=lambda d: (strides[d], shape[d]))
    kept = sorted((d for d in dims if d not in reduced),
                  key=lambda d: (out_strides[d], strides[d], shape[d]))
    out: list[tuple[int, int, int, list[int]]] = []
    for d in red + kept:
        if out:
            size, ist, ost, orig = out[-1]
            if ist * size == strides[d] and ost * size == out_strides[d]:
                out[-1] = (size * shape[d], ist, ost, orig + [d])
                continue
        out.append((shape[d], strides[d], out_strides[d], [d]))
    return out


def _slice_sums(v: np.ndarray, s1: int, i0: int, i1: int) -> np.ndarray:
    """Each column's sum down axis 0 of ``v`` (size0, outer..., size1), by the loop
    ``cascade_sum`` picks for the slice's strides ``i0``, ``i1`` (in elements)."""
    lanes = _lanes(v.dtype)
    size0 = v.shape[0]
    if i0 == 1 and size0 >= lanes:
        return vector_row_sum(v)
    if i1 == 1 and s1 >= lanes:  # contiguous columns: 4 vectors at a time, then one, then scalars
        split = (s1 // (_ROWS * lanes)) * _ROWS * lanes
    elif i0 < i1:
        split = 0
    else:
        split = (s1 // _ROWS) * _ROWS
    if split == 0:
        return row_sum(v)
    if split == s1:
        return multi_row_sum(v)
    return np.concatenate([multi_row_sum(v[..., :split]), row_sum(v[..., split:])], axis=-1)


def cascade_sum(x: np.ndarray, dim: int | Sequence[int] | None = None,
                keepdim: bool = False) -> np.ndarray:
    """``torch.sum(x, dim, keepdim)`` for a float32/float64 array, PyTorch's order
    of additions (other dtypes: ``np.sum``).

    >>> cascade_sum(np.arange(6, dtype=np.float32).reshape(2, 3), 0).tolist()
    [3.0, 5.0, 7.0]
    """
    x = np.asarray(x)
    nd = x.ndim
    if dim is None:
        reduced = set(range(nd))
    else:
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        reduced = {int(d) % nd if nd else 0 for d in dims} if dims else set(range(nd))
    axis = tuple(sorted(reduced)) if nd else None
    if x.dtype not in (np.float32, np.float64) or x.size == 0 or nd == 0:
        return np.sum(x, axis=axis, keepdims=keepdim)
    item = x.itemsize
    if any(s < 0 or s % item for s in x.strides):
        x = np.ascontiguousarray(x)
    strides = tuple(s // item for s in x.strides)
    layout = _layout(x.shape, strides, reduced)
    kept_shape = tuple(1 if d in reduced else n for d, n in enumerate(x.shape))
    zero = x.dtype.type(0)
    if not layout or layout[0][2] != 0:  # nothing to reduce: 0 + x, as PyTorch's fill and add
        out = np.add(x, zero).reshape(kept_shape)
        return out if keepdim else out.reshape([n for d, n in enumerate(x.shape) if d not in reduced])
    if len(layout) == 1:
        layout.append((1, 0, 0, []))
    # a view with the loop's dims, slowest first, the reduced dim 0 last
    loop = layout[::-1]
    view = np.lib.stride_tricks.as_strided(
        x, shape=tuple(d[0] for d in loop), strides=tuple(d[1] * item for d in loop),
        writeable=False)
    v = np.moveaxis(view, -1, 0)  # (size0, outer..., size1)
    i0 = layout[0][1]
    s1, i1, _, _ = layout[1]
    p = _slice_sums(v, s1, i0, i1)  # (outer..., size1): loop dims slowest first
    loop_dims = loop[:-1]
    red_axes = [k for k, d in enumerate(loop_dims) if d[2] == 0]
    kept_axes = [k for k, d in enumerate(loop_dims) if d[2] != 0]
    p = np.transpose(p, kept_axes + red_axes)
    kept_sizes = [loop_dims[k][0] for k in kept_axes]
    p = p.reshape(kept_sizes + [-1])
    # CastStoreAccumulate: the output starts at 0 and each slice's sum is added in loop order
    order = np.moveaxis(p, -1, 0)
    out = _seq(np.concatenate([np.zeros((1,) + order.shape[1:], x.dtype), order]))
    # back from the loop's kept dims (slowest first, each fastest-first inside) to the output
    orig = [d for k in kept_axes for d in reversed(loop_dims[k][3])]
    out = out.reshape([x.shape[d] for d in orig]) if orig else out.reshape(())
    ordered = sorted(range(len(orig)), key=lambda k: orig[k])
    out = np.transpose(out, ordered)
    out = np.ascontiguousarray(out).reshape([n for d, n in enumerate(x.shape) if d not in reduced])
    return out.reshape(kept_shape) if keepdim else out


def cascade_mean(x: np.ndarray, dim: int | Sequence[int] | None = None,
                 keepdim: bool = False) -> np.ndarray:
    """``torch.mean``: PyTorch's CPU mean is the sum divided by the count, in ``x``'s dtype.

    >>> float(cascade_mean(np.float32([1, 2, 4])))
    2.3333332538604736
    """
    x = np.asarray(x)
    s = cascade_sum(x, dim, keepdim)
    n = x.size // max(1, s.size) if x.size else 0
    if x.dtype in (np.float32, np.float64):
        with np.errstate(invalid="ignore", divide="ignore"):  # an empty mean is nan
            return np.true_divide(s, x.dtype.type(n)).astype(x.dtype, copy=False)
    return np.mean(x, axis=None if dim is None else dim, keepdims=keepdim)


def cascade_sum_to(x: np.ndarray, shape: Sequence[int]) -> np.ndarray:
    """``at::sum_to`` (the adjoint of broadcasting): one sum over the leading dims
    and the broadcast size-1 dims together, kept, then viewed as ``shape``.

    >>> cascade_sum_to(np.ones((4, 2, 3), np.float32), (2, 1)).tolist()
    [[12.0], [12.0]]
    """
    x = np.asarray(x)
    shape = tuple(shape)
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    dims = list(range(lead)) + [i + lead for i, n in enumerate(shape)
                                if n == 1 and x.shape[i + lead] != 1]
    if dims:
        x = cascade_sum(x, tuple(dims), keepdim=True)
    return x.reshape(shape)
