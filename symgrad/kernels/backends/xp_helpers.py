"""The kernel helpers again, written against the Array API standard (``xp``).

Each has the name and the meaning of its NumPy twin (:mod:`symgrad.ops.numerics`,
:mod:`symgrad.kernels.known`), so the printer calls the same names for every
backend; a kernel for dask, JAX or CuPy pastes these (their ``xp`` is the
kernel's own ``import ... as xp``). Here, ``xp`` is NumPy 2, itself an Array
API namespace, which is what the examples run on.

Where engines differ, the helper asks the array what it can do: JAX arrays
are immutable and update through ``x.at[key].add(v)``; NumPy and CuPy
arrays are copied and updated in place; an engine with neither (dask) gets
the dense form of a scalar update (``x + counts * v``, the counts a NumPy
constant), an assignment through its own ``__setitem__`` where it has one,
else a ``bincount`` of the updates (:func:`_scatter_dense`). The matrix
functions use ``xp.linalg``; on dask, which lacks some and runs others on
one 2-D chunk, each block of whole matrices goes through NumPy's function
(:func:`_per_matrix`: the last two axes rechunked into one chunk).

>>> _index_put(xp.zeros(3), ([0, 0],), 1.0, "add.at").tolist()
[2.0, 0.0, 0.0]
>>> softmax(xp.asarray([[1000., 1000.]]), 1).tolist()
[[0.5, 0.5]]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy as xp

Array = Any  # an array of the kernel's engine (the annotations name it as text)


def sigmoid(x: "Array") -> "Array":
    """``1 / (1 + exp(-x))`` without overflow."""
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


def step(x: "Array", h0: float = 0.0) -> "Array":
    """1 where ``x > 0``, ``h0`` where ``x == 0``, else 0 (a float array)."""
    if not xp.isdtype(x.dtype, "real floating"):
        x = xp.astype(x, xp.float64)
    zero = xp.zeros_like(x)
    return xp.where(x > 0, zero + 1, xp.where(x == 0, zero + h0, zero))


def _axes(dim: "int | tuple[int, ...] | None") -> tuple[int, ...] | None:
    """``dim`` as an ``axis`` argument: ``None`` (every axis) or a tuple of ints."""
    if dim is None or type(dim) is tuple:
        return dim
    if isinstance(dim, int):
        return (dim,)
    return tuple(int(d) for d in dim)


def _all(x: "Array", axis: tuple[int, ...] | None) -> tuple[int, ...]:
    return tuple(range(x.ndim)) if axis is None else axis


def _kept_max(x: "Array", axis: tuple[int, ...] | None) -> "Array":
    """The max over ``axis`` kept as size-1 axes; zeros for an empty ``x``."""
    if math.prod(x.shape) == 0:
        return xp.zeros_like(xp.sum(x, axis=axis, keepdims=True))
    return xp.max(x, axis=axis, keepdims=True)


def shift_max(x: "Array", dim: "int | tuple[int, ...] | None") -> "Array":
    """The max over ``dim`` (kept), 0 where it is not finite."""
    m = _kept_max(x, _axes(dim))
    return xp.where(xp.isfinite(m), m, xp.zeros_like(m))


def logsumexp(x: "Array", dim: "int | tuple[int, ...] | None", keepdim: bool = False,
              shape: "tuple[int, ...] | None" = None) -> "Array":
    """``log(sum(exp(x), dim))`` shifted by the max."""
    axis = _axes(dim)
    m = shift_max(x, axis)
    out = xp.log(xp.sum(xp.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdim else xp.squeeze(out, axis=_all(out, axis))


def softmax(x: "Array", dim: int | None) -> "Array":
    """``exp(x) / sum(exp(x), dim)`` shifted by the max."""
    axis = _axes(dim)
    e = xp.exp(x - _kept_max(x, axis))
    return e / xp.sum(e, axis=axis, keepdims=True)


def log_softmax(x: "Array", dim: int | None) -> "Array":
    """``x - logsumexp(x, dim)`` shifted by the max."""
    axis = _axes(dim)
    z = x - _kept_max(x, axis)
    return z - xp.log(xp.sum(xp.exp(z), axis=axis, keepdims=True))


def _sum_to(x: "Array", shape: tuple[int, ...]) -> "Array":
    """Sum ``x`` down to ``shape`` (the adjoint of broadcasting to it)."""
    x = xp.asarray(x)
    lead = x.ndim - len(shape)
    if lead:
        x = xp.sum(x, axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and x.shape[i] != 1)
    return xp.sum(x, axis=axes, keepdims=True) if axes else x


def _diag_of(v: "Array") -> "Array":
    """``diag(v)`` of shape ``v.shape + v.shape`` (an identity times ``v``)."""
    s = tuple(v.shape)
    n = math.prod(s)
    flat = xp.reshape(v, (n,))
    return xp.reshape(flat[:, None] * xp.eye(n, dtype=v.dtype), s + s)


def _full_index(index: "np.ndarray", shape: tuple[int, ...], dim: int) -> tuple:
    """The key (NumPy index arrays: constants) that picks ``index`` along ``dim``."""
    index = np.asarray(index)
    extra = len(shape) - index.ndim
    idx = np.broadcast_to(index, tuple(shape[:extra]) + index.shape)
    grids = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
    grids[dim] = idx
    return tuple(grids)


def _take(x: "Array", key: tuple) -> "Array":
    """``x[key]`` for a key of several index arrays (dask spells it ``x.vindex``)."""
    if hasattr(x, "vindex"):
        return x.vindex[key]
    return x[key]


def _counts(shape: tuple[int, ...], key: "tuple") -> "Array":
    """How many times ``key`` names each element of ``shape`` (a NumPy array)."""
    counts = np.zeros(shape)
    np.add.at(counts, key, 1.0)
    return counts


def _index_put(x: "Array", key: "tuple", v: "Array | float", mode: str) -> "Array":
    """A copy of ``x`` with ``v`` set (``"set"``) or added (``"add"``, ``"add.at"``) at ``key``."""
    x = xp.asarray(x)
    if isinstance(v, float) and not xp.isdtype(x.dtype, "real floating"):
        x = xp.astype(x, xp.float64)  # NumPy's result type of ints and a float
    elif hasattr(v, "dtype") and v.dtype != x.dtype:
        x = xp.astype(x, xp.result_type(x.dtype, v.dtype))
    if isinstance(v, (int, float)):
        v = xp.asarray(v, dtype=x.dtype)
    if hasattr(x, "at"):  # JAX: functional updates; repeated indices add up
        return x.at[key].set(v) if mode == "set" else x.at[key].add(v)
    if hasattr(x, "vindex") or not hasattr(x, "__setitem__"):  # lazy (dask): no add.at
        if mode != "set" and getattr(v, "ndim", 1) == 0:
            return x + xp.asarray(_counts(tuple(x.shape), key), dtype=x.dtype) * v
        if mode != "add.at" and hasattr(x, "copy"):
            try:  # dask assigns through slices, one index array or a mask
                out = x.copy()
                out[key] = v if mode == "set" else out[key] + v
                return out
            except (NotImplementedError, IndexError, ValueError, TypeError):
                pass
        return _scatter_dense(x, key, v, mode)
    out = xp.asarray(x, copy=True)
    if mode == "set":
        out[key] = v
    elif mode == "add":
        out[key] = out[key] + v
    else:
        xp.add.at(out, key, v)
    return out


def _scatter_dense(x: "Array", key: "tuple", v: "Array", mode: str) -> "Array":
    """dask's index_put: the updates summed per element by ``bincount`` (the element
    each one goes to is a NumPy constant: ``arange(x.size).reshape(x.shape)[key]``),
    added to ``x`` or, for ``"set"``, replacing it where written (the last write wins,
    as in NumPy). ``v`` is gathered into one chunk."""
    import dask.array as da
    shape = tuple(x.shape)
    n = math.prod(shape)
    idx = np.arange(n).reshape(shape)[key]
    v = xp.broadcast_to(xp.astype(xp.asarray(v), x.dtype), idx.shape)
    flat, idx = xp.reshape(v.rechunk(-1), (-1,)), idx.reshape(-1)
    if mode == "set":
        last = idx.size - 1 - np.unique(idx[::-1], return_index=True)[1]
        flat, idx = flat[last], idx[last]
    upd = da.bincount(da.from_array(idx, chunks=flat.chunks), weights=flat, minlength=n)
    upd = xp.reshape(xp.astype(upd, x.dtype), shape)
    if mode != "set":
        return x + upd
    hit = np.zeros(n, dtype=bool)
    hit[idx] = True
    return xp.where(xp.asarray(hit.reshape(shape)), upd, x)


def _index_add_(out: "Array", key: "tuple", v: "Array | float", mode: str) -> "Array":
    """:func:`_index_put` (the copy is cheap next to the engine's own work)."""
    return _index_put(out, key, v, mode)


def _scatter_add(src: "Array", dim: int, index: "np.ndarray",
                 shape: tuple[int, ...]) -> "Array":
    """Zeros of ``shape`` with ``src`` added at ``index`` along ``dim``."""
    zeros = xp.zeros(shape, dtype=src.dtype)
    return _index_put(zeros, _full_index(index, tuple(src.shape), dim), src, "add.at")


# ------------------------------------------------------------------ matrix functions
# dask has no det/slogdet, and its inv/solve/svd take one 2-D matrix in one chunk:
# on a dask array these helpers rechunk the last two axes into one chunk (a documented
# single-chunk fallback: each matrix must fit in a worker's memory) and run NumPy's own
# function on every block of whole matrices (``map_blocks``). JAX and CuPy use their
# ``xp.linalg``.
def _per_matrix(x: "Array", fn: "Callable[..., Any]", tail: tuple[int, ...]) -> "Array":
    """dask: ``fn`` (NumPy) on each block of whole matrices of ``x``; its result's last
    axes are ``tail`` (replacing the two matrix axes)."""
    # dask's linalg has no det/slogdet and runs inv/svd on one 2-D matrix: a single-chunk
    # fallback, the last two axes rechunked into one chunk (each matrix must fit in memory)
    nd = x.ndim
    x = x.rechunk({nd - 2: -1, nd - 1: -1})
    chunks = tuple(x.chunks[:nd - 2]) + tuple((n,) for n in tail)
    drop = tuple(range(nd - 2 + len(tail), nd))
    if drop:
        return x.map_blocks(fn, chunks=chunks, drop_axis=drop, dtype=x.dtype)
    return x.map_blocks(fn, chunks=chunks, dtype=x.dtype)


def _lazy(x: "Array") -> bool:
    """A dask array (its matrix functions go through :func:`_per_matrix`)."""
    return hasattr(x, "map_blocks") and hasattr(x, "rechunk")


def _det(x: "Array") -> "Array":
    """``det(x)`` of a (batch of) square matrices."""
    x = xp.asarray(x)  # (a NumPy constant: the engine's array)
    if _lazy(x):
        return _per_matrix(x, np.linalg.det, ())
    return xp.linalg.det(x)


def _logabsdet(x: "Array") -> "Array":
    """``log|det(x)|`` (``slogdet``'s second part)."""
    x = xp.asarray(x)  # (a NumPy constant: the engine's array)
    if _lazy(x):
        return _per_matrix(x, lambda b: np.linalg.slogdet(b)[1], ())
    return xp.linalg.slogdet(x)[1]


def _logdet(x: "Array") -> "Array":
    """``log(det(x))``, ``nan`` where the determinant is negative (PyTorch's ``logdet``)."""
    x = xp.asarray(x)  # (a NumPy constant: the engine's array)
    if _lazy(x):
        return _per_matrix(x, _logdet_np, ())
    sign, logabs = xp.linalg.slogdet(x)
    return xp.where(sign < 0, xp.full_like(logabs, xp.nan), logabs)


def _logdet_np(b: "np.ndarray") -> "np.ndarray":
    """:func:`_logdet` of a block of NumPy matrices (dask's fallback)."""
    sign, logabs = np.linalg.slogdet(b)
    return np.where(sign < 0, np.nan, logabs)


def _inv(x: "Array") -> "Array":
    """The inverse of a (batch of) square matrices."""
    x = xp.asarray(x)  # (a NumPy constant: the engine's array)
    if _lazy(x):
        return _per_matrix(x, np.linalg.inv, tuple(x.shape[-2:]))
    return xp.linalg.inv(x)


def _solve(a: "Array", b: "Array") -> "Array":
    """``x`` with ``a @ x = b``; ``b`` is a (batch of) vector(s) when it is 1-D or has
    ``a``'s batch shape and one axis less (PyTorch's rule). dask: ``inv(a) @ b``."""
    a, b = xp.asarray(a), xp.asarray(b)
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1]))
    if vector:
        b = b[..., None]
    # dask's solve takes one 2-D matrix: there ``inv(a) @ b`` (see _per_matrix)
    x = _inv(a) @ b if _lazy(a) or _lazy(b) else xp.linalg.solve(a, b)
    return x[..., 0] if vector else x


