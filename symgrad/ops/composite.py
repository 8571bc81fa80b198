"""Composite ops with numerically stable forward and backward: ``logsumexp``,
``softmax``, ``log_softmax`` and the losses ``mse_loss``,
``binary_cross_entropy`` and ``nll_loss`` (``cross_entropy`` is
``nll_loss(log_softmax(x))``, as in PyTorch).

Each saves what PyTorch's derivatives.yaml saves: softmax and log_softmax
their result, logsumexp its input and result, the losses input and target.
Forwards subtract the max before ``exp``; rules reuse the saved result, so
no rule exponentiates a large number. The rules are written against ``xp``
and so also run on tensors (``create_graph=True``) and as JVPs.

>>> OPS["softmax"].saves, OPS["logsumexp"].saves
({'result': ()}, {'self': (), 'result': ()})
>>> OPS["nll_loss"].grad_fn_name((np.zeros((2, 3)),), {})
'NllLossBackward0'
"""

from __future__ import annotations

import numpy as np

from . import torch_float as _tf
from .numerics import logsumexp as _logsumexp
from .registry import ELEMENTWISE, OPS, REDUCTION, defop
from .torch_float import softmax as _kernels


# ----------------------------------------------------------------- logsumexp
def _lse_weights(xp, s, a):
    """d logsumexp / dx = exp(x - logsumexp(x)) = softmax(x) along ``dim``."""
    return xp.exp(s.self - xp.unreduce(s.result, a["shape"], a["dim"], a.get("keepdim", False)))


defop("logsumexp", "LogsumexpBackward0", REDUCTION, "self",
      forward=_logsumexp,
      vjp={"self": lambda xp, grad, s, a:
          xp.unreduce(grad, a["shape"], a["dim"], a.get("keepdim", False))
      * _lse_weights(xp, s, a)},
      jvp={"self": lambda xp, t, s, a:
          xp.sum(t * _lse_weights(xp, s, a), a["dim"], a.get("keepdim", False))},
      saves={"self": (), "result": ()},
      sym=lambda S, x, dim, keepdim=False, shape=None: S.logsumexp(x, dim, keepdim),
      dtype_rule="float", api=("function", "method"))


# ------------------------------------------------------- softmax, log_softmax
# Forwards and (plain) backwards are PyTorch's float32 CPU kernels, bit for bit
# (torch_float/softmax.py; other dtypes: the stable NumPy formulas of numerics.py).
# A recorded backward (create_graph) and the JVPs are the formulas, as derivatives.yaml
# writes them.
def _softmax_rule(xp, v, s, a):
    """y * (v - sum(v * y)): softmax's VJP (and JVP) on tensors."""
    y = s.result
    return y * (v - xp.sum(v * y, a["dim"], True))


def _kernel_applies(xp, grad, s) -> bool:
    """The backward kernel computes this VJP: plain arrays (not a recorded backward)."""
    return not xp.is_tensor and np.asarray(grad).dtype == np.float32 == s.result.dtype


def _softmax_vjp(xp, grad, s, a):
    """grad_input = y * (grad - sum(grad * y)) (``_softmax_backward_data``)."""
    if _kernel_applies(xp, grad, s):
        return _kernels.softmax_backward(grad, s.result, a["dim"])
    return _softmax_rule(xp, grad, s, a)


def _log_softmax_rule_vjp(xp, grad, s, a):
    """grad - exp(y) * sum(grad) (``_log_softmax_backward_data``)."""
    if _kernel_applies(xp, grad, s):
        return _kernels.log_softmax_backward(grad, s.result, a["dim"])
    return grad - xp.exp(s.result) * xp.sum(grad, a["dim"], True)


def _lse_jvp(xp, x, t, dim):
    """``logsumexp_jvp(self_p, self_t, {dim}, true)`` of PyTorch's FunctionsManual.cpp:
    ``sum(e * t) / sum(e)`` with ``e = exp(x - amax(x))``, in its order (plain arrays)."""
    e = xp.exp(x - np.amax(x, axis=dim, keepdims=True) if np.size(x) else x)
    return xp.sum(e * t, dim, True) / xp.sum(e, dim, True)


def _softmax_jvp(xp, t, s, a):
    """result * (t - logsumexp_jvp(self, t)) (derivatives.yaml); on tensors, the same
    tangent from the saved result."""
    if xp.is_tensor:
        return _softmax_rule(xp, t, s, a)
    return s.result * (t - _lse_jvp(xp, s.self, t, a["dim"]))


