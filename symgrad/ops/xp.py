"""The NumPy namespace that VJP/JVP rules are written against.

Rules call ``xp.exp(x)``, ``xp.where(c, a, b)``, ``xp.unreduce(...)`` and
Python operators, so the same rule runs on NumPy arrays here and on tensors
(``symgrad.eager.xp``) when the backward pass is itself recorded.

>>> NumpyXP.unreduce(np.array([1., 2.]), (2, 3), dim=(1,), keepdim=False).tolist()
[[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import torch_float as _tf


def normalize_dims(dim: int | Sequence[int] | None, ndim: int) -> tuple[int, ...]:
    """Dims as a sorted tuple of non-negative axes (``None``: all of them)."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        dim = (int(dim),)
    if not ndim:  # a 0-d tensor: dim 0 or -1 names the tensor itself (PyTorch wraps it)
        return ()
    return tuple(sorted(d % ndim for d in dim))


class NumpyXP:
    """Array functions for rules, on NumPy arrays."""

    exp = staticmethod(_tf.exp)  # float32: PyTorch's own rounding (torch_float)
    log = staticmethod(_tf.log)
    sin = staticmethod(_tf.sin)
    cos = staticmethod(_tf.cos)
    sqrt = staticmethod(_tf.sqrt)
    tanh = staticmethod(_tf.tanh)
    sign = staticmethod(np.sign)
    where = staticmethod(np.where)
    clamp = staticmethod(lambda x, min=None, max=None: np.clip(x, min, max))
    matmul = staticmethod(_tf.products.matmul)
    outer = staticmethod(np.outer)
    sum_to = staticmethod(_tf.cascade_sum_to)
    zeros_like = staticmethod(np.zeros_like)
    ones_like = staticmethod(np.ones_like)
    is_tensor = False

    @staticmethod
    def one_minus_square(x: np.ndarray) -> np.ndarray:
        """``1 - x*x`` as PyTorch's float32 kernels compute it: the compiler fuses it
        into one ``fnmadd`` (one rounding), as in ``tanh_backward``."""
        x = np.asarray(x)
        if x.dtype == np.float32:
            return _tf.fma32(-x, x, np.float32(1))
        return 1 - x * x

    @staticmethod
    def op(op: Any, *xs: Any, **attrs: Any) -> np.ndarray:
        """Run the op-table entry ``op``'s NumPy forward (used by indexing rules)."""
        return op.forward(*xs, **attrs)

    @staticmethod
    def sum(x: np.ndarray, dim: int | Sequence[int] | None = None,
            keepdim: bool = False) -> np.ndarray:
        axes = None if dim is None else tuple(int(d) for d in np.atleast_1d(dim))
        if axes == ():  # NumPy's meaning in the rules: no axis, nothing summed
            return np.sum(x, axis=(), keepdims=keepdim)
        return _tf.cascade_sum(x, axes, keepdim)

    @staticmethod
    def expand(x: np.ndarray, shape: Sequence[int]) -> np.ndarray:
        return np.broadcast_to(x, tuple(shape))

    @staticmethod
    def reshape(x: np.ndarray, shape: Sequence[int]) -> np.ndarray:
        return np.reshape(x, tuple(shape))

    @staticmethod
    def mT(x: np.ndarray) -> np.ndarray:
        return np.swapaxes(x, -1, -2)

    @staticmethod
    def permute(x: np.ndarray, dims: Sequence[int]) -> np.ndarray:
        return np.transpose(x, tuple(dims))

    @staticmethod
    def unsqueeze(x: np.ndarray, dim: int) -> np.ndarray:
        return np.expand_dims(x, dim)

    @staticmethod
    def squeeze(x: np.ndarray, dim: int) -> np.ndarray:
        return np.squeeze(x, dim)

    @staticmethod
    def cast(x: np.ndarray, like: np.ndarray) -> np.ndarray:
        return x.astype(like.dtype, copy=False)

    @staticmethod
    def unreduce(grad: np.ndarray, shape: Sequence[int], dim: Sequence[int] | None,
                 keepdim: bool) -> np.ndarray:
        """Broadcast the gradient of a reduction back to the input ``shape``."""
        shape = tuple(shape)
        if not keepdim:
            grad = np.reshape(grad, _kept_shape(shape, dim))
        return np.broadcast_to(grad, shape)

    @staticmethod
    def scatter_index(grad: np.ndarray, indices: np.ndarray, dim: int,
                      shape: Sequence[int], keepdim: bool) -> np.ndarray:
        """Put ``grad`` at ``indices`` along ``dim`` of a zero array of ``shape``."""
        out = np.zeros(tuple(shape), dtype=grad.dtype)
        if not keepdim and len(shape):
            grad = np.expand_dims(grad, dim)
            indices = np.expand_dims(indices, dim)
        np.put_along_axis(out, indices, grad, axis=dim)
        return out


def _kept_shape(shape: tuple[int, ...], dim: Sequence[int] | None) -> tuple[int, ...]:
    dims = normalize_dims(dim, len(shape))
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


kept_shape = _kept_shape
