"""Ops of the ``nn`` layers: ``addmm``, the fused ``bias + mat1 @ mat2`` that
``nn.Linear`` / ``F.linear`` run on a 2-D input (PyTorch's ``AddmmBackward0``), and
``binary_cross_entropy_with_logits`` (its own ``grad_fn`` and stable formula).

>>> import numpy as np
>>> OPS["addmm"].forward(np.ones(2), np.ones((1, 3)), np.ones((3, 2)))
array([[4., 4.]])
"""

from __future__ import annotations

from . import torch_float as _tf
from .composite import _numel, _reduce, _unreduce_scale
from .linalg import mm_layout, mm_mat1_grad, mm_mat2_grad, validate
from .registry import LINEAR, OPS, REDUCTION, defop
from .torch_float import losses as _tf_losses
from .torch_float import products as _products


def _addmm_forward(bias, mat1, mat2):
    return _products.addmm(bias, *validate("mm", mat1, mat2))


defop("addmm", "AddmmBackward0", LINEAR, "self mat1 mat2",
      forward=_addmm_forward,
      vjp={"self": lambda xp, grad, s, a: grad,  # summed to the bias' shape by the engine
           "mat1": lambda xp, grad, s, a: mm_mat1_grad(xp, grad, s.mat2, a),
           "mat2": lambda xp, grad, s, a: mm_mat2_grad(xp, grad, s.mat1, a)},
      jvp={"self": lambda xp, t, s, a: t,
           "mat1": lambda xp, t, s, a: xp.matmul(t, s.mat2),
           "mat2": lambda xp, t, s, a: xp.matmul(s.mat1, t)},
      saves={"mat2": (1,), "mat1": (2,)}, layout=lambda inputs: mm_layout(*inputs[1:]),
      sym=lambda S, b, x, w: S.matmul(x, w) + b)

__all__ = ["OPS"]


# ------------------------------------------- binary_cross_entropy_with_logits
# PyTorch: loss = (1 - t) * x - log_sigmoid(x) [* ((pw - 1) * t + 1) on the log-sigmoid]
# [* weight]; backward (binary_cross_entropy_with_logits_backward) saves self and target:
# d/dx = sigmoid(x) - t, or ((pw * t) + 1 - t) * sigmoid(x) - pw * t with pos_weight.
def _bcel_forward(x, t, reduction="mean", weight=None, pos_weight=None, shape=None):
    """``Loss.cpp``'s op sequence, each op PyTorch's float32 kernel (``log_sigmoid``
    with its SLEEF ``exp``/``log1p``), then the cascade mean or sum."""
    v = _tf_losses.bce_with_logits(x, t, weight, pos_weight)
    if reduction == "none":
        return v
    axes = tuple(range(v.ndim))
    return _tf.cascade_mean(v, axes, False) if reduction == "mean" else \
        _tf.cascade_sum(v, axes, False)


def _bcel_vjp(xp, grad, s, a):
    """``binary_cross_entropy_with_logits_backward``: PyTorch's op sequence on arrays,
    the formula on tensors (a recorded backward)."""
    if not xp.is_tensor:
        mean = a["reduction"] == "mean"
        return _tf_losses.bce_with_logits_backward(grad, s.self, s.target, a.get("weight"),
                                                a.get("pos_weight"),
                                                _numel(a) if mean else None)
    return _unreduce_scale(grad, a["reduction"], _numel(a)) * _bcel_dself(xp, s, a)


def _bcel_dself(xp, s, a):
    sig = xp.op(OPS["sigmoid"], s.self)
    pw = a.get("pos_weight")
    t = s.target  # tensors on the left: an array attribute must not drive the product
    d = sig - t if pw is None else (t * pw + 1 - t) * sig - t * pw
    w = a.get("weight")
    return d if w is None else d * w


def _bcel_sym(S, x, t, reduction="mean", weight=None, pos_weight=None, shape=None):
    ls = S.log(S.sigmoid(x))
    if pos_weight is not None:
        ls = ls * ((S.constant("pos_weight", pos_weight) - 1) * t + 1)
    v = (1 - t) * x - ls
    if weight is not None:
        v = v * S.constant("weight", weight)
    return v if reduction == "none" else S.mean(v, None, False) if reduction == "mean" \
        else S.sum(v, None, False)


defop("binary_cross_entropy_with_logits", "BinaryCrossEntropyWithLogitsBackward0", REDUCTION,
      "self target", forward=_bcel_forward,
      vjp={"self": _bcel_vjp},
      jvp={"self": lambda xp, t, s, a: _reduce(xp, _bcel_dself(xp, s, a) * t, a["reduction"])},
      saves={"self": (), "target": ()}, sym=_bcel_sym, dtype_rule="float",
      no_edge=("target",))
