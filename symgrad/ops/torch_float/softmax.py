"""PyTorch 2.13's float32 CPU ``softmax`` and ``log_softmax``, forward and backward,
bit for bit: ``aten/src/ATen/native/cpu/SoftMaxKernel.cpp`` on ``Vectorized<float>``
(AVX512: 16 floats a vector), step by step in NumPy.

- The last dim (``_vec_softmax_lastdim``, ``_vec_log_softmax_lastdim``): each row's
  max and sum are ``vec::reduce_all``: 16 lanes folded vector by vector (the tail
  blended into the first lanes), then a shuffle tree (lane ``i`` with ``i^8``, ``i^4``,
  ``i^2``, ``i^1``); a row shorter than 16 is folded left to right. ``exp`` and
  ``log`` are SLEEF's (:mod:`.sleef`, :mod:`.sleef_log`); softmax multiplies by
  ``1 / sum``, log_softmax is ``x - max - log(sum)``.
- Another dim (``_vec_softmax``, ``_vec_logsoftmax``): a sequential fold over the dim
  for each inner position, 16 positions at a time through the vector code and the
  rest through the scalar code (the C library's ``expf``); softmax divides by the sum.
  Which positions are scalar follows the kernels' blocking; for softmax also its
  split of the positions across PyTorch's threads (:func:`torch_threads`).
- The backwards (``_vec_host_softmax_backward_lastdim``, ``_vec_softmax_backward``,
  ``_vec_log_softmax_backward``) the same way, with the fused multiply-adds the
  compiler made of ``a + b * c`` and ``a - b * c`` (found by measurement).

Other dtypes take :mod:`symgrad.ops.numerics` (the plain stable formulas).

>>> import numpy as np
>>> x = np.float32([[1.0, 2.0, 3.0]])
>>> softmax(x, 1).tolist()  # PyTorch 2.13 too; NumPy's exp(x - max) / sum: 0.2447284609...
[[0.09003057330846786, 0.2447284758090973, 0.6652409434318542]]
"""

from __future__ import annotations

import numpy as np

from .. import numerics
from . import mkl
from .sleef import expf, fma32
from .sleef_log import logf
from .unary import libm_expf

f32 = np.float32
LANES = 16  # Vectorized<float>::size() on AVX512
_BLOCK = 128 * 1024  # the non-last-dim kernels' block of (dim_size, chunk) floats


def torch_threads() -> int:
    """``torch.get_num_threads()`` as symgrad keeps it (``sg.set_num_threads`` sets it;
    :func:`.mkl.get_num_threads`): softmax over a non-last dim, and its backward over
    the last, depend on it in PyTorch."""
    return mkl.get_num_threads()


_TREE = [np.arange(LANES) ^ k for k in (8, 4, 2, 1)]  # vec_reduce_all's shuffles