def _svdvals(x: "Array") -> "Array":
    """The singular values of a (batch of) matrices, largest first."""
    x = xp.asarray(x)  # (a NumPy constant: the engine's array)
    if _lazy(x):
        return _per_matrix(x, lambda b: np.linalg.svd(b, compute_uv=False),
                           (min(x.shape[-2:]),))
    return xp.linalg.svdvals(x)


def _svd_project(x: "Array", g: "Array", mode: str = "vjp") -> "Array":
    """With ``x = U diag(s) Vh``: ``U diag(g) Vh`` (``"vjp"``) or ``diag(U^T g V)``
    (``"jvp"``); leading axes of ``g`` broadcast."""
    x = xp.asarray(x)
    m, n = x.shape[-2:]
    k = min(m, n)
    if _lazy(x):
        u = _per_matrix(x, lambda b: np.linalg.svd(b, full_matrices=False)[0], (m, k))
        vh = _per_matrix(x, lambda b: np.linalg.svd(b, full_matrices=False)[2], (k, n))
    else:
        u, _, vh = xp.linalg.svd(x, full_matrices=False)
    if mode == "vjp":
        return u @ (g[..., None] * vh)
    return xp.sum(u * (g @ xp.matrix_transpose(vh)), axis=-2)


def _diagonal(x: "Array", offset: int, dim1: int, dim2: int) -> "Array":
    """NumPy's ``diagonal(x, offset, dim1, dim2)``: the diagonal as the last axis."""
    x = xp.asarray(x)
    nd = x.ndim
    d1, d2 = dim1 % nd, dim2 % nd
    rest = tuple(i for i in range(nd) if i not in (d1, d2))
    if rest + (d1, d2) != tuple(range(nd)):
        x = xp.permute_dims(x, rest + (d1, d2))
    return xp.linalg.diagonal(x, offset=offset)


