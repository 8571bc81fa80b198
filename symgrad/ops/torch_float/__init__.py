"""PyTorch 2.13's float32 CPU numbers, bit for bit, for the eager tape's forwards.

Tutorials print ``loss.item()`` with every digit, so a last-bit difference from
PyTorch shows. NumPy's float32 ``sum``, ``exp``, ``sin``... round differently
from PyTorch's CPU kernels; these functions do what those kernels do:

- :func:`cascade_sum`, :func:`cascade_mean`, :func:`cascade_sum_to`: ``SumKernel.cpp``'s
  order of additions;
- :func:`exp`, :func:`log`, :func:`sin`, :func:`cos`, :func:`tanh`: PyTorch calls
  MKL's VML (high-accuracy mode) for these; its results are the correctly rounded
  ones for all but about 1% of inputs, so they are computed in float64 and rounded
  once (MKL's own polynomials are not public);
- :func:`sigmoid`: ``Vectorized<float>`` arithmetic around SLEEF's ``expf`` (u10),
  reproduced step by step (:mod:`.sleef`);
- :func:`pow_scalar`: ``PowKernel.cpp``'s special exponents (``x*x``, ``x*x*x``,
  ``1/x``, ``1/(x*x)``, ``rsqrt``) and SLEEF's ``powf`` for the others (:mod:`.sleef_pow`).

PyTorch's elementwise loops run 32 floats at a time through the vector code and
the last ``n % 32`` through the scalar code (the C library's ``expf``, ``pow``):
:func:`sigmoid` and :func:`pow_scalar` do the same.

Past 32768 elements (:data:`.unary.GRAIN`, PyTorch's grain size: its loops split
across threads there, each chunk with its own tail, so exactness is lost anyway) the
elementwise functions take NumPy's fast float32 path; the sums stay exact (5 ms per
10^6 values). float64 and other dtypes go to NumPy unchanged. The symbolic kernels keep plain
NumPy: this is for the tape only.

>>> import numpy as np
>>> float(exp(np.float32([2.0]))[0]), float(np.exp(np.float32(2.0)))  # PyTorch: the first
(7.389056205749512, 7.3890557289123535)
"""

from __future__ import annotations

from .cascade import cascade_mean, cascade_sum, cascade_sum_to
from .unary import cos, exp, log, pow_scalar, sigmoid, sin, tanh

__all__ = ["cascade_mean", "cascade_sum", "cascade_sum_to", "cos", "exp", "log", "pow_scalar",
           "sigmoid", "sin", "tanh"]