# --------------------------------------------------------------- vector pieces
def maximum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``vec::maximum``: ``_mm512_max_ps`` (``a > b ? a : b``) with NaN if either is NaN.

    >>> maximum(np.float32([1, np.nan, 0.0]), np.float32([2, 0, -0.0])).tolist()
    [2.0, nan, -0.0]
    """
    return np.where(np.isnan(a) | np.isnan(b), f32(np.nan), np.where(a > b, a, b))


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a + b


def reduce_all(op, x: np.ndarray) -> np.ndarray:
    """``vec::reduce_all(op, row, n)`` for every row of the 2-d float32 ``x``.

    >>> reduce_all(_add, np.arange(20, dtype=np.float32)[None]).tolist()
    [190.0]
    """
    n = x.shape[1]
    if n < LANES:  # vec_reduce_all's slow path: lane 0 folds the row left to right
        acc = x[:, 0]
        for i in range(1, n):
            acc = op(acc, x[:, i])
        return acc
    full = n - n % LANES
    acc = x[:, :LANES]
    for d in range(LANES, full, LANES):
        acc = op(acc, x[:, d:d + LANES])
    if full < n:  # Vec::set: the op on the first n - full lanes only
        acc = acc.copy()
        acc[:, :n - full] = op(acc[:, :n - full], x[:, full:])
    for perm in _TREE:
        acc = op(acc, acc[:, perm])
    return acc[:, 0]


def _scalar_expf(x: np.ndarray) -> np.ndarray:
    """``std::exp`` of floats, as the kernels' scalar code calls it: the C library's
    ``expf``. glibc's is within 0.502 ulp, so it is the correctly rounded value except
    (maybe) where ``exp(x)`` lies within 0.002 ulp of a midpoint between two floats:
    only those (within 1/64 ulp here, and the specials) are asked of the C library.

    >>> float(_scalar_expf(np.float32([1.0]))[0])
    2.7182817459106445
    """
    x = np.asarray(x, dtype=f32)
    with np.errstate(all="ignore"):
        e64 = np.exp(x.astype(np.float64))
        out = e64.astype(f32)
        lo = np.where(out.astype(np.float64) > e64, np.nextafter(out, f32(-np.inf)), out)
        hi = np.nextafter(lo, f32(np.inf)).astype(np.float64)
        lo64 = lo.astype(np.float64)
        near = np.abs(e64 - (lo64 + hi) / 2) < (hi - lo64) / 64
        ask = near | ~np.isfinite(out) | (out < f32(2.0 ** -126))
    if ask.any():
        flat = x[ask]
        step = 128  # libm_expf calls the C function one element at a time up to 128
        out[ask] = np.concatenate([libm_expf(flat[i:i + step]) for i in range(0, flat.size, step)])
    return out


# --------------------------------------------------------------- blocking
def _softmax_vector_positions(outer: int, inner: int, threads: int) -> np.ndarray:
    """Which of the ``outer * inner`` positions ``_vec_softmax`` runs through the
    vector code. Its ``parallel_for`` has grain size 0: every one of PyTorch's
    ``threads`` takes ``ceil(n / threads)`` consecutive positions, and within a
    thread's range and one inner row, blocks of 16 go through the vector code, the
    rest of the row (or of the range) through the scalar code.

    >>> _softmax_vector_positions(1, 40, 2).nonzero()[0].tolist() == [*range(16), *range(20, 36)]
    True
    """
    n = outer * inner
    p = np.arange(n)
    if n > 1 and threads > 1:
        size = -(-n // threads)
        begin = p - p % size
        end = np.minimum(begin + size, n)
    else:
        begin, end = np.zeros(n, np.int64), np.full(n, n)
    row = p - p % inner
    s = np.maximum(begin, row)
    t = np.minimum(end, row + inner)
    return (p - s) < (t - s) // LANES * LANES


def _chunked_vector_positions(inner: int, dim_size: int) -> np.ndarray:
    """Which inner positions the blocked kernels (``_vec_logsoftmax`` and the
    non-last-dim backwards) run through the vector code: each chunk of
    ``CHUNK_SIZE`` positions but its last ``size % 16``."""
    chunk = max(_BLOCK // dim_size // 4, LANES) // LANES * LANES
    j = np.arange(inner)
    start = j - j % chunk
    size = np.minimum(chunk, inner - start)
    return (j - start) < size - size % LANES


# --------------------------------------------------------------- forwards
def _lastdim(x: np.ndarray, log: bool) -> np.ndarray:
    rows = x.reshape(-1, x.shape[-1])
    with np.errstate(all="ignore"):
        m = reduce_all(maximum, rows)[:, None]
        z = rows - m
        e = expf(z)
        s = reduce_all(_add, e)[:, None]
        out = z - logf(s) if log else e * (f32(1) / s)
    return out.reshape(x.shape)


def _fold_max_vector(x: np.ndarray) -> np.ndarray:
    """``_vec_softmax``'s vector max over axis 0: ``vec::maximum`` from the first row."""
    m = x[0]
    for row in x[1:]:
        m = maximum(m, row)
    return m


def _fold_max_scalar(x: np.ndarray) -> np.ndarray:
    """``std::max`` over axis 0 from the first row: ``m < v ? v : m`` (a NaN in the
    first row sticks, later NaNs are skipped)."""
    m = x[0]
    for row in x[1:]:
        m = np.where(m < row, row, m)
    return m


def _fold_max_blend(x: np.ndarray) -> np.ndarray:
    """``_vec_logsoftmax``'s max over axis 0 from ``-inf``: ``v > m ? v : m`` (NaNs skipped)."""
    m = np.full(x.shape[1:], -np.inf, f32)
    for row in x:
        m = np.where(row > m, row, m)
    return m


def _seq_sum(x: np.ndarray) -> np.ndarray:
    """``0 + x[0] + x[1] + ...`` over axis 0, in float32, left to right."""
    return np.add.accumulate(x, axis=0)[-1] if len(x) else np.zeros(x.shape[1:], f32)


def _columns(x: np.ndarray, dim: int) -> tuple[np.ndarray, tuple[int, int, int]]:
    """``x`` as ``(dim_size, outer * inner)``: column ``p`` is position ``p`` of the kernels."""
    outer = int(np.prod(x.shape[:dim], dtype=np.int64))
    inner = int(np.prod(x.shape[dim + 1:], dtype=np.int64))
    cols = x.reshape(outer, x.shape[dim], inner).transpose(1, 0, 2).reshape(x.shape[dim], -1)
    return cols, (outer, x.shape[dim], inner)