def _trace(x: "Array") -> "Array":
    """The sum of the main diagonal over the last two axes (rectangular too)."""
    return xp.sum(_diagonal(x, 0, -2, -1), axis=-1)


def _diag_embed(v: "Array", offset: int, dim1: int, dim2: int, rows: int,
                cols: int) -> "Array":
    """``v``'s last axis on the ``offset`` diagonal of ``rows x cols`` zero matrices
    at axes ``dim1``, ``dim2``: ``v`` padded to ``rows`` times a 0/1 diagonal mask."""
    v = xp.asarray(v)
    lead, k = tuple(v.shape[:-1]), v.shape[-1]
    r0 = max(-offset, 0)
    parts = [xp.zeros(lead + (r0,), dtype=v.dtype), v,
             xp.zeros(lead + (rows - r0 - k,), dtype=v.dtype)]
    col = xp.concat([p for p in parts if p.shape[-1]], axis=-1)  # row r holds v[r - r0]
    mask = xp.arange(cols)[None, :] - xp.arange(rows)[:, None] == offset
    out = col[..., :, None] * xp.astype(mask, v.dtype)
    nd = out.ndim
    d1, d2 = dim1 % nd, dim2 % nd
    perm, src = [0] * nd, iter(range(nd - 2))
    for i in range(nd):  # output axis i takes rows (d1), cols (d2) or the next batch axis
        perm[i] = nd - 2 if i == d1 else nd - 1 if i == d2 else next(src)
    return out if perm == list(range(nd)) else xp.permute_dims(out, tuple(perm))


