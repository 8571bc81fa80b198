"""``nn.functional`` entries with options: ``linear``, the logits and robust losses, the
activations with arguments (each its own op, with PyTorch's ``grad_fn``:
``SiluBackward0``, ``EluBackward0``, ``LeakyReluBackward0``, ``HardtanhBackward0``,
``SmoothL1LossBackward0``...; in place where PyTorch has it), ``dropout``. ``linear``
has PyTorch's ``grad_fn`` names (``AddmmBackward0``...).

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

import warnings
from typing import Any

import numpy as np

from .. import errors
from ..eager.dispatch import apply, apply_inplace
from ..eager.tensor import Size, Tensor
from ..ops import OPS
from ..ops.activations import REDUCTIONS
from ..ops.broadcast import broadcast_shapes
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


_DTYPE_WORD = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
               "uint8": "Byte", "bool": "Bool"}


def _floating(input: Tensor, kernel: str) -> None:
    """PyTorch's ``NotImplementedError`` for an integer input of a float-only kernel."""
    if not input.dtype.is_floating_point:
        word = _DTYPE_WORD.get(input.dtype.name, input.dtype.name)
        raise NotImplementedError(f'"{kernel}" not implemented for \'{word}\'')


def _activation(name: str, input: Tensor, attrs: dict, inplace: bool = False,
                inplace_op: str | None = None) -> Tensor:
    """Apply the op ``name`` (its in-place form ``inplace_op``, else ``name`` written
    into ``input``, when ``inplace``)."""
    if inplace:
        return apply_inplace(input, OPS[inplace_op or name], (input,), attrs, name + "_")
    return apply(OPS[name], (input,), attrs)


def _loss_args(input: Tensor, target: Any, reduction: str) -> tuple[Tensor, tuple]:
    """The target as a tensor, PyTorch's size warning and reduction check, and the
    broadcast shape."""
    target = _t(target, input)
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(errors.MSE_SIZE_WARNING.format(target=Size(target.shape),
                                                     input=Size(input.shape)),
                      UserWarning, stacklevel=3)
    if reduction not in _REDUCTIONS:
        raise ValueError(errors.BAD_REDUCTION.format(reduction=reduction))
    try:
        shape = broadcast_shapes(tuple(input.shape), tuple(target.shape))
    except ValueError:
        raise RuntimeError(errors.size_mismatch(tuple(input.shape), tuple(target.shape), 0)) \
            from None
    return target, shape


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """``0.5 d**2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta``
    (``SmoothL1LossBackward0``; ``beta=0`` is ``l1_loss``, as in PyTorch).

    >>> smooth_l1_loss(Tensor([0.5, 3.]), Tensor([0., 0.]), reduction="none")
    tensor([0.1250, 2.5000])
    """
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    target, shape = _loss_args(input, target, reduction)
    _floating(input, "smooth_l1_cpu")
    return apply(OPS["smooth_l1_loss"], (input, target),
                 {"reduction": REDUCTIONS.index(reduction), "beta": float(beta), "shape": shape})


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Any = None) -> Tensor:
    """``0.5 d**2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``
    (``HuberLossBackward0``).

    >>> huber_loss(Tensor([0.5, 3.]), Tensor([0., 0.]), delta=2.0)
    tensor(2.0625)
    """
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    target, shape = _loss_args(input, target, reduction)
    _floating(input, "huber_cpu")
    if weight is not None:
        raise NotImplementedError("huber_loss(weight=...) is not supported by symgrad")
    return apply(OPS["huber_loss"], (input, target),
                 {"reduction": REDUCTIONS.index(reduction), "delta": float(delta),
                  "shape": shape})


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``negative_slope * input`` elsewhere
    (``LeakyReluBackward0``; in place, ``LeakyReluBackward1`` saving the result).

    >>> leaky_relu(Tensor([-1., 2.]), 0.1)
    tensor([-0.1000,  2.0000])
    """
    _floating(input, "leaky_relu_cpu")
    return _activation("leaky_relu", input, {"negative_slope": negative_slope}, inplace,
                       "leaky_relu_inplace")


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``alpha * (exp(input) - 1)`` elsewhere
    (``EluBackward0``; in place, ``EluBackward1`` saving the result).

    >>> elu(Tensor([-1., 2.]))
    tensor([-0.6321,  2.0000])
    """
    _floating(input, "elu_cpu")
    return _activation("elu", input, {"alpha": alpha, "scale": 1.0, "input_scale": 1.0},
                       inplace, "elu_inplace")


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(input, alpha)`` with SELU's constants (``EluBackward0``, as PyTorch).

    >>> selu(Tensor([-1., 2.]))
    tensor([-1.1113,  2.1014])
    """
    _floating(input, "elu_cpu")
    return _activation("elu", input, {"alpha": _SELU_ALPHA, "scale": _SELU_SCALE,
                                      "input_scale": 1.0}, inplace, "elu_inplace")


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`` (``CeluBackward0``).

    >>> celu(Tensor([-1., 2.]), 2.0)
    tensor([-0.7869,  2.0000])
    """
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    _floating(input, "elu_cpu")
    return _activation("celu", input, {"alpha": alpha, "scale": 1.0, "input_scale": 1.0 / alpha},
                       inplace, "celu_inplace")


def softplus(input: Tensor, beta: float = 1, threshold: float = 20) -> Tensor:
    """``log1p(exp(beta * x)) / beta``, linear above ``threshold`` (``SoftplusBackward0``).

    >>> softplus(Tensor([0., 30.]))
    tensor([ 0.6931, 30.0000])
    """
    _floating(input, "softplus_cpu")
    return apply(OPS["softplus"], (input,), {"beta": beta, "threshold": threshold})


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x))``, computed without overflow (``LogSigmoidBackward0``).

    >>> logsigmoid(Tensor([0., -200.]))
    tensor([  -0.6931, -200.0000])
    """
    _floating(input, "log_sigmoid_cpu")
    return apply(OPS["log_sigmoid"], (input,), {})


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``input * sigmoid(input)`` (``SiluBackward0``; in place too, saving the input).

    >>> silu(Tensor([1.]))
    tensor([0.7311])
    """
    _floating(input, "silu_cpu")
    return _activation("silu", input, {}, inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))`` (``MishBackward0``, in place too).

    >>> mish(Tensor([1.]))
    tensor([0.8651])
    """
    _floating(input, "mish_cpu")
    return _activation("mish", input, {}, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6`` (``HardswishBackward0``, in place too).

    >>> hardswish(Tensor([-4., 1.]))
    tensor([-0.0000,  0.6667])
    """
    _floating(input, "hardswish_cpu")
    return _activation("hardswish", input, {}, inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6`` (``HardsigmoidBackward0``, in place too).

    >>> hardsigmoid(Tensor([-4., 1.]))
    tensor([0.0000, 0.6667])
    """
    _floating(input, "hardsigmoid_cpu")
    return _activation("hardsigmoid", input, {}, inplace)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """``input`` clamped to ``[min_val, max_val]``, gradient 0 at and beyond the bounds
    (``HardtanhBackward0``, in place too).

    >>> hardtanh(Tensor([-3., 0.5]))
    tensor([-1.0000,  0.5000])
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _activation("hardtanh", input, {"min_val": min_val, "max_val": max_val}, inplace)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``hardtanh(input, 0, 6)`` (``HardtanhBackward0``, as PyTorch).

    >>> relu6(Tensor([-1., 7.]))
    tensor([0., 6.])
    """
    return _activation("hardtanh", input, {"min_val": 0, "max_val": 6}, inplace)


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
