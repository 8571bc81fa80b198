"""PyTorch 2.13's float32 CPU activation kernels, bit for bit: ``silu``, ``gelu``
(both forms), ``elu`` (``selu``, ``celu``), ``softplus``, ``log_sigmoid``, ``mish``,
``hardswish``, ``hardsigmoid`` and their backwards
(``aten/src/ATen/native/cpu/Activation.cpp``, ``Elu.h``, ``Gelu.h``). The loss kernels
are in :mod:`.losses`.

- ``cpu_kernel_vec`` runs 32 floats at a time through the ``Vectorized<float>`` lambda
  and the last ``n % 32`` of each row through the scalar one, in ``TensorIterator``'s
  order (:mod:`.iteration`). The vector code calls SLEEF (``expf``, ``expm1f``, ``log1pf``,
  ``tanhf``: :func:`.sleef.expf`, :mod:`.sleef_u10`) and
  ``Vectorized<float>::erf`` (:func:`erf_vec`); the scalar code the C library
  (:func:`libm`).
- GCC fuses ``a * b + c`` into one FMA where the kernels' expressions allow it
  (:func:`.sleef.fma32`); which ones it fused was found by measurement.
- A contiguous float32 ``gelu(approximate="none")`` of two or more elements goes to
  oneDNN's JIT kernels instead (:mod:`.onednn`).

float64 and other dtypes: the plain formulas in NumPy.

>>> import numpy as np
>>> x = np.float32([-1.5, 0.25, 3.0])
>>> [round(float(v), 6) for v in silu(x)]
[-0.273638, 0.140544, 2.857723]
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import math
from collections.abc import Callable

import numpy as np

from .iteration import cpu_kernel_vec
from .sleef import expf, fma32
from .sleef_u10 import expm1f, log1pf, tanhf
from .unary import GRAIN

f32 = np.float32
_ONE = f32(1)
_HALF = f32(0.5)


def _quiet(fn: Callable) -> Callable:
    """Run a kernel with NumPy's floating-point warnings off: infinities and NaNs are
    values here, as in PyTorch's kernels (which never warn)."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    return wrapped


def _load_libm() -> ctypes.CDLL | None:
    path = ctypes.util.find_library("m")
    try:
        return ctypes.CDLL(path) if path else None
    except OSError:
        return None


_LIBM = _load_libm()
_LIBM_FNS: dict[str, Callable | None] = {}


def _libm_fn(name: str) -> Callable | None:
    if name not in _LIBM_FNS:
        fn = getattr(_LIBM, name, None) if _LIBM is not None else None
        if fn is not None:
            fn.restype, fn.argtypes = ctypes.c_float, [ctypes.c_float]
        _LIBM_FNS[name] = fn
    return _LIBM_FNS[name]


_FALLBACK = {"expf": np.exp, "erff": None, "expm1f": np.expm1, "log1pf": np.log1p,
             "tanhf": np.tanh}


def libm(name: str, x: np.ndarray) -> np.ndarray:
    """The C library's float function ``name`` (``expf``, ``erff``, ``expm1f``,
    ``log1pf``, ``tanhf``) elementwise: what PyTorch's scalar loop tails call
    (``std::exp`` of a float...). Without a C library, float64 rounded once.

    >>> float(libm("expf", np.float32([1.0]))[0])
    2.7182817459106445
    """
    x = np.asarray(x, dtype=f32)
    fn = _libm_fn(name)
    if fn is None:
        from ..numerics import erf
        f = _FALLBACK.get(name) or erf
        return np.asarray(f(x.astype(np.float64))).astype(f32)
    return np.array([fn(float(v)) for v in x.reshape(-1)], dtype=f32).reshape(x.shape)


# ---------------------------------------------------------------- Vectorized<float>::erf
_ERF_P = f32(0.3275911)
_ERF_C = [f32(v) for v in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)]


