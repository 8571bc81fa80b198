"""PyTorch's CPU samplers on an :class:`~.mt19937.Engine`, as NumPy arrays.

Each function draws exactly the words PyTorch's kernel draws, in its order, and
transforms them with its arithmetic (``TransformationHelper.h``,
``DistributionsHelper.h``, ``cpu/DistributionTemplates.h``):

- uniform float32 takes one 32-bit word (24 bits), float64 one 64-bit draw (53 bits);
- normal of 16 or more contiguous values is Box-Muller on blocks of 16 uniforms
  (the AVX2 ``NormalFill16`` for float32), the last 16 redrawn when the size is not a
  multiple of 16; below 16 it is the scalar double Box-Muller with its cached
  second sample;
- integers are ``word % range + low``, from 64-bit draws when ``range >= 2**28``.

>>> from symgrad.random.mt19937 import Engine
>>> st = State(0)
>>> [round(float(v), 4) for v in uniform(st, 3, np.float32)]
[0.4963, 0.7682, 0.0885]
"""

from __future__ import annotations

import math

import numpy as np

from .avx import fma32, fma64, log_ps, sincos_ps
from .mt19937 import Engine

_M24 = np.uint64((1 << 24) - 1)
_M53 = np.uint64((1 << 53) - 1)


class State:
    """A generator's whole state: the engine and the cached normal samples."""

    __slots__ = ("engine", "next_double", "next_float")

    def __init__(self, seed: int) -> None:
        self.engine = Engine(seed)
        self.next_double: float | None = None
        self.next_float: float | None = None


def _unit(st: State, n: int, dtype: np.dtype) -> np.ndarray:
    """``n`` uniforms in [0, 1): 24 bits of a word (float32) or 53 of a 64-bit draw."""
    if np.dtype(dtype) == np.float64:
        return (st.engine.random64(n) & _M53).astype(np.float64) * 2.0 ** -53
    return (st.engine.random32(n) & _M24).astype(np.float32) * np.float32(2.0 ** -24)


def uniform(st: State, n: int, dtype: np.dtype, low: float = 0.0,
            high: float = 1.0) -> np.ndarray:
    """``uniform_(low, high)``: ``u * (high - low) + low`` in the dtype's precision,
    a value that rounds up to ``high`` replaced by ``low``."""
    dt = np.dtype(dtype)
    u = _unit(st, n, dt)
    if dt == np.float64:
        out = fma64(u, high - low, low)
    else:
        lo, hi = np.float32(low), np.float32(high)
        out = fma32(u, float(hi - lo), float(lo))
    to = dt.type(high)
    return np.where(out.astype(dt) == to, dt.type(low), out).astype(dt)


def _normal_scalar(st: State, mean: float, std: float) -> float:
    """``at::normal_distribution<double>``: one sample, caching the pair's other one."""
    if st.next_double is not None:
        v, st.next_double = st.next_double, None
        return float(fma64(v, std, mean))
    u1, u2 = (float(x) for x in _unit(st, 2, np.float64))
    r = math.sqrt(-2.0 * math.log1p(-u2))
    theta = 2.0 * math.pi * u1
    st.next_double = r * math.sin(theta)
    return float(fma64(r * math.cos(theta), std, mean))


def _box_muller16(u: np.ndarray, dtype: np.dtype, mean: float, std: float) -> np.ndarray:
    """``NormalFill16`` on blocks of 16 uniforms (rows of ``u``)."""
    if dtype == np.float64:
        u1, u2 = 1.0 - u[:, :8], u[:, 8:]
        radius = np.sqrt(-2.0 * _vec(math.log, u1))
        theta = 2.0 * math.pi * u2
        first = fma64(radius * _vec(math.cos, theta), std, mean)
        second = fma64(radius * _vec(math.sin, theta), std, mean)
    else:
        f = np.float32
        u1, u2 = f(1.0) - u[:, :8], u[:, 8:]
        radius = np.sqrt(f(-2.0) * log_ps(u1))
        s, c = sincos_ps(f(2.0 * math.pi) * u2)
        first = fma32(radius * c, std, mean)
        second = fma32(radius * s, std, mean)
    return np.concatenate([first, second], axis=1)