def _uncolumns(cols: np.ndarray, dims: tuple[int, int, int], shape: tuple[int, ...]) -> np.ndarray:
    outer, dim_size, inner = dims
    return np.ascontiguousarray(cols.reshape(dim_size, outer, inner).transpose(1, 0, 2)).reshape(shape)


def _softmax_inner(x: np.ndarray, dim: int, threads: int) -> np.ndarray:
    cols, dims = _columns(x, dim)
    vec = _softmax_vector_positions(dims[0], dims[2], threads)
    out = np.empty_like(cols)
    with np.errstate(all="ignore"):
        for sel, fold, exp in ((vec, _fold_max_vector, expf),
                               (~vec, _fold_max_scalar, _scalar_expf)):
            if sel.any():
                c = cols[:, sel]
                e = exp(c - fold(c))
                out[:, sel] = e / _seq_sum(e)
    return _uncolumns(out, dims, x.shape)


def _log_softmax_inner(x: np.ndarray, dim: int) -> np.ndarray:
    cols, dims = _columns(x, dim)
    vec = np.tile(_chunked_vector_positions(dims[2], dims[1]), dims[0])
    with np.errstate(all="ignore"):
        m = _fold_max_blend(cols)
        z = cols - m
        e = np.empty_like(cols)
        e[:, vec] = expf(z[:, vec])
        e[:, ~vec] = _scalar_expf(z[:, ~vec])
        out = z - logf(_seq_sum(e))
    return _uncolumns(out, dims, x.shape)


def _prepare(x: np.ndarray, dim: int | None) -> tuple[np.ndarray, int] | None:
    """``x`` contiguous (a 0-d ``x`` as one element) and ``dim`` wrapped; ``None``
    when the float32 kernels do not apply (another dtype)."""
    x = np.asarray(x)
    if x.dtype != f32 or (dim is None and x.ndim):
        return None
    x = np.ascontiguousarray(x.reshape(1) if x.ndim == 0 else x)
    return x, 0 if dim is None else int(dim) % x.ndim


def softmax(x: np.ndarray, dim: int, threads: int | None = None) -> np.ndarray:
    """``torch.softmax(x, dim)`` on the CPU, PyTorch's float32 bits (other dtypes:
    :func:`symgrad.ops.numerics.softmax`). ``threads`` (default :func:`torch_threads`)
    matters only for a non-last ``dim``.

    >>> x = np.float32([[0.5, -1.25], [3.0, 2.0]])
    >>> softmax(x, 0).tolist()  # the scalar code: C expf, then e / sum (PyTorch 2.13 too)
    [[0.07585817575454712, 0.037326883524656296], [0.9241418242454529, 0.9626730680465698]]
    """
    prep = _prepare(x, dim)
    if prep is None:
        return numerics.softmax(x, dim)
    xc, d = prep
    if xc.size == 0:
        return np.empty(np.shape(x), f32)
    if d == xc.ndim - 1:
        out = _lastdim(xc, log=False)
    else:
        out = _softmax_inner(xc, d, torch_threads() if threads is None else threads)
    return out.reshape(np.shape(x))


def log_softmax(x: np.ndarray, dim: int) -> np.ndarray:
    """``torch.log_softmax(x, dim)`` on the CPU, PyTorch's float32 bits (other
    dtypes: :func:`symgrad.ops.numerics.log_softmax`).

    >>> log_softmax(np.float32([1.0, 2.0, 3.0]), 0).tolist()
    [-2.4076058864593506, -1.4076058864593506, -0.40760594606399536]
    """
    prep = _prepare(x, dim)
    if prep is None:
        return numerics.log_softmax(x, dim)
    xc, d = prep
    if xc.size == 0:
        return np.empty(np.shape(x), f32)
    out = _lastdim(xc, log=True) if d == xc.ndim - 1 else _log_softmax_inner(xc, d)
    return out.reshape(np.shape(x))


# --------------------------------------------------------------- backwards
def _prepare_pair(grad: np.ndarray, output: np.ndarray, dim: int | None
                  ) -> tuple[np.ndarray, np.ndarray, int] | None:
    """``grad`` and ``output`` contiguous, of one shape, and ``dim`` wrapped, as
    :func:`_prepare`; ``None`` unless both are float32."""
    grad, output = np.asarray(grad), np.asarray(output)
    if grad.dtype != f32 or output.dtype != f32 or (dim is None and output.ndim):
        return None
    shape = np.broadcast_shapes(grad.shape, output.shape)
    grad = np.ascontiguousarray(np.broadcast_to(grad, shape))
    output = np.ascontiguousarray(np.broadcast_to(output, shape))
    if grad.ndim == 0:
        grad, output = grad.reshape(1), output.reshape(1)
    return grad, output, 0 if dim is None else int(dim) % grad.ndim