def _log_softmax_rule_jvp(xp, t, s, a):
    """t - logsumexp_jvp(self, t) (derivatives.yaml); on tensors, from the saved result."""
    if xp.is_tensor:
        return t - xp.sum(xp.exp(s.result) * t, a["dim"], True)
    return t - _lse_jvp(xp, s.self, t, a["dim"])


defop("softmax", "SoftmaxBackward0", ELEMENTWISE, "self",
      forward=_kernels.softmax, vjp={"self": _softmax_vjp}, jvp={"self": _softmax_jvp},
      saves={"result": ()},
      sym=lambda S, x, dim: S.softmax(x, dim), dtype_rule="float", api=("function", "method", "nn"))

defop("log_softmax", "LogSoftmaxBackward0", ELEMENTWISE, "self",
      forward=_kernels.log_softmax, vjp={"self": _log_softmax_rule_vjp},
      jvp={"self": _log_softmax_rule_jvp},
      saves={"result": ()}, sym=lambda S, x, dim: S.log_softmax(x, dim), dtype_rule="float",
      api=("function", "method", "nn"))


# --------------------------------------------------------------------- losses
def _reduce(xp, v, reduction):
    if reduction == "none":
        return v
    total = xp.sum(v)
    return total / int(np.prod(v.shape)) if reduction == "mean" else total


def _unreduce_scale(grad, reduction, numel):
    """The incoming cotangent per element (a scalar for mean/sum)."""
    return grad / numel if reduction == "mean" else grad


def _numel(a):
    return int(np.prod(a["shape"])) if a["shape"] else 1


def _mse_vjp(sign):
    def vjp(xp, grad, s, a):
        # mse_loss_backward: norm * (self - target) * grad, norm = 2/numel (mean) or 2
        norm = 2 * sign / _numel(a) if a["reduction"] == "mean" else 2 * sign
        return (s.self - s.target) * norm * grad
    return vjp


def _mse_jvp(sign):
    def jvp(xp, t, s, a):
        return _reduce(xp, (s.self - s.target) * (2 * sign) * t, a["reduction"])
    return jvp


def _mse_forward(x, y, reduction="mean", shape=None):
    d = (x - y) ** 2
    if reduction == "none":
        return d
    axes = tuple(range(d.ndim))  # PyTorch's cascade sum (and mean = sum / numel)
    return _tf.cascade_mean(d, axes, False) if reduction == "mean" else \
        _tf.cascade_sum(d, axes, False)


def _mse_sym(S, x, y, reduction="mean", shape=None):
    d = (x - y) ** 2
    return d if reduction == "none" else S.mean(d, None, False) if reduction == "mean" \
        else S.sum(d, None, False)


defop("mse_loss", "MseLossBackward0", REDUCTION, "self target",
      forward=_mse_forward, vjp={"self": _mse_vjp(1), "target": _mse_vjp(-1)},
      jvp={"self": _mse_jvp(1),
                                                                  "target": _mse_jvp(-1)},
      saves={"self": (), "target": ()}, sym=_mse_sym, dtype_rule="float", api=("nn",))

EPSILON = 1e-12  # PyTorch's clamp of x * (1 - x) in binary_cross_entropy_backward


def _weighted(v, a):
    w = a.get("weight")
    return v if w is None else v * w


def _bce_dself(xp, s, a):
    """d bce / d x = (x - y) / max(x (1 - x), eps)."""
    x = s.self
    return _weighted((x - s.target) / xp.clamp((1 - x) * x, EPSILON), a)


def _bce_dtarget(xp, s, a):
    """d bce / d y = log(1 - x) - log(x), each log clamped at -100."""
    x = s.self
    return _weighted(xp.clamp(xp.log(1 - x), -100) - xp.clamp(xp.log(x), -100), a)


def _bce_forward(x, y, reduction="mean", weight=None, shape=None):
    with np.errstate(divide="ignore"):
        v = -(y * np.maximum(np.log(x), -100) + (1 - y) * np.maximum(np.log1p(-x), -100))
    if weight is not None:
        v = v * weight
    return v if reduction == "none" else v.mean() if reduction == "mean" else v.sum()


def _bce_sym(S, x, y, reduction="mean", weight=None, shape=None):
    v = -(y * S.log(x) + (1 - y) * S.log(1 - x))
    if weight is not None:
        v = v * weight
    return v if reduction == "none" else S.mean(v, None, False) if reduction == "mean" \
        else S.sum(v, None, False)


