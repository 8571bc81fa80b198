"""The tensor namespace that VJP/JVP rules run on when the backward pass is
itself recorded (``create_graph=True``): same names as ``ops.xp.NumpyXP``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..ops import OPS
from ..ops.xp import kept_shape
from . import functions as F
from .dispatch import apply
from .tensor import Tensor


class TensorXP:
    """Array functions for rules, on tensors (recorded on the tape)."""

    is_tensor = True
    exp = staticmethod(F.exp)
    log = staticmethod(F.log)
    sin = staticmethod(F.sin)
    cos = staticmethod(F.cos)
    sqrt = staticmethod(F.sqrt)
    tanh = staticmethod(F.tanh)
    sign = staticmethod(F.sign)
    matmul = staticmethod(F.matmul)

    @staticmethod
    def one_minus_square(x: Tensor) -> Tensor:
        return 1 - x * x

    @staticmethod
    def clamp(x: Tensor, min: Any = None, max: Any = None) -> Tensor:
        return F.clamp(x, min, max)

    @staticmethod
    def alias(x: Tensor) -> Tensor:
        """A view of ``x`` with the same shape: ``ViewBackward0`` if ``x`` requires
        grad (as PyTorch's ``make_dual``), else an ``alias`` view; either way
        writes through it rebase ``x``'s history (``CopySlices``)."""
        if x._requires_grad:
            return F.reshape(x, *x.shape)
        return apply(OPS["alias"], (x,), {})

    @staticmethod
    def op(op: Any, *xs: Any, **attrs: Any) -> Tensor:
        """Apply the op-table entry ``op`` to tensors (recorded on the tape)."""
        return apply(op, xs, attrs)

    @staticmethod
    def where(cond: Any, a: Any, b: Any) -> Tensor:
        return F.where(cond, a, b)

    @staticmethod
    def outer(a: Tensor, b: Tensor) -> Tensor:
        return F.unsqueeze(a, -1) * F.unsqueeze(b, 0)

    @staticmethod
    def sum_to(x: Tensor, shape: Sequence[int]) -> Tensor:
        shape = tuple(shape)
        if tuple(x.shape) == shape:
            return x
        lead = x.ndim - len(shape)
        if lead:
            x = F.sum(x, tuple(range(lead)))
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and x.shape[i] != 1)
        if axes:
            x = F.sum(x, axes, keepdim=True)
        return x

    @staticmethod
    def zeros_like(x: Tensor) -> Tensor:
        return Tensor._wrap(np.zeros_like(x._data))

    @staticmethod
    def ones_like(x: Tensor) -> Tensor:
        return Tensor._wrap(np.ones_like(x._data))

    @staticmethod
    def sum(x: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
        return F.sum(x, dim, keepdim)

    @staticmethod
    def expand(x: Tensor, shape: Sequence[int]) -> Tensor:
        return F.expand(x, *shape) if tuple(x.shape) != tuple(shape) else x

    @staticmethod
    def reshape(x: Tensor, shape: Sequence[int]) -> Tensor:
        return F.reshape(x, *shape) if tuple(x.shape) != tuple(shape) else x

    @staticmethod
    def mT(x: Tensor) -> Tensor:
        return F.transpose(x, -1, -2)

    @staticmethod
    def permute(x: Tensor, dims: Sequence[int]) -> Tensor:
        return F.permute(x, *dims)

    @staticmethod
    def unsqueeze(x: Tensor, dim: int) -> Tensor:
        return F.unsqueeze(x, dim)

    @staticmethod
    def squeeze(x: Tensor, dim: int) -> Tensor:
        return F.squeeze(x, dim)

    @staticmethod
    def cast(x: Tensor, dtype: Any) -> Tensor:
        return F.to_dtype(x, dtype)

    @staticmethod
    def unreduce(grad: Tensor, shape: Sequence[int], dim: Any, keepdim: bool) -> Tensor:
        shape = tuple(shape)
        if not keepdim:
            grad = F.reshape(grad, *kept_shape(shape, dim)) if shape else grad
        return F.expand(grad, *shape) if tuple(grad.shape) != shape else grad

    @staticmethod
    def scatter_index(grad: Tensor, indices: np.ndarray, dim: int, shape: Sequence[int],
                      keepdim: bool) -> Tensor:
        """Scatter ``grad`` at ``indices`` along ``dim`` (as a product with a one-hot mask)."""
        idx = indices if keepdim else np.expand_dims(indices, dim)
        onehot = np.zeros(tuple(shape), dtype=bool)
        np.put_along_axis(onehot, idx, True, axis=dim)
        g = grad if keepdim else F.unsqueeze(grad, dim)
        return F.where(Tensor._wrap(onehot), F.expand(g, *shape), 0.0)
