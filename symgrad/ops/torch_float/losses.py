"""PyTorch 2.13's float32 CPU loss kernels, bit for bit: ``smooth_l1`` and ``huber``
(``BinaryOpsKernel.cpp``) and their backwards (``PointwiseOpsKernel.cpp``: a tail of 16
or more elements starts with one more vector, and the scalar code divides by ``beta``
in double precision), and ``binary_cross_entropy_with_logits`` as ``Loss.cpp`` composes
it from ``log_sigmoid`` (:func:`.activations.log_sigmoid`), ``sigmoid`` and arithmetic,
one rounding per op. The reductions (mean, sum) are the callers' cascade sums.

>>> import numpy as np
>>> smooth_l1(np.float32([0.5, 3.0]), np.float32([0.0, 0.0]), 1.0).tolist()
[0.125, 2.5]
"""

from __future__ import annotations

import numpy as np

from .activations import _quiet, libm, log_sigmoid
from .iteration import cpu_kernel_vec
from .sleef import expf
from .unary import GRAIN, sigmoid

f32 = np.float32


@_quiet
def smooth_l1(x: np.ndarray, t: np.ndarray, beta: float) -> np.ndarray:
    """``smooth_l1_kernel`` (unreduced): ``0.5 z z / beta`` below ``beta``, else
    ``z - 0.5 beta``, with ``z = |x - t|``."""
    z = np.abs(np.asarray(x) - np.asarray(t))
    b = z.dtype.type(beta)
    half = z.dtype.type(0.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(z < b, half * z * z / b, z - half * b)


@_quiet
def smooth_l1_backward(grad: np.ndarray, x: np.ndarray, t: np.ndarray, norm: float,
                       beta: float) -> np.ndarray:
    """``smooth_l1_backward_cpu_kernel``: ``norm * (±1 or d / beta) * grad``; the scalar
    tail multiplies in another order and divides by ``beta`` in double precision
    (``norm * d * grad / beta``)."""
    x, t = np.broadcast_arrays(np.asarray(x), np.asarray(t))
    d = x - t
    dt = d.dtype.type
    g = np.broadcast_to(np.asarray(grad, d.dtype), d.shape)
    nv, bv = dt(norm), dt(beta)
    with np.errstate(divide="ignore", invalid="ignore"):
        def vec(dd, gg):
            out = np.where(np.abs(dd) >= bv, np.where(dd > 0, dt(1), dt(-1)), dd / bv)
            return nv * out * gg

        def scalar(dd, gg):
            inner = (np.float64(nv * dd * gg) / float(beta)).astype(f32)
            return np.where(dd <= -bv, -nv * gg, np.where(dd >= bv, nv * gg, inner))
        if d.dtype != f32:
            return vec(d, g)
        return cpu_kernel_vec((x, t, g), vec, scalar, (d, g), half_vector_tail=True)


@_quiet
def huber(x: np.ndarray, t: np.ndarray, delta: float) -> np.ndarray:
    """``huber_kernel`` (unreduced): ``0.5 z z`` below ``delta``, else
    ``delta (z - 0.5 delta)``."""
    z = np.abs(np.asarray(x) - np.asarray(t))
    dv = z.dtype.type(delta)
    half = z.dtype.type(0.5)
    return np.where(z < dv, half * z * z, dv * (z - half * dv))


@_quiet
def huber_backward(grad: np.ndarray, x: np.ndarray, t: np.ndarray, norm: float,
                   delta: float) -> np.ndarray:
    """``huber_backward_cpu_kernel``: ``norm * (d or ±delta) * grad``; the scalar tail
    ``norm * grad * ±delta`` (``delta`` in double precision) or ``norm * d * grad``."""
    x, t = np.broadcast_arrays(np.asarray(x), np.asarray(t))
    d = x - t
    dt = d.dtype.type
    g = np.broadcast_to(np.asarray(grad, d.dtype), d.shape)
    nv, dv = dt(norm), dt(delta)

    def vec(dd, gg):
        out = np.where(np.abs(dd) >= dv, np.where(dd > 0, dt(1), dt(-1)) * dv, dd)
        return nv * out * gg

    def scalar(dd, gg):
        edge = (np.float64(nv * gg) * float(delta)).astype(f32)
        return np.where(dd <= -dv, -edge, np.where(dd >= dv, edge, nv * dd * gg))
    if d.dtype != f32:
        return vec(d, g)
    return cpu_kernel_vec((x, t, g), vec, scalar, (d, g), half_vector_tail=True)


# ---------------------------------------------------------------- binary_cross_entropy_with_logits
def _sigmoid(x: np.ndarray) -> np.ndarray:
    """``torch.sigmoid`` (:func:`.unary.sigmoid`) in ``TensorIterator``'s order, so that
    a transposed input takes its vector blocks from memory as PyTorch does."""
    if x.dtype != f32 or x.size > GRAIN:
        return sigmoid(x)
    one = f32(1)
    return cpu_kernel_vec((x,), lambda v: one / (one + expf(-v)),
                          lambda v: one / (one + libm("expf", -v)))


@_quiet
def bce_with_logits(x: np.ndarray, t: np.ndarray, weight: np.ndarray | None = None,
                    pos_weight: np.ndarray | None = None) -> np.ndarray:
    """The unreduced loss as ``Loss.cpp`` composes it, one rounding per op:
    ``(1 - t) * x - log_sigmoid(x) [* ((pw - 1) * t + 1)]``, then ``* weight``."""
    x, t = np.asarray(x), np.asarray(t)
    dt = x.dtype.type
    ls = log_sigmoid(x)[0]
    if pos_weight is not None:
        ls = ls * ((np.asarray(pos_weight, x.dtype) - dt(1)) * t + dt(1))
    loss = (dt(1) - t) * x - ls
    if weight is not None:
        loss = loss * np.asarray(weight, x.dtype)
    return loss


@_quiet
def bce_with_logits_backward(grad: np.ndarray, x: np.ndarray, t: np.ndarray,
                             weight: np.ndarray | None = None,
                             pos_weight: np.ndarray | None = None,
                             numel: int | None = None) -> np.ndarray:
    """``binary_cross_entropy_with_logits_backward``: ``(sigmoid(x) - t) * grad``
    (``((pw t + 1) - t) * sigmoid(x) - pw t`` with ``pos_weight``), ``* weight``, then
    ``/ numel`` for the mean."""
    x, t = np.asarray(x), np.asarray(t)
    dt = x.dtype.type
    sig = _sigmoid(x)
    if pos_weight is None:
        g = sig - t
    else:
        pt = np.asarray(pos_weight, x.dtype) * t
        g = ((pt + dt(1)) - t) * sig - pt
    g = g * np.asarray(grad, x.dtype)
    if weight is not None:
        g = g * np.asarray(weight, x.dtype)
    if numel is not None:
        g = g / dt(numel)
    return g


__all__ = ["bce_with_logits", "bce_with_logits_backward", "huber", "huber_backward",
           "smooth_l1", "smooth_l1_backward"]
