"""PyTorch's CPU float arithmetic for the optimizer updates: a scalar is cast to the
tensor's dtype, ``add(other, alpha=)`` and ``lerp`` are fused multiply-adds (the
vectorised kernels call ``vec::fmadd``), ``addcmul`` multiplies then adds, and
``addcdiv`` divides then adds.

>>> import numpy as np
>>> a = np.float32([1 + 2.0 ** -12])
>>> float(add(np.float32([-1.0]), a * 0 + a, alpha=1.0)[0]) == float(a[0]) - 1
True
"""

from __future__ import annotations

import numpy as np

from ..ops.torch_float import sqrt as _sqrt
from ..random.avx import fma32, fma64


def sqrt(x: np.ndarray) -> np.ndarray:
    """``Tensor.sqrt()``: MKL's VML for float32 (not always the correctly rounded root;
    :mod:`symgrad.ops.torch_float.mkl`), NumPy's otherwise."""
    return _sqrt(np.asarray(x))


def _fma(a: np.ndarray, b: np.ndarray | np.generic, c: np.ndarray) -> np.ndarray:
    """``a * b + c`` rounded once, in ``a``'s dtype."""
    if a.dtype == np.float64:
        return np.asarray(fma64(a, b, c), np.float64)
    return fma32(a, b, c)


def scalar(x: float, like: np.ndarray) -> np.generic:
    """A Python number as the kernel sees it: cast to the tensor's dtype."""
    return like.dtype.type(x)


def add(self: np.ndarray, other: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """``self.add(other, alpha=alpha)``: ``fma(other, alpha, self)``."""
    if alpha == 1.0:
        return (self + other).astype(self.dtype)
    return _fma(np.asarray(other, self.dtype), scalar(alpha, self), self)


def mul(self: np.ndarray, value: float) -> np.ndarray:
    return (self * scalar(value, self)).astype(self.dtype)


def lerp(self: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """``self.lerp(end, weight)``: ``fma(w, end - self, self)`` for ``|w| < 0.5``,
    else ``fma(w - 1, end - self, end)``."""
    w = scalar(weight, self)
    diff = (end - self).astype(self.dtype)
    if abs(w) < 0.5:
        return _fma(diff, w, self)
    return _fma(diff, (w - self.dtype.type(1)), end)


def addcmul(self: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float) -> np.ndarray:
    """``self + value * t1 * t2``, the last multiply fused with the add."""
    return _fma((scalar(value, self) * t1).astype(self.dtype), t2, self)


def addcdiv(self: np.ndarray, t1: np.ndarray, t2: np.ndarray, value: float) -> np.ndarray:
    """``self + value * t1 / t2``."""
    return (self + (scalar(value, self) * t1) / t2).astype(self.dtype)
