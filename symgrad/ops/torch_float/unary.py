"""PyTorch's float32 CPU ``exp``, ``log``, ``sin``, ``cos``, ``tanh``, ``sigmoid``
and ``pow`` with a number exponent.

``exp``/``log``/``sin``/``cos``/``tanh`` go through MKL's VML in PyTorch
(``aten/src/ATen/cpu/vml.h``, ``VML_HA``): nearly always the correctly rounded
value, which is what float64 evaluation rounded once gives. ``sigmoid`` is
``1 / (1 + exp(-x))`` in ``Vectorized<float>`` with SLEEF's ``expf``.
Other dtypes: NumPy.

>>> import numpy as np
>>> x = np.float32([1.0, 2.0])
>>> [float(v) for v in exp(x)]  # NumPy's float32 exp: 2.7182819843292236, 7.3890557289123535
[2.7182817459106445, 7.389056205749512]
"""

from __future__ import annotations

import ctypes
import ctypes.util

import numpy as np

from ..numerics import erf as _erf
from . import mkl
from .sleef import expf
from .sleef_pow import powf

f32 = np.float32
_VEC_LOOP = 32  # cpu_kernel_vec's step: two 16-float AVX512 vectors


# PyTorch's at::internal::GRAIN_SIZE: past it, its loops split across threads, each
# chunk with its own vector/scalar tail, so bit-exactness is lost there anyway; such
# big arrays take NumPy's fast float32 path (the exact paths cost 10-300x NumPy)
GRAIN = 32768


def _rounded(name: str, f):
    """``torch.<name>`` on float32: MKL's VML where it is loaded (PyTorch's own
    call, every bit), else ``f`` in float64 rounded once (the correctly rounded
    value, which VML gives for all but 0.1-17% of inputs), NumPy's float32 past
    :data:`GRAIN`. float64: VML's double-precision function with MKL, else ``f``.
    Other dtypes: ``f``."""
    def g(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x)
        if x.dtype != f32:
            if x.dtype == np.float64 and mkl.available():  # float64: VML's vmd* too
                return mkl.vml(name, x)
            return f(x)
        if mkl.available():
            return mkl.vml(name, x)
        if x.size > GRAIN:
            return f(x)
        return f(x.astype(np.float64)).astype(f32)
    g.__name__ = name
    g.__doc__ = (f"``torch.{name}`` on float32: MKL's VML as PyTorch calls it (or float64 "
                 "rounded once without MKL).")
    return g


exp = _rounded("exp", np.exp)
log = _rounded("log", np.log)
sin = _rounded("sin", np.sin)
cos = _rounded("cos", np.cos)
tanh = _rounded("tanh", np.tanh)
tan = _rounded("tan", np.tan)
sqrt = _rounded("sqrt", np.sqrt)
erf = _rounded("erf", _erf)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``torch.sigmoid`` (float32): PyTorch's loop (``cpu_kernel_vec``) takes 32
    elements at a time through ``Vectorized<float>``, ``(1 + exp(-x)).reciprocal()``
    with SLEEF's ``expf``, and the last ``n % 32`` through the scalar
    ``1 / (1 + std::exp(-x))`` (the correctly rounded ``expf``). Other dtypes: NumPy,
    stable in both tails.

    >>> s = sigmoid(np.full(33, -4.53, np.float32))  # PyTorch 2.13 prints the same
    >>> float(s[0]), float(s[32])
    (0.010665691457688808, 0.010665690526366234)
    """
    x = np.asarray(x)
    if x.dtype != f32:
        if x.dtype == np.float64:  # PyTorch's formula (its float64 exp is SLEEF's expd)
            with np.errstate(over="ignore"):
                return 1.0 / (1.0 + np.exp(-x))
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    if x.size > GRAIN:  # (see GRAIN) PyTorch's formula in NumPy's float32
        with np.errstate(over="ignore"):
            return f32(1) / (f32(1) + np.exp(-x))
    with np.errstate(over="ignore"):
        return _vector_loop(x, lambda v: f32(1) / (f32(1) + expf(-v)),
                            lambda v: f32(1) / (f32(1) + libm_expf(-v)))


def pow_scalar(x: np.ndarray, exponent: float) -> np.ndarray:
    """``x ** exponent`` as ``PowKernel.cpp``: for float32 and float64 the exponents
    2, 3, -1, -2 and -0.5 are products and quotients (``x * x * x``...); other
    float32 powers are SLEEF's ``powf`` in blocks of 32 and the correctly rounded
    power for the rest (``std::pow``), except 0.5: ``sqrt`` (PyTorch's comes from
    MKL and differs in the last bit for some inputs). float64: NumPy's power.

    >>> x = np.float32([1.1, 3.7])
    >>> pow_scalar(x, 3).tolist() == (x * x * x).tolist(), (x ** 3).tolist() == (x * x * x).tolist()
    (True, False)
    """
    x = np.asarray(x)
    if x.dtype not in (f32, np.float64) or isinstance(exponent, complex):
        return x ** exponent
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if exponent == 2:
            return x * x
        if exponent == 3:
            return x * x * x
        one = x.dtype.type(1)
        if exponent == -1:
            return one / x
        if exponent == -2:
            return one / (x * x)
        if exponent == -0.5:
            return one / np.sqrt(x)
        if x.dtype == np.float64:
            return np.power(x, float(exponent))
        if exponent == 0.5:  # PyTorch's sqrt here is MKL's (not always correctly rounded)
            return sqrt(x)
        if x.size > GRAIN:  # (see GRAIN)
            return np.power(x, f32(exponent))
        return _vector_loop(x, lambda v: powf(v, f32(exponent)),
                            lambda v: np.power(v.astype(np.float64), float(exponent)).astype(f32))


def _load_expf():
    path = ctypes.util.find_library("m")
    try:
        fn = ctypes.CDLL(path).expf if path else None
    except (OSError, AttributeError):
        fn = None
    if fn is not None:
        fn.restype, fn.argtypes = ctypes.c_float, [ctypes.c_float]
    return fn


_EXPF = _load_expf()


def libm_expf(x: np.ndarray) -> np.ndarray:
    """The C library's ``expf``, what PyTorch's scalar loops call (``std::exp`` of a
    float): glibc's is within 0.502 ulp, so not always the correctly rounded value.
    Used for loop tails only (fewer than 32 elements); without a C ``expf``, the
    correctly rounded value.

    >>> float(libm_expf(np.float32([1.0]))[0])
    2.7182817459106445
    """
    x = np.asarray(x, dtype=f32)
    if _EXPF is None or x.size > 4 * _VEC_LOOP:
        return exp(x)
    return np.array([_EXPF(float(v)) for v in x.reshape(-1)], dtype=f32).reshape(x.shape)


def _vector_loop(x: np.ndarray, vec, scalar) -> np.ndarray:
    """``cpu_kernel_vec`` on a contiguous float32 array: ``vec`` on the leading
    multiple of 32 elements, ``scalar`` on the rest."""
    flat = x.reshape(-1)
    main = flat.size - flat.size % _VEC_LOOP
    out = np.empty(flat.size, f32)
    out[:main] = vec(flat[:main])
    out[main:] = scalar(flat[main:])
    return out.reshape(x.shape)


__all__ = ["cos", "erf", "exp", "log", "pow_scalar", "sigmoid", "sin", "sqrt", "tan", "tanh"]
