"""PyTorch's float32 CPU ``exp``, ``log``, ``sin``, ``cos``, ``tanh``, ``sigmoid``
and ``pow`` with a number exponent.

``exp``/``log``/``sin``/``cos``/``tanh`` go through MKL's VML in PyTorch
(``aten/src/ATen/cpu/vml.h``, ``VML_HA``): nearly always the correctly rounded
value, which is what float64 evaluation rounded once gives. ``sigmoid`` is
``1 / (1 + exp(-x))`` in ``Vectorized<float>`` with SLEEF's ``expf``.
Other dtypes: NumPy.

>>> import numpy as np
>>> x = np.float32([0.5, 2.0])
>>> [float(v) for v in sigmoid(x)], pow_scalar(x, 3).tolist()
([0.622459352016449, 0.8807970285415649], [0.125, 8.0])
"""

from __future__ import annotations

import numpy as np

from .sleef import expf

f32 = np.float32


def _rounded(f):
    def g(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.dtype != f32:
            return f(x)
        return f(x.astype(np.float64)).astype(f32)
    g.__name__ = f.__name__
    g.__doc__ = f"``torch.{f.__name__}``: float32 computed in float64 and rounded once."
    return g


exp = _rounded(np.exp)
log = _rounded(np.log)
sin = _rounded(np.sin)
cos = _rounded(np.cos)
tanh = _rounded(np.tanh)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``torch.sigmoid``: ``(1 + exp(-x)).reciprocal()`` with SLEEF's ``expf``
    (float32); float64 and others: NumPy, stable in both tails."""
    x = np.asarray(x)
    if x.dtype == f32:
        with np.errstate(over="ignore"):
            return f32(1) / (f32(1) + expf(-x))
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def pow_scalar(x: np.ndarray, exponent: float) -> np.ndarray:
    """``x ** exponent`` as ``PowKernel.cpp`` (float32): the exponents 2, 3, -1,
    -2 and -0.5 are products and quotients, others the correctly rounded power."""
    x = np.asarray(x)
    if x.dtype != f32 or isinstance(exponent, complex):
        return x ** exponent
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if exponent == 2:
            return x * x
        if exponent == 3:
            return x * x * x
        if exponent == -1:
            return f32(1) / x
        if exponent == -2:
            return f32(1) / (x * x)
        if exponent == -0.5:
            return f32(1) / np.sqrt(x)
        return np.power(x.astype(np.float64), float(exponent)).astype(f32)


__all__ = ["cos", "exp", "log", "pow_scalar", "sigmoid", "sin", "tanh"]
