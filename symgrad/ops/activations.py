"""Activations and robust losses with their own ``grad_fn``, as PyTorch has them:
``silu``, ``elu`` (``selu``'s too), ``celu``, ``softplus``, ``leaky_relu``,
``hardtanh`` (``relu6``), ``log_sigmoid``, ``mish``, ``hardswish``, ``hardsigmoid``,
``smooth_l1_loss`` and ``huber_loss``.

Each entry saves what ``derivatives.yaml`` saves (the input; the result for the
in-place forms ``EluBackward1``, ``CeluBackward1``, ``LeakyReluBackward1``), its
``sym`` is the textbook formula (``x * sigmoid(x)`` for silu), and its forward and
plain backward are PyTorch's float32 CPU kernels bit for bit
(:mod:`.torch_float.activations`). A recorded backward (``create_graph=True``) runs
the same rule on tensors, written as PyTorch's double-backward formulas are.

>>> OPS["silu"].grad_fn_name((), {}), OPS["silu"].saves
('SiluBackward0', {'self': ()})
>>> OPS["leaky_relu_inplace"].grad_fn_name((), {}), OPS["leaky_relu_inplace"].saves
('LeakyReluBackward1', {'result': ()})
"""

from __future__ import annotations

import numpy as np

from .composite import _numel, _reduce
from .registry import ELEMENTWISE, OPS, REDUCTION, defop
from .torch_float import activations as _k
from .torch_float import cascade_mean, cascade_sum
from .torch_float import losses as _losses

# PyTorch's messages for arguments its kernels refuse (raised by the nn.functional forms)
NEGATIVE_SLOPE_INPLACE = {
    "leaky_relu": "In-place leakyReLu backward calculation is triggered with a negative slope "
                  "which is not supported. This is caused by calling in-place forward function "
                  "with a negative slope, please call out-of-place version instead. File an "
                  "issue at https://github.com/pytorch/pytorch if you do require supporting "
                  "in-place leakRelu backward calculation with negative slope",
    "elu": "In-place elu backward calculation is triggered with a negative slope which is not "
           "supported. This is caused by calling in-place forward function with a negative "
           "slope, please call out-of-place version instead.",
}


def _plain(xp) -> bool:
    """The rule runs on arrays (a plain backward): PyTorch's backward kernel applies."""
    return not xp.is_tensor


def _gt0(S, x):
    return S.compare("greater", x, 0)


# ---------------------------------------------------------------------- silu
def _silu_vjp(xp, grad, s, a):
    """``silu_backward``: ``grad * sig * (1 + x * (1 - sig))`` with ``sig = sigmoid(x)``."""
    if _plain(xp):
        return _k.silu_backward(grad, s.self)
    sig = xp.op(OPS["sigmoid"], s.self)
    return grad * sig * (1 + s.self * (1 - sig))


defop("silu", "SiluBackward0", ELEMENTWISE, "self", forward=_k.silu,
      vjp={"self": _silu_vjp}, saves={"self": ()},
      sym=lambda S, x: x * S.sigmoid(x), dtype_rule="float")


# ----------------------------------------------------------- elu, selu, celu
def _elu_attrs(a):
    return a.get("alpha", 1.0), a.get("scale", 1.0), a.get("input_scale", 1.0)


def _elu_vjp(xp, grad, s, a):
    """``elu_backward`` from the input: ``grad * scale`` above 0, else
    ``grad * input_scale * alpha * scale * exp(x * input_scale)``."""
    alpha, scale, iscale = _elu_attrs(a)
    if _plain(xp):
        return _k.elu_backward(grad, s.self, alpha, scale, iscale)
    x = s.self
    neg = grad * (iscale * alpha * scale) * xp.exp(x * iscale)
    return xp.where(x > 0, grad * scale, neg)


def _elu_result_vjp(xp, grad, s, a):
    """``elu_backward`` from the result (the in-place form): below 0,
    ``grad * input_scale * (result + alpha * scale)``; PyTorch refuses a negative
    ``alpha`` here."""
    alpha, scale, iscale = _elu_attrs(a)
    if alpha < 0:
        raise RuntimeError(NEGATIVE_SLOPE_INPLACE["elu"])
    if _plain(xp):
        return _k.elu_backward(grad, s.result, alpha, scale, iscale, is_result=True)
    r = s.result
    return xp.where(r > 0, grad * scale, grad * iscale * (r + alpha * scale))