defop("binary_cross_entropy", "BinaryCrossEntropyBackward0", REDUCTION, "self target",
      forward=_bce_forward,
      vjp={"self": lambda xp, grad, s, a: _unreduce_scale(grad, a["reduction"], _numel(a))
           * _bce_dself(xp, s, a),
           "target": lambda xp, grad, s, a: _unreduce_scale(grad, a["reduction"], _numel(a))
           * _bce_dtarget(xp, s, a)},
      jvp={"self": lambda xp, t, s, a: _reduce(xp, _bce_dself(xp, s, a) * t, a["reduction"]),
           "target": lambda xp, t, s, a: _reduce(xp, _bce_dtarget(xp, s, a) * t, a["reduction"])},
      saves={"self": (), "target": ()}, sym=_bce_sym, dtype_rule="float", api=("nn",))


# -------------------------------------------------------------------- nll_loss
# ``attrs["coef"]`` is the constant d loss / d input: -weight[target] (over the
# total weight for "mean") at each target class, zero elsewhere and at
# ignore_index. The rules are then one product: linear in the input. The
# target is an input without a gradient edge, so that the formula picks the
# labelled entries with ``one_hot(target)`` and does not grow with the batch;
# value-less (symbolic) calls have only the attributes that need no values.
def _nll_forward(x, target, cdim, coef, picked_weight, reduction, index, kept=None,
                 weight=None, **_):
    picked = np.squeeze(np.take_along_axis(x, index, axis=cdim), cdim) if x.ndim > 1 \
        else x[index]
    with np.errstate(invalid="ignore"):
        skip = picked_weight == 0 if kept is None else ~kept.reshape(np.shape(picked_weight))
        v = np.where(skip, 0.0, -picked * picked_weight).astype(x.dtype)
    if reduction == "none" and (x.ndim != 1 or kept is None):
        return v
    if kept is not None:  # PyTorch's own order of additions (1-d: also "none")
        total, total_weight = nll_cascade_sum(np.reshape(picked, -1), kept.reshape(-1),
                                              weight is not None, picked_weight.reshape(-1))
    else:
        total, total_weight = v.sum(), picked_weight.sum()
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            total = total / total_weight
    return total


