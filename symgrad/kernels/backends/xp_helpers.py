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
constant) or a clear error.

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
        raise NotImplementedError(  # (pasted into kernels: the text stays here)
            f"the {type(x).__module__.split('.')[0]} kernel backend cannot compute an "
            f"index_put ({mode}) of an array; use backend='numpy' for this formula")
    out = xp.asarray(x, copy=True)
    if mode == "set":
        out[key] = v
    elif mode == "add":
        out[key] = out[key] + v
    else:
        xp.add.at(out, key, v)
    return out


def _index_add_(out: "Array", key: "tuple", v: "Array | float", mode: str) -> "Array":
    """:func:`_index_put` (the copy is cheap next to the engine's own work)."""
    return _index_put(out, key, v, mode)


def _scatter_add(src: "Array", dim: int, index: "np.ndarray",
                 shape: tuple[int, ...]) -> "Array":
    """Zeros of ``shape`` with ``src`` added at ``index`` along ``dim``."""
    zeros = xp.zeros(shape, dtype=src.dtype)
    return _index_put(zeros, _full_index(index, tuple(src.shape), dim), src, "add.at")


#: the helpers, by the name the printers call
HELPERS: dict[str, Callable[..., Any]] = {f.__name__: f for f in (
    sigmoid, step, shift_max, logsumexp, softmax, log_softmax, _sum_to, _diag_of,
    _full_index, _take, _index_put, _index_add_, _scatter_add)}