def _dot_rows(g: np.ndarray, y: np.ndarray, fused_tail: bool) -> np.ndarray:
    """``vec::map2_reduce_all(x * y, x + y)`` over each row. Compiled into PyTorch
    twice: where ``parallel_for`` runs the rows on one thread (one row, or one
    thread) the tail's ``acc + g * y`` is a fused multiply-add, not in the copy the
    OpenMP threads run (measured on torch 2.13's AVX512 build)."""
    n = g.shape[1]
    if n < LANES or not fused_tail:
        return reduce_all(_add, g * y)
    full = n - n % LANES
    acc = g[:, :LANES] * y[:, :LANES]
    for d in range(LANES, full, LANES):
        acc = acc + g[:, d:d + LANES] * y[:, d:d + LANES]
    if full < n:
        acc = acc.copy()
        acc[:, :n - full] = fma32(g[:, full:], y[:, full:], acc[:, :n - full])
    for perm in _TREE:
        acc = acc + acc[:, perm]
    return acc[:, 0]


def softmax_backward(grad: np.ndarray, output: np.ndarray, dim: int,
                     threads: int | None = None) -> np.ndarray:
    """``torch._softmax_backward_data(grad, output, dim)``: ``output * (grad - sum(grad *
    output, dim))`` as PyTorch's float32 kernels round it; other dtypes in NumPy.
    ``threads`` (default :func:`torch_threads`) matters for the last dim: one thread or
    one row runs a copy of the kernel compiled with one more fused multiply-add.

    >>> y = softmax(np.float32([[1.0, 2.0, 3.0]]), 1)
    >>> softmax_backward(np.float32([[1.0, 0.0, 0.0]]), y, 1).tolist()
    [[0.08192507177591324, -0.022033045068383217, -0.05989202484488487]]
    """
    prep = _prepare_pair(grad, output, dim)
    if prep is None:
        return output * (grad - np.sum(grad * output, axis=dim, keepdims=True))
    g, y, d = prep
    if g.size == 0:
        return np.empty(g.shape, f32)
    with np.errstate(all="ignore"):
        if d == g.ndim - 1:
            g2, y2 = g.reshape(-1, g.shape[-1]), y.reshape(-1, g.shape[-1])
            threads = torch_threads() if threads is None else threads
            s = _dot_rows(g2, y2, fused_tail=len(g2) == 1 or threads == 1)[:, None]
            out = (g2 - s) * y2
        else:
            gc, dims = _columns(g, d)
            yc, _ = _columns(y, d)
            total = np.zeros(gc.shape[1:], f32)
            for gd, yd in zip(gc, yc):  # sum += grad * output: a fused multiply-add
                total = fma32(gd, yd, total)
            out = _uncolumns(yc * (gc - total), dims, g.shape)
    return out.reshape(g.shape)


def log_softmax_backward(grad: np.ndarray, output: np.ndarray, dim: int) -> np.ndarray:
    """``torch._log_softmax_backward_data(grad, output, dim)``: ``grad - exp(output) *
    sum(grad, dim)`` as PyTorch's float32 kernels round it; other dtypes in NumPy.

    >>> y = log_softmax(np.float32([[1.0, 2.0, 3.0]]), 1)
    >>> log_softmax_backward(np.float32([[1.0, 0.0, 0.0]]), y, 1).tolist()
    [[0.9099694490432739, -0.24472849071025848, -0.665241003036499]]
    """
    prep = _prepare_pair(grad, output, dim)
    if prep is None:
        return grad - np.exp(output) * np.sum(grad, axis=dim, keepdims=True)
    g, y, d = prep
    if g.size == 0:
        return np.empty(g.shape, f32)
    with np.errstate(all="ignore"):
        if d == g.ndim - 1:
            g2, y2 = g.reshape(-1, g.shape[-1]), y.reshape(-1, g.shape[-1])
            out = fma32(-expf(y2), reduce_all(_add, g2)[:, None], g2)  # fused: vfnmadd
        else:
            gc, dims = _columns(g, d)
            yc, _ = _columns(y, d)
            vec = np.tile(_chunked_vector_positions(dims[2], dims[1]), dims[0])
            e = np.empty_like(yc)
            e[:, vec] = expf(yc[:, vec])
            e[:, ~vec] = _scalar_expf(yc[:, ~vec])
            out = _uncolumns(fma32(-e, _seq_sum(gc), gc), dims, g.shape)
    return out.reshape(g.shape)


__all__ = ["LANES", "log_softmax", "log_softmax_backward", "maximum",
           "reduce_all", "softmax", "softmax_backward", "torch_threads"]