def _vec(fn, x: np.ndarray) -> np.ndarray:
    """``fn`` (the C library's, as PyTorch calls it) on every element."""
    return np.fromiter((fn(v) for v in x.ravel().tolist()), np.float64, x.size).reshape(x.shape)




def normal(st: State, n: int, dtype: np.dtype, mean: float = 0.0, std: float = 1.0,
           contiguous: bool = True) -> np.ndarray:
    """``normal_(mean, std)`` on ``n`` values, through the path PyTorch takes."""
    dt = np.dtype(dtype)
    if n >= 16 and contiguous:
        data = _unit(st, n, dt)
        full = n - n % 16
        if full:
            data[:full] = _box_muller16(data[:full].reshape(-1, 16), dt, mean, std).ravel()
        if n % 16:
            data[n - 16:] = _box_muller16(_unit(st, 16, dt).reshape(1, 16), dt, mean,
                                          std).ravel()
        return data
    return np.array([_normal_scalar(st, mean, std) for _ in range(n)], np.float64).astype(dt)


def random_from_to(st: State, n: int, low: int, high: int) -> np.ndarray:
    """``random_(low, high)`` / ``randint``: ``word % (high - low) + low`` as int64."""
    span = high - low
    words = st.engine.random64(n) if span >= 1 << 28 else st.engine.random32(n)
    return ((words % np.uint64(span)).astype(np.int64) + low) if n else np.zeros(0, np.int64)


def random_default(st: State, n: int, dtype: np.dtype) -> np.ndarray:
    """``random_()`` without bounds: ``[0, 2**mantissa]`` for floats, ``[0, max]`` for ints."""
    dt = np.dtype(dtype)
    if dt == np.float64:
        return (st.engine.random64(n) % np.uint64((1 << 53) + 1)).astype(dt)
    if dt == np.int64:
        return (st.engine.random64(n) % np.uint64(1 << 63)).astype(dt)
    words = st.engine.random32(n)
    if dt == np.float32:
        return (words % np.uint64((1 << 24) + 1)).astype(dt)
    if dt == np.float16:
        return (words % np.uint64((1 << 11) + 1)).astype(dt)
    if dt == np.bool_:
        return (words & np.uint64(1)).astype(dt)
    return (words % np.uint64(int(np.iinfo(dt).max) + 1)).astype(dt)


def randperm(st: State, n: int) -> np.ndarray:
    """PyTorch's in-place Fisher-Yates: swap ``i`` with ``i + random() % (n - i)``."""
    out = np.arange(n, dtype=np.int64)
    if n >= (2 ** 32 - 1) // 20:
        raise NotImplementedError("randperm of 214748364 or more values is not modelled")
    if n > 1:
        words = st.engine.random32(n - 1)
        spans = np.arange(n, 1, -1, dtype=np.uint64)
        picks = (words % spans).astype(np.int64).tolist()
        data = out.tolist()
        for i, z in enumerate(picks):
            j = i + z
            data[i], data[j] = data[j], data[i]
        out = np.array(data, dtype=np.int64)
    return out


def bernoulli_tensor(st: State, p: np.ndarray) -> np.ndarray:
    """``bernoulli(p)``: one uniform per value of ``p`` in ``p``'s precision, ``u < p``."""
    p = np.asarray(p)
    dt = np.float64 if p.dtype == np.float64 else np.float32
    u = _unit(st, p.size, dt).reshape(p.shape)
    return u < p.astype(dt)


def exponential(st: State, n: int, dtype: np.dtype, lambd: float = 1.0) -> np.ndarray:
    """``exponential_(lambd)``: ``-1/lambd * log1p(-u)`` in double, one 64-bit draw each."""
    u = _unit(st, n, np.float64)
    return ((-1.0 / lambd) * _vec(math.log1p, -u)).astype(dtype)
