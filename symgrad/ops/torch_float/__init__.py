"""PyTorch 2.13's float32 CPU numbers, bit for bit, for the eager tape's forwards.

Tutorials print ``loss.item()`` with every digit, so a last-bit difference from
PyTorch shows. NumPy's float32 ``sum``, ``exp``, ``sin``... round differently
from PyTorch's CPU kernels; these functions do what those kernels do:

- :func:`cascade_sum`, :func:`cascade_mean`, :func:`cascade_sum_to`: ``SumKernel.cpp``'s
  order of additions;
- :func:`exp`, :func:`log`, :func:`sin`, :func:`cos`, :func:`tanh`, :func:`tan`,
  :func:`sqrt`, :func:`erf`: PyTorch calls MKL's VML (high-accuracy mode) for these.
  Where MKL 2024.2 is installed (:mod:`.mkl`, the ``mkl`` wheel) symgrad calls it
  too, and matches every bit; without it they are computed in float64 and rounded
  once, the correctly rounded value, which VML's is for all but 0.1-17% of inputs;
- :func:`.products.matmul`, :func:`.products.addmm`: PyTorch's dispatch of a
  product to MKL's ``sdot``/``sgemv``/``sgemm``/batched ``sgemm`` (or its plain loop
  for small batched products), where MKL is installed;
- :func:`sigmoid`: ``Vectorized<float>`` arithmetic around SLEEF's ``expf`` (u10),
  reproduced step by step (:mod:`.sleef`);
- :func:`pow_scalar`: ``PowKernel.cpp``'s special exponents (``x*x``, ``x*x*x``,
  ``1/x``, ``1/(x*x)``, ``rsqrt``) and SLEEF's ``powf`` for the others (:mod:`.sleef_pow`).
- :mod:`.softmax`: ``SoftMaxKernel.cpp``'s ``softmax``/``log_softmax`` and their
  backwards, vector lanes, reductions, SLEEF's ``expf``/``logf`` (:mod:`.sleef_log`)
  and the C library's ``expf`` where the kernels do, for every dim.
- :mod:`.activations`: ``Activation.cpp``'s ``silu``, ``gelu``, ``elu``, ``softplus``,
  ``log_sigmoid``, ``mish``, ``hardswish``, ``hardsigmoid``, forwards and backwards
  (SLEEF's ``expm1f``, ``log1pf``, ``tanhf``: :mod:`.sleef_u10`; oneDNN's ``gelu_erf``
  for ``gelu``: :mod:`.onednn`); :mod:`.losses`: the ``smooth_l1``/``huber`` kernels
  and ``Loss.cpp``'s ``binary_cross_entropy_with_logits``.

PyTorch's elementwise loops run 32 floats at a time through the vector code and
the last ``n % 32`` through the scalar code (the C library's ``expf``, ``pow``):
:func:`sigmoid` and :func:`pow_scalar` do the same.

Past 32768 elements (:data:`.unary.GRAIN`, PyTorch's grain size: its loops split
across threads there, each chunk with its own tail, so exactness is lost anyway) the
elementwise functions without MKL take NumPy's fast float32 path (VML's results do not
depend on the split); the sums stay exact (5 ms per
10^6 values). float64 and other dtypes go to NumPy unchanged. The symbolic kernels keep plain
NumPy: this is for the tape only.

>>> import numpy as np
>>> float(exp(np.float32([2.0]))[0]), float(np.exp(np.float32(2.0)))  # PyTorch: the first
(7.389056205749512, 7.3890557289123535)
"""

from __future__ import annotations

from . import activations, losses, mkl, onednn, products, softmax
from .cascade import cascade_mean, cascade_sum, cascade_sum_to
from .sleef import fma32
from .unary import cos, erf, exp, log, pow_scalar, sigmoid, sin, sqrt, tan, tanh

__all__ = ["cascade_mean", "cascade_sum", "cascade_sum_to", "cos", "erf", "exp", "fma32", "log",
           "pow_scalar", "sigmoid", "sin", "sqrt", "tan", "tanh"]