def _celu(rule):
    """CELU's backward: ``elu_backward`` with ``input_scale = 1.0 / alpha.toFloat()``
    (the forward's is ``1.0 / alpha`` in double; they differ in the last bit)."""
    def vjp(xp, grad, s, a):
        alpha = a.get("alpha", 1.0)
        return rule(xp, grad, s, {**a, "input_scale": 1.0 / float(np.float32(alpha))})
    vjp.__doc__ = rule.__doc__
    return vjp


def _elu_forward(x, alpha=1.0, scale=1.0, input_scale=1.0):
    return _k.elu(x, alpha, scale, input_scale)


def _elu_sym(S, x, alpha=1.0, scale=1.0, input_scale=1.0):
    return S.where(_gt0(S, x), scale * x, (alpha * scale) * (S.exp(input_scale * x) - 1))


for _name, _grad_fn, _vjp, _saved in (
        ("elu", "EluBackward0", _elu_vjp, "self"),
        ("elu_inplace", "EluBackward1", _elu_result_vjp, "result"),
        ("celu", "CeluBackward0", _celu(_elu_vjp), "self"),
        ("celu_inplace", "CeluBackward1", _celu(_elu_result_vjp), "result")):
    defop(_name, _grad_fn, ELEMENTWISE, "self", forward=_elu_forward, vjp={"self": _vjp},
          saves={_saved: ()}, sym=_elu_sym, dtype_rule="float", kinks=True)  # alpha != 1


# ------------------------------------------------------------------ softplus
def _softplus_vjp(xp, grad, s, a):
    """``softplus_backward``: ``grad * z / (z + 1)``, ``z = exp(beta x)``; ``grad`` above
    the threshold."""
    beta, threshold = a.get("beta", 1.0), a.get("threshold", 20.0)
    if _plain(xp):
        return _k.softplus_backward(grad, s.self, beta, threshold)
    bx = s.self * beta
    z = xp.exp(xp.clamp(bx, None, threshold))
    return xp.where(bx > threshold, grad, grad * z / (z + 1))


defop("softplus", "SoftplusBackward0", ELEMENTWISE, "self",
      forward=lambda x, beta=1.0, threshold=20.0: _k.softplus(x, beta, threshold),
      vjp={"self": _softplus_vjp}, saves={"self": ()},
      sym=lambda S, x, beta=1.0, threshold=20.0: S.where(
          S.compare("greater", beta * x, threshold), x, S.log(1 + S.exp(beta * x)) / beta),
      dtype_rule="float", kinks=True)  # the switch at the threshold


# ---------------------------------------------------------------- leaky_relu
def _leaky_vjp(which):
    def vjp(xp, grad, s, a):
        """``leaky_relu_backward``: ``grad`` where positive, ``grad * negative_slope``
        elsewhere."""
        v = getattr(s, which)
        slope = a.get("negative_slope", 0.01)
        if which == "result" and slope < 0:  # PyTorch refuses it in the backward
            raise RuntimeError(NEGATIVE_SLOPE_INPLACE["leaky_relu"])
        if _plain(xp):
            return np.where(v > 0, grad, grad * np.asarray(slope, np.asarray(grad).dtype))
        return xp.where(v > 0, grad, grad * slope)
    return vjp


def _leaky_forward(x, negative_slope=0.01):
    return np.where(x > 0, x, x * x.dtype.type(negative_slope))


for _name, _grad_fn, _saved in (("leaky_relu", "LeakyReluBackward0", "self"),
                                ("leaky_relu_inplace", "LeakyReluBackward1", "result")):
    defop(_name, _grad_fn, ELEMENTWISE, "self", forward=_leaky_forward,
          vjp={"self": _leaky_vjp(_saved)}, saves={_saved: ()},
          sym=lambda S, x, negative_slope=0.01: S.where(_gt0(S, x), x, negative_slope * x),
          dtype_rule="same", kinks=True)


