"""PyTorch 2.13's float32 ``matmul``/``mm``/``mv``/``dot``/``addmm`` on the CPU,
bit for bit, when MKL is present (:mod:`.mkl`).

The bits of a float32 product depend on the order of its additions, so this
follows PyTorch's dispatch (``aten/src/ATen/native/LinearAlgebra.cpp``,
``_matmul_impl``): 1-D with 1-D is ``dot`` (``sdot``), 2-D with 1-D is ``mv``
(``sgemv``), 1-D with 2-D is a one-row ``mm``, 2-D with 2-D is ``mm``
(``sgemm``, a transposed operand passed as such); a batched operand with a
matrix or vector is folded into one ``mm``/``mv``; anything else is broadcast
and run as ``bmm``, whose small products (contraction x rows x columns < 400)
PyTorch computes with a plain loop, a running float32 sum of rounded products
(``baddbmm_cpu_kernel``), and larger ones matrix by matrix with ``sgemm``.
Other dtypes, or no MKL: NumPy's ``matmul``.

>>> import numpy as np
>>> a = np.ones((2, 3), np.float32)
>>> matmul(a, np.ones(3, np.float32)).tolist()
[3.0, 3.0]
"""

from __future__ import annotations

import numpy as np

from . import mkl

_f32 = np.float32
_NAIVE_BMM = 400  # bmm_out_or_baddbmm_: contraction_size * res_rows * res_cols below this


def exact(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether PyTorch's own float32 arithmetic applies (both float32, MKL loaded)."""
    return x.dtype == _f32 and y.dtype == _f32 and mkl.available()


def matmul(x: np.ndarray, y: np.ndarray, other_requires_grad: bool = False) -> np.ndarray:
    """``torch.matmul`` (shapes already checked by the caller). PyTorch folds a
    batched operand into one ``mm`` also when the smaller operand requires grad
    (``other_requires_grad``); the forward of the tape passes it."""
    x, y = np.asarray(x), np.asarray(y)
    if not exact(x, y):
        return np.matmul(x, y)
    d1, d2 = x.ndim, y.ndim
    if d1 == 1 and d2 == 1:
        return mkl.dot(x, y)
    if d1 == 2 and d2 == 1:
        return mkl.gemv(x, y)
    if d1 == 1 and d2 == 2:
        return mkl.gemm(x[None, :], y)[0]
    if d1 == 2 and d2 == 2:
        return mkl.gemm(x, y)
    if _should_fold(x, y, other_requires_grad):
        return _folded(x, y)
    return _bmm(x, y)


def _should_fold(x: np.ndarray, y: np.ndarray, other_requires_grad: bool) -> bool:
    """PyTorch's ``should_fold``: a batched operand times a matrix or vector is one
    ``mm``/``mv`` when the batch folds into rows without a copy (or the smaller
    operand requires grad)."""
    t1 = x if x.ndim >= y.ndim else np.swapaxes(y, -1, -2)
    small = y.ndim if x.ndim >= y.ndim else x.ndim
    if not (t1.ndim >= 3 and small <= 2):
        return False
    if other_requires_grad:
        return True
    if x.ndim == 2:
        return False
    if t1.size == 0:
        return True
    st = [s // t1.itemsize for s in t1.strides]
    return all(st[i] == st[i + 1] * t1.shape[i + 1] for i in range(t1.ndim - 2))


def _folded(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    transpose = y.ndim > x.ndim
    t1 = np.swapaxes(y, -1, -2) if transpose else x
    t2 = (x.T if x.ndim == 2 else x) if transpose else y
    rows = t1.reshape(-1, t1.shape[-1])
    if t2.ndim == 2:
        out = mkl.gemm(rows, t2).reshape(*t1.shape[:-1], t2.shape[1])
        return np.ascontiguousarray(np.swapaxes(out, -1, -2)) if transpose else out
    return mkl.gemv(rows, t2).reshape(t1.shape[:-1])


def _bmm(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Broadcast batched product, as PyTorch's ``bmm`` after expanding."""
    a = x[None, :] if x.ndim == 1 else x
    b = y[:, None] if y.ndim == 1 else y
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    n, k, m = a.shape[-2], a.shape[-1], b.shape[-1]
    a3 = np.broadcast_to(a, batch + (n, k)).reshape(-1, n, k)
    b3 = np.broadcast_to(b, batch + (k, m)).reshape(-1, k, m)
    if k * n * m < _NAIVE_BMM:
        out = np.zeros((a3.shape[0], n, m), _f32)
        for j in range(k):  # acc += a[.., i, j] * b[.., j, l], in float32, no FMA
            out += a3[:, :, j, None] * b3[:, None, j, :]
    elif _items_ok(a3) and _items_ok(b3):
        out = mkl.gemm_batch(a3, b3)
    else:  # matrix by matrix (addmm_impl_cpu_)
        out = np.stack([mkl.gemm(p, q) for p, q in zip(a3, b3)])
    out = out.reshape(batch + (n, m))
    if x.ndim == 1:
        out = out[..., 0, :]
    if y.ndim == 1:
        out = out[..., 0]
    return out


def _items_ok(t: np.ndarray) -> bool:
    """``batch_items_contiguous_or_transposed``: each matrix of the batch is
    row- or column-contiguous (strides in elements)."""
    _, rows, cols = t.shape
    s1, s2 = (st // t.itemsize for st in t.strides[1:])
    return (s2 == 1 and (rows == 1 or s1 >= cols)) or (s1 == 1 and (cols == 1 or s2 >= rows))


def addmm(bias: np.ndarray, mat1: np.ndarray, mat2: np.ndarray) -> np.ndarray:
    """``torch.addmm(bias, mat1, mat2)``: ``sgemm`` with ``beta = 1`` onto the
    broadcast bias, as PyTorch's ``addmm_impl_cpu_``."""
    bias = np.asarray(bias)
    if not (exact(mat1, mat2) and bias.dtype == _f32):
        out = np.matmul(mat1, mat2)
        return out + bias.astype(out.dtype, copy=False)
    return mkl.gemm(mat1, mat2, bias)


__all__ = ["addmm", "exact", "matmul"]
