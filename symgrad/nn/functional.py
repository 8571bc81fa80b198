"""``sg.nn.functional``: activations and losses, with PyTorch's signatures,
``grad_fn`` names and error messages.

>>> import symgrad as sg
>>> import symgrad.nn.functional as F
>>> x = sg.tensor([[2., 0., -1.], [0., 1., 0.]], requires_grad=True)
>>> F.cross_entropy(x, sg.tensor([0, 1]))
tensor(0.3606, grad_fn=<NllLossBackward0>)
>>> F.mse_loss(sg.tensor([1., 2.], requires_grad=True), sg.tensor([0., 0.]))
tensor(2.5000, grad_fn=<MseLossBackward0>)
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import errors
from ..eager.dispatch import apply
from ..eager.functions import log_softmax as _log_softmax
from ..eager.functions import softmax as _softmax
from ..eager.methods import public_function
from ..eager.tensor import Size, Tensor
from ..ops import OPS
from ..ops.broadcast import broadcast_shapes
from ..ops.composite import nll_attrs
from .composite import (  # noqa: F401  (layers' functions built from existing ops)
    binary_cross_entropy_with_logits,
    celu,
    dropout,
    elu,
    hardsigmoid,
    hardswish,
    hardtanh,
    huber_loss,
    l1_loss,
    leaky_relu,
    linear,
    logsigmoid,
    mish,
    relu6,
    selu,
    silu,
    smooth_l1_loss,
    softplus,
)

_REDUCTIONS = ("none", "mean", "sum")


def _implicit_dim(name: str, ndim: int) -> int:
    warnings.warn(errors.SOFTMAX_IMPLICIT_DIM.format(name=name), UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """Softmax along ``dim`` (PyTorch's implicit choice, with its warning, if omitted).

    >>> softmax(Tensor([0., 0.]), dim=0)
    tensor([0.5000, 0.5000])
    """
    if dim is None:
        dim = _implicit_dim("softmax", input.ndim)
    return _softmax(input, dim, dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,
                dtype: Any = None) -> Tensor:
    """Log-softmax along ``dim``, computed without overflow.

    >>> log_softmax(Tensor([1000., 1000.]), dim=0)
    tensor([-0.6931, -0.6931])
    """
    if dim is None:
        dim = _implicit_dim("log_softmax", input.ndim)
    return _log_softmax(input, dim, dtype)


def _check_reduction(reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(errors.BAD_REDUCTION.format(reduction=reduction))


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def mse_loss(input: Tensor, target: Tensor, size_average: Any = None, reduce: Any = None,
             reduction: str = "mean", weight: Any = None) -> Tensor:
    """Mean squared error ``(input - target) ** 2``, reduced by ``reduction``.

    >>> mse_loss(Tensor([1., 2.]), Tensor([1., 0.]), reduction="none")
    tensor([0., 4.])
    """
    target = _as_tensor(target)
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(errors.MSE_SIZE_WARNING.format(target=Size(target.shape),
                                                     input=Size(input.shape)),
                      UserWarning, stacklevel=2)
    _check_reduction(reduction)
    try:
        shape = broadcast_shapes(input.shape, target.shape)
    except ValueError:
        raise RuntimeError(errors.size_mismatch(tuple(input.shape), tuple(target.shape), 0)) \
            from None
    out = apply(OPS["mse_loss"], (input, target), {"reduction": reduction, "shape": shape})
    if weight is not None:
        raise NotImplementedError("mse_loss(weight=...) is not supported by symgrad")
    return out


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: Any = None, reduce: Any = None,
                         reduction: str = "mean") -> Tensor:
    """``-(target * log(input) + (1 - target) * log(1 - input))``, logs clamped at -100.

    >>> binary_cross_entropy(Tensor([0.5, 1.]), Tensor([1., 1.]), reduction="sum")
    tensor(0.6931)
    """
    target = _as_tensor(target)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(errors.BCE_SIZE.format(target=Size(target.shape),
                                                input=Size(input.shape)))
    _check_reduction(reduction)
    x, y = input._data, target._data  # None for symbolic tensors: checked at run time
    if x is not None and x.size and (np.any(x < 0) or np.any(x > 1) or np.any(np.isnan(x))):
        raise RuntimeError(errors.BCE_INPUT_RANGE)
    if y is not None and y.size and (np.any(y < 0) or np.any(y > 1)):
        raise RuntimeError(errors.BCE_TARGET_RANGE)
    shape = tuple(input.shape)
    w = None if weight is None else np.broadcast_to(_as_tensor(weight)._value(), shape)
    return apply(OPS["binary_cross_entropy"], (input, target),
                 {"reduction": reduction, "weight": w, "shape": shape})


_DTYPE_WORD = {"float32": "Float", "float64": "Double", "float16": "Half", "int32": "Int",
               "int16": "Short", "int8": "Char", "bool": "Bool"}


def _check_target(input: Tensor, target: Tensor) -> np.ndarray | None:
    """Validate class-index targets against ``input`` as PyTorch's nll_loss does."""
    xs, ts = tuple(input.shape), tuple(target.shape)
    if len(xs) == 0:
        raise ValueError(errors.NLL_INPUT_DIM.format(ndim=0))
    if len(xs) >= 2 and (len(ts) == 0 or ts[0] != xs[0]):
        raise ValueError(errors.NLL_BATCH.format(n=xs[0], m=ts[0] if ts else 1))
    if len(xs) <= 2 and len(ts) > 1:
        raise RuntimeError(errors.NLL_MULTI_TARGET)
    if len(xs) > 2 and ts != xs[:1] + xs[2:]:
        raise RuntimeError(errors.NLL_TARGET_SIZE.format(want=list(xs[:1] + xs[2:]),
                                                         got=list(ts)))
    if target.dtype.is_floating_point or target.dtype.name == "bool":
        raise RuntimeError(errors.NLL_TARGET_DTYPE.format(
            dtype=_DTYPE_WORD.get(target.dtype.name, target.dtype.name)))
    if target._data is None:  # a symbolic label tensor: its values are checked at run time
        return None
    t = target._value()
    if len(xs) == 1 and t.shape == (1,):
        t = t.reshape(())
    return t


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: Any = None,
             ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class indices ``target`` under log-probabilities ``input``
    (classes along dim 1, or dim 0 for a single sample).

    >>> nll_loss(Tensor([[-1., -2.], [-3., -4.]]), Tensor([1, 0]).long())
    tensor(2.5000)
    """
    _check_reduction(reduction)
    target = _as_tensor(target)
    t = _check_target(input, target)
    cdim = 1 if input.ndim > 1 else 0
    classes = input.shape[cdim]
    w = None if weight is None else _as_tensor(weight)._value()
    if t is None or input._data is None:  # symbolic: the formula picks with one_hot(target)
        if t is not None:
            target = Tensor._wrap(t) if t.shape != tuple(target.shape) else target
        return apply(OPS["nll_loss"], (input, target),
                     {"cdim": cdim, "reduction": reduction, "classes": classes,
                      "ndim": input.ndim, "weight": w, "ignore_index": int(ignore_index),
                      "ignored": t is not None and bool(np.any(t == ignore_index))})
    bad = (t != ignore_index) & ((t < 0) | (t >= classes))
    if np.any(bad):
        raise IndexError(errors.NLL_TARGET_BOUNDS.format(value=int(t[bad].flat[0])))
    attrs = nll_attrs(input._value(), t, w, ignore_index, reduction)
    if t.shape != tuple(target.shape):
        target = Tensor._wrap(t)
    return apply(OPS["nll_loss"], (input, target), attrs)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                  size_average: Any = None, ignore_index: int = -100, reduce: Any = None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """``nll_loss(log_softmax(input, class_dim), target)`` for class-index targets;
    float targets of ``input``'s shape are class probabilities.

    >>> cross_entropy(Tensor([[0., 0.]]), Tensor([1]).long())
    tensor(0.6931)
    """
    if label_smoothing:
        raise NotImplementedError(errors.CE_LABEL_SMOOTHING.format(value=label_smoothing))
    target = _as_tensor(target)
    _check_reduction(reduction)
    cdim = 1 if input.ndim > 1 else 0
    if target.dtype.is_floating_point and tuple(target.shape) == tuple(input.shape):
        logp = _log_softmax(input, cdim)
        if weight is not None:
            w = _as_tensor(weight)._value().reshape((-1,) + (1,) * (input.ndim - cdim - 1))
            logp = logp * Tensor._wrap(w.astype(logp.dtype.np_dtype))
        v = -(logp * target).sum(cdim)
        if reduction == "none":
            return v
        return v.sum() / (input.numel() // input.shape[cdim]) if reduction == "mean" \
            else v.sum()
    if input.ndim == 0:
        raise ValueError(errors.NLL_INPUT_DIM.format(ndim=0))
    _check_target(input, target)
    return nll_loss(_log_softmax(input, cdim), target, weight, None, ignore_index, None,
                    reduction)


def _generate() -> list[str]:
    """Every ``"nn"`` name in the op table: hand-written above (losses, softmax with its
    implicit dim), or the eager function itself (``relu``, ``sigmoid``, ``tanh``)."""
    names = []
    for op in OPS.values():
        for name in op.public_names().get("nn", ()):
            if name not in globals():
                globals()[name] = public_function(name)
            names.append(name)
    return names


__all__ = _generate()