# ------------------------------------------------------------------ hardtanh
def _clamp(x, lo, hi):
    """``at::clamp``: NaN and ``-0.0`` pass through (PyTorch's ``relu6(-0.0)`` is
    ``-0.0``; ``np.maximum(-0.0, 0)`` is ``0.0``)."""
    lo, hi = np.asarray(lo, x.dtype), np.asarray(hi, x.dtype)
    return np.where(x < lo, lo, np.where(x > hi, hi, x))


def _hardtanh_vjp(xp, grad, s, a):
    """``hardtanh_backward``: ``grad`` strictly inside ``(min_val, max_val)``, else 0."""
    lo, hi = a.get("min_val", -1.0), a.get("max_val", 1.0)
    inside = (s.self > lo) & (s.self < hi)
    if _plain(xp):
        return np.where(inside, grad, np.zeros((), np.asarray(grad).dtype))
    return xp.where(inside, grad, 0.0 * grad)


defop("hardtanh", "HardtanhBackward0", ELEMENTWISE, "self",
      forward=lambda x, min_val=-1.0, max_val=1.0: _clamp(x, min_val, max_val),
      vjp={"self": _hardtanh_vjp}, saves={"self": ()},
      sym=lambda S, x, min_val=-1.0, max_val=1.0: S.clamp(x, min_val, max_val),
      dtype_rule="same", kinks=True)


# --------------------------------------------------------------- log_sigmoid
def _log_sigmoid_vjp(xp, grad, s, a):
    """``log_sigmoid_backward`` with the buffer ``exp(-|x|)`` recomputed:
    ``grad * (1 - sigmoid(x))``."""
    if _plain(xp):
        x = np.asarray(s.self)
        return _k.log_sigmoid_backward(grad, x, _k.log_sigmoid(x)[1])
    return grad * (1 - xp.op(OPS["sigmoid"], s.self))


defop("log_sigmoid", "LogSigmoidBackward0", ELEMENTWISE, "self",
      forward=lambda x: _k.log_sigmoid(x)[0], vjp={"self": _log_sigmoid_vjp},
      saves={"self": ()}, sym=lambda S, x: S.log(S.sigmoid(x)), dtype_rule="float")


# ------------------------------------------------- mish, hardswish, hardsigmoid
def _mish_vjp(xp, grad, s, a):
    """``mish_backward``: ``grad * (t + x * sigmoid(x) * (1 - t * t))``,
    ``t = tanh(softplus(x))``."""
    if _plain(xp):
        return _k.mish_backward(grad, s.self)
    x = s.self
    t = xp.tanh(xp.op(OPS["softplus"], x, beta=1.0, threshold=20.0))
    return grad * (t + x * xp.op(OPS["sigmoid"], x) * (1 - t * t))


def _hardswish_vjp(xp, grad, s, a):
    """``hardswish_backward``: 0 up to -3, ``grad * (x / 3 + 0.5)`` inside, ``grad``
    from 3."""
    if _plain(xp):
        return _k.hardswish_backward(grad, s.self)
    x = s.self
    return xp.where(x <= -3, 0.0 * grad, xp.where(x >= 3, grad, grad * (x / 3 + 0.5)))


def _hardsigmoid_vjp(xp, grad, s, a):
    """``hardsigmoid_backward``: ``grad / 6`` strictly inside ``(-3, 3)``, else 0."""
    if _plain(xp):
        return _k.hardsigmoid_backward(grad, s.self)
    x = s.self
    return xp.where((x > -3) & (x < 3), grad / 6, 0.0 * grad)


defop("mish", "MishBackward0", ELEMENTWISE, "self", forward=_k.mish, vjp={"self": _mish_vjp},
      saves={"self": ()}, sym=lambda S, x: x * S.tanh(S.log(1 + S.exp(x))), dtype_rule="float")
defop("hardswish", "HardswishBackward0", ELEMENTWISE, "self", forward=_k.hardswish,
      vjp={"self": _hardswish_vjp}, saves={"self": ()},
      sym=lambda S, x: x * S.clamp(x + 3, 0, 6) / 6, dtype_rule="float", kinks=True)