@_quiet
def erf_vec(x: np.ndarray) -> np.ndarray:
    """``Vectorized<float>::erf`` (``vec512_float.h``): Abramowitz-Stegun 7.1.26,
    ``1 - r(t) * t * exp(-x*x)`` with ``t = 1 / (1 + p|x|)``, SLEEF's ``expf``, FMAs
    as written, the sign put back.

    >>> [round(float(v), 6) for v in erf_vec(np.float32([-1.0, 0.0, 0.5]))]
    [-0.842701, 0.0, 0.5205]
    """
    x = np.asarray(x, dtype=f32)
    with np.errstate(all="ignore"):
        t = _ONE / fma32(_ERF_P, np.abs(x), _ONE)
        r = fma32(_ERF_C[0], t, _ERF_C[1])
        for c in _ERF_C[2:]:
            r = fma32(r, t, c)
        e = expf(-(x * x))
        out = fma32(-e * t, r, _ONE)
    return np.copysign(out, x)


def _float32(x: np.ndarray) -> bool:
    return x.dtype == f32 and x.size <= GRAIN


# ---------------------------------------------------------------- silu
@_quiet
def silu(x: np.ndarray) -> np.ndarray:
    """``x / (1 + exp(-x))`` as ``silu_kernel``. Other dtypes: NumPy.

    >>> float(silu(np.float32([1.0]))[0])
    0.7310585975646973
    """
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        if not _float32(x):
            return x / (1 + np.exp(-x))
        return _vector_loop(x, lambda v: v / (_ONE + expf(-v)),
                            lambda v: v / (_ONE + libm("expf", -v)))