def _outer(a: "Array", b: "Array") -> "Array":
    """``a[..., None, ...] * b``: every product of an element of ``a`` and one of ``b``
    (shape ``a.shape + b.shape``)."""
    a, b = xp.asarray(a), xp.asarray(b)
    return a[(...,) + (None,) * b.ndim] * b


def _kron(a: "Array", b: "Array") -> "Array":
    """The Kronecker product of two arrays of one rank: ``a`` and ``b`` interleaved to
    ``(a1, b1, a2, b2, ...)``, multiplied, then each pair of axes merged."""
    a, b = xp.asarray(a), xp.asarray(b)
    k = a.ndim
    ka = tuple(n for i in range(k) for n in (a.shape[i], 1))
    kb = tuple(n for i in range(k) for n in (1, b.shape[i]))
    prod = xp.reshape(a, ka) * xp.reshape(b, kb)
    if _lazy(prod):  # dask merges a pair of axes when the second is one chunk
        prod = prod.rechunk({2 * i + 1: -1 for i in range(k)})
    return xp.reshape(prod, tuple(a.shape[i] * b.shape[i] for i in range(k)))


def one_hot_np(labels: "Array", classes: int, dim: int) -> "Array":
    """1.0 where ``arange(classes)`` (along the new axis ``dim``) equals the label."""
    t = xp.expand_dims(xp.asarray(labels), axis=dim)
    k = xp.reshape(xp.arange(classes), (classes,) + (1,) * (t.ndim - 1 - dim))
    return xp.astype(t == k, xp.float64)


