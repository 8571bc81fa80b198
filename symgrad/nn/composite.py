"""``nn.functional`` entries built from existing ops: ``linear``, the logits and robust
losses, the activations without an op of their own, ``dropout``. Values follow
PyTorch's formulas; ``linear`` has PyTorch's ``grad_fn`` names (``AddmmBackward0``...),
the others those of the last op used (``WhereBackward0`` rather than
``LeakyReluBackward0``...).

>>> import symgrad as torch
>>> import symgrad.nn.functional as F
>>> F.linear(torch.tensor([[1., 2.]]), torch.tensor([[1., 0.], [1., 1.]]), torch.tensor([0., 1.]))
tensor([[1., 4.]])
>>> F.binary_cross_entropy_with_logits(torch.tensor([0., 2.]), torch.tensor([1., 0.]))
tensor(1.4100)
>>> F.leaky_relu(torch.tensor([-1., 2.]), 0.1)
tensor([-0.1000,  2.0000])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import errors
from ..eager.dispatch import apply
from ..eager.tensor import Size, Tensor
from ..ops import OPS
from ..random.functions import bernoulli_

_REDUCTIONS = ("none", "mean", "sum")


def _t(x: Any, like: Tensor) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor._wrap(np.asarray(x, like.dtype.np_dtype))


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction not in _REDUCTIONS:
        raise ValueError(errors.BAD_REDUCTION.format(reduction=reduction))
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias`` as PyTorch dispatches it: ``addmm`` for a 2-D input
    (``AddmmBackward0``), flattened to 2-D around an ``addmm`` otherwise
    (``ViewBackward0``), ``matmul`` without a bias.

    >>> x, w = Tensor([[1., 2.]]), Tensor([[1., 1.]]).requires_grad_()
    >>> linear(x, w, Tensor([0.5])), linear(x[0], w, Tensor([0.5])).grad_fn.name()
    (tensor([[3.5000]], grad_fn=<AddmmBackward0>), 'ViewBackward0')
    """
    if bias is None:
        return input.matmul(weight.t())
    if input.ndim == 2:
        return apply(OPS["addmm"], (bias, input, weight.t()), {})
    if bias.ndim == 1 and input.ndim >= 1:
        sizes = tuple(input.shape)
        flat = input.reshape(int(np.prod(sizes[:-1], dtype=np.int64)), sizes[-1])
        out = apply(OPS["addmm"], (bias, flat, weight.t()), {})
        return out.view(*sizes[:-1], out.shape[1])
    return input.matmul(weight.t()) + bias


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
                                     weight: Tensor | None = None, size_average: Any = None,
                                     reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Tensor | None = None) -> Tensor:
    """``(1 - target) * input - log_sigmoid(input)`` (times ``pos_weight``'s factor on the
    log-sigmoid, and ``weight``), computed without overflow as PyTorch does."""
    target = _t(target, input)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({Size(target.shape)}) must be the same as input size "
                         f"({Size(input.shape)})")
    if reduction not in _REDUCTIONS:
        raise ValueError(errors.BAD_REDUCTION.format(reduction=reduction))
    shape = tuple(input.shape)
    w = None if weight is None else np.broadcast_to(_t(weight, input)._value(), shape)
    pw = None if pos_weight is None else np.broadcast_to(_t(pos_weight, input)._value(), shape)
    return apply(OPS["binary_cross_entropy_with_logits"], (input, target),
                 {"reduction": reduction, "weight": w, "pos_weight": pw, "shape": shape})


def l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
            reduction: str = "mean", weight: Any = None) -> Tensor:
    """Mean absolute error ``|input - target|``."""
    return _reduce((input - _t(target, input)).abs(), reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """``0.5 d**2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta``."""
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    d = (input - _t(target, input)).abs()
    from ..eager.functions import where
    return _reduce(where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Any = None) -> Tensor:
    """``0.5 d**2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``."""
    d = (input - _t(target, input)).abs()
    from ..eager.functions import where
    return _reduce(where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)), reduction)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``negative_slope * input`` elsewhere."""
    from ..eager.functions import where
    return where(input > 0, input, input * negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``alpha * (exp(input) - 1)`` elsewhere."""
    from ..eager.functions import where
    return where(input > 0, input, alpha * input.expm1())


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log1p(exp(beta * x)) / beta``, linear above ``threshold``."""
    from ..eager.functions import where
    z = input * beta
    return where(z > threshold, input, (z.clamp(max=threshold)).exp().log1p() / beta)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * sigmoid(input)``."""
    return input * input.sigmoid()


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    return input.clamp(min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    return input.clamp(0.0, 6.0)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each value with probability ``p`` and scale the rest by ``1/(1-p)``: PyTorch's
    CPU path (a ``bernoulli_(1 - p)`` mask, one 53-bit uniform per value)."""
    if p < 0 or p > 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0:
        return input
    if p == 1:
        return input * 0
    noise = Tensor._wrap(np.empty(tuple(input.shape), input.dtype.np_dtype))
    bernoulli_(noise, 1 - p)
    noise = Tensor._wrap(noise._value() / noise.dtype.np_dtype.type(1 - p))
    return input * noise