@_quiet
def silu_backward(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``dy * s * (1 + x * (1 - s))`` with ``s = 1 / (1 + exp(-x))``, as
    ``silu_backward_kernel`` (the ``1 + x * (1 - s)`` fused)."""
    grad, x = np.broadcast_arrays(np.asarray(grad), np.asarray(x))
    with np.errstate(over="ignore"):
        if not _float32(x) or grad.dtype != f32:
            s = 1 / (1 + np.exp(-x))
            return grad * s * (1 + x * (1 - s))

        def body(ex):
            def f(dy, v):
                s = _ONE / (_ONE + ex(-v))
                return dy * s * fma32(v, _ONE - s, _ONE)
            return f
        return _pair_loop((grad, x), body(expf), body(lambda v: libm("expf", v)))


def _pair_loop(arrays: tuple[np.ndarray, ...], vec, scalar) -> np.ndarray:
    """``cpu_kernel_vec`` over ``arrays`` (PyTorch's input order, broadcast to one
    shape): ``vec(*parts)`` on what its vector code computes, ``scalar(*parts)`` on the
    rest (:mod:`.iteration`)."""
    return cpu_kernel_vec(arrays, vec, scalar)


def _vector_loop(x: np.ndarray, vec, scalar) -> np.ndarray:
    """:func:`_pair_loop` of a unary kernel (any layout: a transposed input is walked in
    memory order, as PyTorch does)."""
    return cpu_kernel_vec((x,), vec, scalar)


# ---------------------------------------------------------------- gelu
_SQRT1_2 = f32(1 / math.sqrt(2.0))
_GELU_BETA_ERF = f32(2 / math.sqrt(math.pi) * (1 / math.sqrt(2.0)) * 0.5)
_GELU_BETA_TANH = f32(math.sqrt(2.0) * (2 / math.sqrt(math.pi)) * 0.5)
_GELU_KAPPA = f32(0.044715)


@_quiet
def gelu(x: np.ndarray, approximate: str = "none") -> np.ndarray:
    """``x * 0.5 * (1 + erf(x / sqrt 2))`` as ``vectorized_gelu`` / ``scalar_gelu``
    (``approximate="tanh"``: the tanh form). Other dtypes: NumPy.

    >>> float(gelu(np.float32([1.0]))[0])
    0.8413447141647339
    """
    x = np.asarray(x)
    if approximate == "tanh":
        return _gelu_tanh(x)
    if not _float32(x):
        from ..numerics import erf
        return 0.5 * x * (1 + erf(x * (1 / math.sqrt(2.0))))
    return _vector_loop(x, lambda v: v * _HALF * (_ONE + erf_vec(v * _SQRT1_2)),
                        lambda v: v * _HALF * (_ONE + libm("erff", v * _SQRT1_2)))


@_quiet
def gelu_backward(grad: np.ndarray, x: np.ndarray, approximate: str = "none") -> np.ndarray:
    """``dy * (cdf + x * pdf)`` as ``GeluBackwardKernelImpl`` (the vector code fuses the
    sum into an FMA, the scalar code does not)."""
    grad, x = np.broadcast_arrays(np.asarray(grad), np.asarray(x))
    if approximate == "tanh":
        return _gelu_tanh_backward(grad, x)
    if not _float32(x) or grad.dtype != f32:
        from ..numerics import erf
        cdf = 0.5 * (1 + erf(x * (1 / math.sqrt(2.0))))
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return grad * (cdf + x * pdf)

    def body(erf_f, exp_f, fused):
        def f(dy, v):
            cdf = _HALF * (_ONE + erf_f(v * _SQRT1_2))
            pdf = _GELU_BETA_ERF * exp_f(v * v * f32(-0.5))
            return dy * (fma32(v, pdf, cdf) if fused else cdf + v * pdf)
        return f
    return _pair_loop((grad, x), body(erf_vec, expf, True),  # the scalar code: not fused
                      body(lambda v: libm("erff", v), lambda v: libm("expf", v), False))


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    """``vectorized_gelu_approximated_with_tanh`` / ``scalar_gelu_approximated_with_tanh``."""
    if not _float32(x):
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1 + np.tanh(inner))

    def body(tanh):
        def f(v):
            inner = _GELU_BETA_TANH * fma32(_GELU_KAPPA, v * v * v, v)
            return _HALF * v * (_ONE + tanh(inner))
        return f
    return _vector_loop(x, body(tanhf), body(lambda v: libm("tanhf", v)))


def _gelu_tanh_backward(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``GeluBackwardKernelImpl``'s tanh branch."""
    if not _float32(x) or grad.dtype != f32:
        b = math.sqrt(2 / math.pi)
        t = np.tanh(b * (x + 0.044715 * x * x * x))
        return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * b * (1 + 3 * 0.044715 * x * x))

    def body(tanh, cube):
        def f(dy, v):
            x_sq = v * v
            inner = _GELU_BETA_TANH * fma32(_GELU_KAPPA, cube(v, x_sq), v)
            t = tanh(inner)
            left = _HALF * v
            right = _ONE + t
            left_d = _HALF * right
            tanh_d = fma32(-t, t, _ONE)
            inner_d = _GELU_BETA_TANH * fma32(f32(3) * _GELU_KAPPA, x_sq, _ONE)
            right_d = left * tanh_d * inner_d
            return dy * (left_d + right_d)
        return f
    return _pair_loop((grad, x), body(tanhf, lambda v, sq: v * v * v),
                      body(lambda v: libm("tanhf", v), lambda v, sq: sq * v))


# ---------------------------------------------------------------- elu, softplus, log_sigmoid
@_quiet
def elu(x: np.ndarray, alpha: float = 1.0, scale: float = 1.0,
        input_scale: float = 1.0) -> np.ndarray:
    """``elu_kernel`` (``Elu.h``): ``expm1(x * input_scale) * alpha * scale`` below 0,
    ``x * scale`` elsewhere (``selu`` and ``celu`` are its other coefficients)."""
    x = np.asarray(x)
    if not _float32(x):
        with np.errstate(over="ignore"):
            return np.where(x > 0, x * scale, np.expm1(x * input_scale) * (alpha * scale))
    neg, pos, inp = f32(f32(alpha) * f32(scale)), f32(scale), f32(input_scale)

    def body(expm1):
        def f(v):
            with np.errstate(over="ignore", invalid="ignore"):
                return np.where(v < 0, expm1(v * inp) * neg, v * pos)
        return f
    return _vector_loop(x, body(expm1f), body(lambda v: libm("expm1f", v)))