def _prod_others(x: "Array", axes: tuple[int, ...]) -> "Array":
    """For each element, the product of the other elements along ``axes`` (exact with
    zeros: no division by one)."""
    zero = x == 0
    nz = xp.sum(xp.astype(zero, xp.int64), axis=axes, keepdims=True)
    one, none = xp.ones_like(x), xp.zeros_like(x)
    safe = xp.where(zero, one, x)
    p = xp.prod(safe, axis=axes, keepdims=True) * one
    return xp.where(zero, xp.where(nz == 1, p, none), xp.where(nz == 0, p / safe, none))


def _prod_others_jvp(x: "Array", t: "Array", axes: tuple[int, ...]) -> "Array":
    """``out[k] = sum_{i != k} t[i] * prod_{j not in {i, k}} x[j]`` along ``axes``
    (leave-one-out products over an extra axis: O(n**2) per group)."""
    nd = x.ndim
    rest = tuple(i for i in range(nd) if i not in axes)
    perm = rest + tuple(axes)
    lead = tuple(x.shape[i] for i in rest)
    n = math.prod(x.shape[i] for i in axes)
    xf = xp.reshape(xp.permute_dims(x, perm), lead + (n,))
    tf = xp.reshape(xp.permute_dims(xp.broadcast_to(t, tuple(x.shape)), perm), lead + (n,))
    eye = xp.eye(n, dtype=xp.bool)
    z = xp.where(eye, xp.ones_like(xf[..., None, :]), xf[..., None, :])  # row k: x[k] -> 1
    tm = xp.where(eye, xp.zeros_like(tf[..., None, :]), tf[..., None, :])  # t[k] -> 0
    out = xp.sum(tm * _prod_others(z, (z.ndim - 1,)), axis=-1)
    out = xp.reshape(out, lead + tuple(x.shape[i] for i in axes))
    back = tuple(perm.index(i) for i in range(nd))
    return out if back == tuple(range(nd)) else xp.permute_dims(out, back)


#: the helpers, by the name the printers call
HELPERS: dict[str, Callable[..., Any]] = {f.__name__: f for f in (
    sigmoid, step, shift_max, logsumexp, softmax, log_softmax, _sum_to, _diag_of,
    _full_index, _take, _index_put, _index_add_, _scatter_add, _det, _logabsdet, _logdet,
    _inv, _solve, _svdvals, _svd_project, _diagonal, _trace, _diag_embed, _outer, _kron,
    one_hot_np, _prod_others, _prod_others_jvp)}
