"""The one copy of each numerically stable NumPy function.

The op table's forwards, the symbolic nodes' NumPy meaning and the kernels'
preamble all use these (a kernel pastes their source, see
:mod:`symgrad.kernels.known`), so each is written and tested once. Every
function keeps a floating dtype (float32 in, float32 out), handles ``±inf``
and empty arrays, and refers to nothing but ``np``, ``math`` and the other
functions here, so that its source also runs on its own. Annotations name
only ``np`` and builtins for the same reason.

>>> x = np.array([-1000., 0., 1000.], dtype=np.float32)
>>> sigmoid(x).tolist(), sigmoid(x).dtype
([0.0, 0.5, 1.0], dtype('float32'))
>>> float(logsumexp(np.array([1000., 1000.]), 0))
1000.6931471805599
>>> softmax(np.array([1000., 1000.]), 0).tolist()
[0.5, 0.5]
"""

from __future__ import annotations

import math

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-x))``, stable in both tails: ``exp`` only ever sees ``-|x|``.

    >>> sigmoid(np.array([-800., 0., 800., -np.inf])).tolist()
    [0.0, 0.5, 1.0, 0.0]
    """
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def step(x: np.ndarray, h0: float = 0.0) -> np.ndarray:
    """Heaviside step: 1 where ``x > 0``, ``h0`` where ``x == 0``, else 0, in
    ``x``'s floating dtype (the derivative of ``relu``, ``abs`` and ``clamp``).

    >>> step(np.array([-2., 0., 3.], dtype=np.float32), 0.5)
    array([0. , 0.5, 1. ], dtype=float32)
    """
    out = np.where(x > 0, 1.0, np.where(x == 0, h0, 0.0))
    return out.astype(np.result_type(x, 1.0), copy=False)


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, elementwise (``math.erf``: NumPy has none), in
    ``x``'s floating dtype.

    >>> erf(np.array([-np.inf, 0., 0.5])).round(6).tolist()
    [-1.0, 0.0, 0.5205]
    """
    x = np.asarray(x)
    return np.asarray(np.frompyfunc(math.erf, 1, 1)(x), dtype=np.result_type(x, 1.0))


def _axes(dim: int | tuple[int, ...] | None) -> tuple[int, ...] | None:
    """``dim`` as NumPy's ``axis``: ``None`` (every axis) or a tuple of ints.

    >>> _axes(1), _axes([0, -1]), _axes(None)
    ((1,), (0, -1), None)
    """
    if dim is None or type(dim) is tuple:  # the common case, kept cheap
        return dim
    if isinstance(dim, (int, np.integer)):
        return (int(dim),)
    return tuple(int(d) for d in dim)


def _kept_max(x: np.ndarray, axis: tuple[int, ...] | None) -> np.ndarray:
    """``amax`` over ``axis`` kept as size-1 axes; zeros for an empty ``x``
    (where ``amax`` has nothing to reduce)."""
    if np.size(x) == 0:
        return np.zeros_like(np.sum(x, axis=axis, keepdims=True))
    return np.amax(x, axis=axis, keepdims=True)


def shift_max(x: np.ndarray, dim: int | tuple[int, ...] | None) -> np.ndarray:
    """The shift that keeps ``exp`` finite in ``logsumexp``: the max over
    ``dim`` (kept as size-1 axes), with a non-finite max (a row of ``-inf``,
    or an ``inf``) and an empty ``x`` shifting by 0.

    >>> shift_max(np.array([[1., 5.], [-np.inf, -np.inf]]), 1).tolist()
    [[5.0], [0.0]]
    >>> shift_max(np.zeros((0, 3)), 0).shape
    (1, 3)
    """
    m = _kept_max(x, _axes(dim))
    return np.where(np.isfinite(m), m, 0)


def logsumexp(x: np.ndarray, dim: int | tuple[int, ...] | None, keepdim: bool = False,
              shape: tuple[int, ...] | None = None) -> np.ndarray:
    """``log(sum(exp(x), dim))`` without overflow (shifted by the max). An
    empty or all ``-inf`` reduction gives ``-inf``, as in PyTorch. ``shape``
    is ignored: the op table passes the input's shape to every reduction.

    >>> logsumexp(np.array([[0., 0.], [1000., -np.inf]]), 1).tolist()
    [0.6931471805599453, 1000.0]
    >>> float(logsumexp(np.zeros(0), 0)), logsumexp(np.ones((2, 3)), None, True).shape
    (-inf, (1, 1))
    """
    axis = _axes(dim)
    m = shift_max(x, axis)
    with np.errstate(divide="ignore"):  # log(0) = -inf is the answer, not an accident
        out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdim else np.squeeze(out, axis=axis)


def softmax(x: np.ndarray, dim: int | None) -> np.ndarray:
    """``exp(x) / sum(exp(x), dim)`` without overflow (shifted by the max).
    As in PyTorch, a row of ``-inf`` or with an ``inf`` gives ``nan``, silently.

    >>> softmax(np.array([[1000., 1000.], [-np.inf, 0.]], dtype=np.float32), 1)
    array([[0.5, 0.5],
           [0. , 1. ]], dtype=float32)
    """
    axis = _axes(dim)
    with np.errstate(invalid="ignore"):  # inf - inf, 0/0
        e = np.exp(x - _kept_max(x, axis))
        return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x: np.ndarray, dim: int | None) -> np.ndarray:
    """``x - logsumexp(x, dim)`` without overflow (shifted by the max). As in
    PyTorch, a row of ``-inf`` or with an ``inf`` gives ``nan``, silently.

    >>> log_softmax(np.array([1000., 1000., -np.inf]), 0).round(6).tolist()
    [-0.693147, -0.693147, -inf]
    """
    axis = _axes(dim)
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0), inf - inf
        z = x - _kept_max(x, axis)
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


__all__ = ["erf", "log_softmax", "logsumexp", "shift_max", "sigmoid", "softmax", "step"]