def nll_cascade_sum(picked: np.ndarray, kept: np.ndarray, weighted: bool,
                    weights: np.ndarray, losses: bool = True) -> tuple[np.generic, np.generic]:
    """The loss ``sum(-w * x)`` and weight total of ``nll_loss`` over a batch (the
    targets in C order) as PyTorch's ``nll_loss_out_frame`` and
    ``nll_loss2d_forward_out_frame`` add them: a cascade of 8 partial sums, the
    first taking each kept sample (``loss -= x * w``), carried up a level after
    every ``2**max(4, ceil(log2(B)) // 8)`` samples; the total weight is the count
    of kept samples without ``weight`` (then ``losses=False`` returns at once, with a
    zero loss).

    >>> x = np.float32([0.1, 0.2, 0.3])
    >>> nll_cascade_sum(x, np.ones(3, bool), False, np.ones(3, np.float32))
    (np.float32(-0.6), np.float32(3.0))
    """
    dtype = picked.dtype.type
    batch = picked.shape[0]
    if not (losses or weighted):
        return dtype(0), dtype(int(np.count_nonzero(kept[:batch])))
    power = max(4, int(np.ceil(np.log2(batch))) // 8 if batch > 1 else 0)
    mask = (1 << power) - 1
    loss, wsum = [dtype(0)] * 8, [dtype(0)] * 8
    with np.errstate(all="ignore"):
        for b in range(batch):
            if not kept[b]:
                continue
            if weighted:
                loss[0] = loss[0] - picked[b] * weights[b]
                wsum[0] = wsum[0] + weights[b]
            else:
                loss[0] = loss[0] - picked[b]
            for j in range(7):
                if b & (mask << (j * power)):
                    break
                wsum[j + 1], loss[j + 1] = wsum[j + 1] + wsum[j], loss[j + 1] + loss[j]
                wsum[j], loss[j] = dtype(0), dtype(0)
        total, total_weight = dtype(0), dtype(int(np.count_nonzero(kept[:batch])))
        for part in loss:
            total = total + part
        if weighted:
            total_weight = dtype(0)
            for part in wsum:
                total_weight = total_weight + part
    return total, total_weight


def _nll_vjp(xp, grad, s, a):
    if not xp.is_tensor and a.get("kept") is not None:
        return _nll_backward(np.asarray(grad, dtype=a["coef"].dtype), a)
    if a["reduction"] == "none":
        grad = xp.unsqueeze(grad, a["cdim"]) if grad.ndim else grad
    return grad * a["coef"]


def _nll_backward(grad: np.ndarray, a: dict) -> np.ndarray:
    """PyTorch's ``nll_loss_backward`` (and ``nll_loss2d_backward``): zeros, and at each kept
    target ``-w * grad[i]`` (``none``), or ``w * -(grad / total_weight)`` (``mean``)
    or ``w * -grad`` (``sum``); ``w`` is 1 without a weight."""
    weighted = a["weight"] is not None
    with np.errstate(divide="ignore", invalid="ignore"):
        if a["reduction"] == "none":
            vals = -a["picked_weight"] * grad if weighted else -grad
        else:
            scale = -(grad / a["total_weight"]) if a["reduction"] == "mean" else -grad
            vals = a["picked_weight"] * scale if weighted else np.broadcast_to(
                scale, a["kept"].shape)
    vals = np.where(a["kept"], vals, 0).astype(a["coef"].dtype)
    out = np.zeros(a["coef"].shape, a["coef"].dtype)
    if out.ndim > 1:
        np.put_along_axis(out, a["index"], np.expand_dims(vals, a["cdim"]), axis=a["cdim"])
    else:
        out[a["index"]] = vals.reshape(np.shape(a["index"]))
    return out


def _nll_jvp(xp, t, s, a):
    if a["reduction"] == "none":
        return xp.sum(t * a["coef"], a["cdim"]) if t.ndim > 1 else xp.sum(t * a["coef"])
    return xp.sum(t * a["coef"])


def _nll_sym(S, x, target, cdim, reduction, classes, ndim, weight=None, ignore_index=-100,
             ignored=False, **_):
    """``-sum(w * one_hot(target) * x, cdim)``, reduced; ``mean`` divides by the total
    weight of the labels (a plain ``mean`` when no label is ignored and there is no
    weight; a value-less target is taken to hold no ``ignore_index``)."""
    if 0 <= ignore_index < classes:  # an ignored real class: weight 0
        weight = (np.ones(classes) if weight is None else np.array(weight, dtype=float))
        weight[ignore_index] = 0.0
    pick = S.one_hot(target, classes, cdim)
    if weight is not None:
        w = np.reshape(np.asarray(weight, dtype=float), (classes,) + (1,) * (ndim - cdim - 1))
        pick = pick * S.constant("weight", w)
    v = -S.sum(pick * x, cdim, False)
    if reduction == "none":
        return v
    if reduction == "mean":
        if weight is None and not ignored:
            return S.mean(v, None, False)
        return S.sum(v, None, False) / S.sum(pick, None, False)
    return S.sum(v, None, False)


defop("nll_loss", lambda inputs, a: "NllLoss2DBackward0" if inputs[0].ndim >= 3
      else "NllLossBackward0", REDUCTION, "self target", no_edge=("target",),
      forward=_nll_forward, vjp={"self": _nll_vjp}, jvp={"self": _nll_jvp}, saves={},
      sym=_nll_sym, dtype_rule="same", api=("nn",), aliases=("cross_entropy",))


def nll_attrs(x: np.ndarray, target: np.ndarray, weight: np.ndarray | None, ignore_index: int,
              reduction: str) -> dict:
    """The attributes of an ``nll_loss`` call (``target`` already validated).

    >>> a = nll_attrs(np.zeros((2, 3)), np.array([2, 0]), None, -100, "mean")
    >>> a["coef"].tolist()
    [[0.0, 0.0, -0.5], [-0.5, 0.0, 0.0]]
    """
    cdim = 1 if x.ndim > 1 else 0
    keep = target != ignore_index
    safe = np.where(keep, target, 0).astype(np.int64)
    w = np.ones(x.shape[cdim], dtype=x.dtype) if weight is None else weight.astype(x.dtype)
    picked_weight = np.where(keep, w[safe], 0).astype(x.dtype)
    index = np.expand_dims(safe, cdim) if x.ndim > 1 else safe
    coef = np.zeros(x.shape, dtype=x.dtype)
    if x.ndim > 1:
        np.put_along_axis(coef, index, np.expand_dims(-picked_weight, cdim), axis=cdim)
    else:
        coef[safe] = -picked_weight
    total_weight = None  # PyTorch's: the kept count, or the cascade sum of their weights
    if reduction != "none":
        _, total_weight = nll_cascade_sum(np.zeros(keep.size, x.dtype), keep.reshape(-1),
                                          weight is not None, picked_weight.reshape(-1),
                                          losses=False)
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):
            coef = coef / picked_weight.sum()
    return {"cdim": cdim, "coef": coef, "picked_weight": picked_weight,
            "reduction": reduction, "index": index, "classes": int(x.shape[cdim]), "ndim": x.ndim,
            "weight": weight, "ignore_index": int(ignore_index),
            "ignored": bool(np.any(target == ignore_index)), "kept": np.atleast_1d(keep),
            "total_weight": total_weight}


__all__ = ["EPSILON", "OPS", "nll_attrs", "nll_cascade_sum"]