defop("hardsigmoid", "HardsigmoidBackward0", ELEMENTWISE, "self", forward=_k.hardsigmoid,
      vjp={"self": _hardsigmoid_vjp}, saves={"self": ()},
      sym=lambda S, x: S.clamp(x + 3, 0, 6) / 6, dtype_rule="float", kinks=True)


# ------------------------------------------------------- smooth_l1, huber
# PyTorch's at::Reduction: the loss nodes keep the enum (``_saved_reduction`` is 1 for
# the mean), as these ops' attrs do
REDUCTIONS = ("none", "mean", "sum")


def _reduction(a) -> str:
    r = a["reduction"]
    return REDUCTIONS[r] if isinstance(r, int) else r


def _reduced(v, reduction):
    reduction = _reduction({"reduction": reduction})
    if reduction == "none":
        return v
    axes = tuple(range(v.ndim))
    return cascade_mean(v, axes, False) if reduction == "mean" else cascade_sum(v, axes, False)


def _norm(a) -> float:
    return 1.0 / _numel(a) if _reduction(a) == "mean" else 1.0


def _robust_vjp(kernel, textbook, param, sign):
    def vjp(xp, grad, s, a):
        x, t = (s.self, s.target) if sign > 0 else (s.target, s.self)
        if _plain(xp):
            return kernel(grad, x, t, _norm(a), a[param])
        g = grad / _numel(a) if _reduction(a) == "mean" else grad
        return textbook(xp, x - t, a[param]) * g
    return vjp


def _smooth_l1_dx(xp, d, beta):
    return xp.where(d >= beta, 1.0 + 0.0 * d, xp.where(d <= -beta, -1.0 + 0.0 * d, d / beta))


def _huber_dx(xp, d, delta):
    return xp.where(d >= delta, delta + 0.0 * d, xp.where(d <= -delta, -delta + 0.0 * d, d))


def _robust_jvp(textbook, param, sign):
    def jvp(xp, t, s, a):
        return _reduce(xp, textbook(xp, s.self - s.target, a[param]) * (sign * t),
                       _reduction(a))
    return jvp


def _robust_sym(inner, param):
    def sym(S, x, t, reduction="mean", shape=None, **kw):
        reduction = _reduction({"reduction": reduction})
        v = inner(S, x - t, S.abs(x - t), kw[param])
        return v if reduction == "none" else S.mean(v, None, False) if reduction == "mean" \
            else S.sum(v, None, False)
    return sym


defop("smooth_l1_loss", "SmoothL1LossBackward0", REDUCTION, "self target",
      forward=lambda x, t, reduction="mean", beta=1.0, shape=None:
      _reduced(_losses.smooth_l1(x, t, beta), reduction),
      vjp={"self": _robust_vjp(_losses.smooth_l1_backward, _smooth_l1_dx, "beta", 1),
           "target": _robust_vjp(_losses.smooth_l1_backward, _smooth_l1_dx, "beta", -1)},
      jvp={"self": _robust_jvp(_smooth_l1_dx, "beta", 1),
           "target": _robust_jvp(_smooth_l1_dx, "beta", -1)},
      saves={"self": (), "target": ()},
      sym=_robust_sym(lambda S, d, z, beta: S.where(S.compare("less", z, beta),
                                                    d * d * (0.5 / beta), z - 0.5 * beta),
                         "beta"),
      dtype_rule="float", kinks=True)

defop("huber_loss", "HuberLossBackward0", REDUCTION, "self target",
      forward=lambda x, t, reduction="mean", delta=1.0, shape=None:
      _reduced(_losses.huber(x, t, delta), reduction),
      vjp={"self": _robust_vjp(_losses.huber_backward, _huber_dx, "delta", 1),
           "target": _robust_vjp(_losses.huber_backward, _huber_dx, "delta", -1)},
      jvp={"self": _robust_jvp(_huber_dx, "delta", 1),
           "target": _robust_jvp(_huber_dx, "delta", -1)},
      saves={"self": (), "target": ()},
      sym=_robust_sym(lambda S, d, z, delta: S.where(S.compare("less", z, delta),
                                                     0.5 * d * d, delta * (z - 0.5 * delta)),
                         "delta"),
      dtype_rule="float", kinks=True)

__all__ = ["NEGATIVE_SLOPE_INPLACE", "OPS", "REDUCTIONS"]