@_quiet
def elu_backward(grad: np.ndarray, x_or_result: np.ndarray, alpha: float = 1.0,
                 scale: float = 1.0, input_scale: float = 1.0,
                 is_result: bool = False) -> np.ndarray:
    """``elu_backward_kernel``: from the input (``EluBackward0``) or from the result
    (``EluBackward1``, the in-place form)."""
    grad, b = np.broadcast_arrays(np.asarray(grad), np.asarray(x_or_result))
    if not _float32(b) or grad.dtype != f32:
        with np.errstate(over="ignore"):
            if is_result:
                neg = grad * input_scale * (b + alpha * scale)
            else:
                neg = grad * input_scale * (alpha * scale) * np.exp(b * input_scale)
            return np.where(b > 0, grad * scale, neg)
    neg, pos, inp = f32(f32(alpha) * f32(scale)), f32(scale), f32(input_scale)

    def body(exp):
        def f(a, v):
            with np.errstate(over="ignore", invalid="ignore"):
                if is_result:
                    n = a * inp * (v + neg)
                else:
                    n = a * inp * neg * exp(v * inp)
                return np.where(v > 0, a * pos, n)
        return f
    return _pair_loop((grad, b), body(expf), body(lambda v: libm("expf", v)))


@_quiet
def softplus(x: np.ndarray, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """``softplus_kernel``: ``log1p(exp(x * beta)) / beta``, ``x`` above the threshold."""
    x = np.asarray(x)
    if not _float32(x):
        z = x * beta
        with np.errstate(over="ignore"):
            return np.where(z > threshold, x, np.log1p(np.exp(z)) / beta)
    b, th = f32(beta), f32(threshold)

    def body(exp, log1p):
        def f(v):
            z = v * b
            with np.errstate(over="ignore", invalid="ignore"):
                return np.where(z > th, v, log1p(exp(z)) / b)
        return f
    return _vector_loop(x, body(expf, log1pf),
                        body(lambda v: libm("expf", v), lambda v: libm("log1pf", v)))


@_quiet
def softplus_backward(grad: np.ndarray, x: np.ndarray, beta: float = 1.0,
                      threshold: float = 20.0) -> np.ndarray:
    """``softplus_backward_kernel``: ``grad * z / (z + 1)`` with ``z = exp(x * beta)``."""
    grad, x = np.broadcast_arrays(np.asarray(grad), np.asarray(x))
    if not _float32(x) or grad.dtype != f32:
        with np.errstate(over="ignore", invalid="ignore"):
            z = np.exp(x * beta)
            return np.where(x * beta > threshold, grad, grad * z / (z + 1))
    b, th = f32(beta), f32(threshold)

    def body(exp):
        def f(a, v):
            with np.errstate(over="ignore", invalid="ignore"):
                z = exp(v * b)
                return np.where(v * b > th, a, a * z / (z + _ONE))
        return f
    return _pair_loop((grad, x), body(expf), body(lambda v: libm("expf", v)))


@_quiet
def log_sigmoid(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``log_sigmoid_cpu_kernel``: ``(min(x, 0) - log1p(b), b)`` with the buffer
    ``b = exp(-|x|)``, every element through the vector code (the tail is a partial
    vector)."""
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        if x.dtype != f32:
            b = np.exp(-np.abs(x))
            return np.minimum(x, 0) - np.log1p(b), b
        b = expf(-np.abs(x))
        return np.minimum(x, f32(0)) - log1pf(b), b


@_quiet
def log_sigmoid_backward(grad: np.ndarray, x: np.ndarray, buffer: np.ndarray) -> np.ndarray:
    """``log_sigmoid_backward_cpu_kernel``: ``(max_deriv - sign * b / (1 + b)) * grad``."""
    grad, x, buffer = np.broadcast_arrays(np.asarray(grad), np.asarray(x), np.asarray(buffer))
    neg = x < 0
    one = x.dtype.type(1)
    q = buffer / (one + buffer)
    if x.dtype != f32 or grad.dtype != f32:
        return (neg - np.where(neg, one, -one) * q) * grad
    return np.where(neg, _ONE - q, f32(0) + q) * grad


# ---------------------------------------------------------------- mish, hardswish, hardsigmoid
@_quiet
def mish(x: np.ndarray) -> np.ndarray:
    """``mish_kernel``: ``x * tanh(log1p(exp(x)))``."""
    x = np.asarray(x)
    if not _float32(x):
        return x * np.tanh(np.log1p(np.exp(x)))
    return _vector_loop(x, lambda v: v * tanhf(log1pf(expf(v))),
                        lambda v: v * libm("tanhf", libm("log1pf", libm("expf", v))))


@_quiet
def mish_backward(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``mish_backward_kernel``: ``dy * (t + x * sig * (1 - t * t))`` with
    ``t = tanh(softplus(x))``, ``sig = sigmoid(x)``."""
    grad, x = np.broadcast_arrays(np.asarray(grad), np.asarray(x))
    if not _float32(x) or grad.dtype != f32:
        sig = 1 / (1 + np.exp(-x))
        t = np.tanh(np.log1p(np.exp(x)))
        return grad * (t + x * sig * (1 - t * t))

    def body(exp, log1p, tanh):
        def f(dy, v):
            sig = _ONE / (_ONE + exp(-v))
            t = tanh(log1p(exp(v)))
            return dy * fma32(v * sig, fma32(-t, t, _ONE), t)
        return f
    return _pair_loop((grad, x), body(expf, log1pf, tanhf),
                      body(lambda v: libm("expf", v), lambda v: libm("log1pf", v),
                           lambda v: libm("tanhf", v)))


_THREE, _SIX = f32(3), f32(6)


@_quiet
def hardsigmoid(x: np.ndarray) -> np.ndarray:
    """``hardsigmoid_kernel``: ``min(max(x + 3, 0), 6) / 6``."""
    x = np.asarray(x)
    t = x.dtype.type
    return np.minimum(np.maximum(x + t(3), t(0)), t(6)) / t(6)


@_quiet
def hardsigmoid_backward(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``hardsigmoid_backward_kernel``: ``grad * (1.0f / 6.0f)`` strictly inside
    ``(-3, 3)`` (a float constant, in float64 too)."""
    grad, x = np.broadcast_arrays(np.asarray(grad), np.asarray(x))
    t = grad.dtype.type
    return np.where((x > -3) & (x < 3), grad * t(f32(1) / f32(6)), t(0))


@_quiet
def hardswish(x: np.ndarray) -> np.ndarray:
    """``hardswish_kernel``: ``x * min(max(x + 3, 0), 6) / 6``."""
    x = np.asarray(x)
    t = x.dtype.type
    return x * np.minimum(np.maximum(x + t(3), t(0)), t(6)) / t(6)


@_quiet
def hardswish_backward(grad: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``hardswish_backward_kernel``: 0 up to -3, ``grad * (x / 3 + 0.5)`` inside,
    ``grad`` from 3 (NaN stays NaN)."""
    grad, x = np.broadcast_arrays(np.asarray(grad), np.asarray(x))
    t = grad.dtype.type
    mid = grad * (x / t(3) + t(0.5))
    return np.where(x <= -3, t(0), np.where(x >= 3, grad, mid))



__all__ = ["elu", "elu_backward", "erf_vec", "gelu", "gelu_backward", "hardsigmoid",
           "hardsigmoid_backward", "hardswish", "hardswish_backward", "libm", "log_sigmoid",
           "log_sigmoid_backward", "mish", "mish_backward", "silu", "silu_backward",
           "softplus", "softplus_backward"]
