"""``log256_ps`` and ``sincos256_ps`` of PyTorch's ``avx_mathfun.h``, step by step in
float32, and an exactly rounded float32 ``fma``: the arithmetic of PyTorch's
vectorised Box-Muller (``NormalFill16``), so ``randn`` of 16 or more float32
values is bit-exact.

PyTorch's build lets the compiler fuse a multiply and the add that consumes it
(``-mfma``, contraction on), so each ``a * b + c`` the compiler fuses is an
:func:`fma32` here; which ones it fuses was found by comparing with PyTorch 2.13
on 1.6 million samples (``tests/rng``).

>>> import numpy as np
>>> float(log_ps(np.float32([1.0]))[0]), float(log_ps(np.float32([0.5]))[0])
(0.0, -0.6931471824645996)
>>> s, c = sincos_ps(np.float32([0.0, 1.0]))
>>> [float(v) for v in s], [float(v) for v in c]
([0.0, 0.8414709568023682], [1.0, 0.5403022766113281])
"""

from __future__ import annotations

import numpy as np

f32 = np.float32
_ONE, _HALF = f32(1.0), f32(0.5)
_SQRTHF = f32(0.707106781186547524)
_LOG_P = [f32(v) for v in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1,
                           -1.2420140846E-1, 1.4249322787E-1, -1.6668057665E-1,
                           2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1)]
_LOG_Q1, _LOG_Q2 = f32(-2.12194440e-4), f32(0.693359375)
_DP = [f32(-0.78515625), f32(-2.4187564849853515625e-4), f32(-3.77489497744594108e-8)]
_SINCOF = [f32(-1.9515295891E-4), f32(8.3321608736E-3), f32(-1.6666654611E-1)]
_COSCOF = [f32(2.443315711809948E-005), f32(-1.388731625493765E-003),
           f32(4.166664568298827E-002)]
_FOPI = f32(1.27323954473516)
_MIN_NORM = np.array([0x00800000], dtype=np.int32).view(np.float32)[0]


def log_ps(x: np.ndarray) -> np.ndarray:
    """Cephes ``logf`` as ``log256_ps`` computes it (NaN for ``x <= 0``)."""
    x = np.asarray(x, dtype=f32)
    invalid = x <= 0
    x = np.maximum(x, _MIN_NORM)
    bits = x.view(np.int32)
    imm0 = (bits >> 23) - 0x7F  # x > 0: the arithmetic shift is the logical one
    x = ((bits & ~0x7F800000) | np.int32(0x3F000000)).view(f32)
    e = imm0.astype(f32) + _ONE
    mask = x < _SQRTHF
    tmp = np.where(mask, x, f32(0))
    x = x - _ONE
    e = e - np.where(mask, _ONE, f32(0))
    x = x + tmp
    z = x * x
    y = _LOG_P[0]
    for p in _LOG_P[1:]:
        y = fma32(y, x, p)
    y = fma32(y * x, z, e * _LOG_Q1)
    y = fma32(-z, _HALF, y)
    x = x + y
    x = fma32(e, _LOG_Q2, x)
    return np.where(invalid, f32(np.nan), x)


def sincos_ps(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cephes ``sinf`` and ``cosf`` together, as ``sincos256_ps`` computes them."""
    x = np.asarray(x, dtype=f32)
    sign_sin = np.signbit(x)
    x = np.abs(x)
    j = (x * _FOPI).astype(np.int32)  # truncation, as cvttps
    j = (j + 1) & ~1
    y = j.astype(f32)
    swap_sin = (j & 4) != 0
    poly = (j & 2) == 0
    x = fma32(y, _DP[0], x)
    x = fma32(y, _DP[1], x)
    x = fma32(y, _DP[2], x)
    sign_cos = ((~(j - 2)) & 4) != 0
    sign_sin = sign_sin ^ swap_sin
    z = x * x
    y1 = fma32(_COSCOF[0], z, _COSCOF[1])
    y1 = fma32(y1, z, _COSCOF[2])
    y1 = fma32(y1 * z, z, -(z * _HALF))
    y1 = y1 + _ONE
    y2 = fma32(_SINCOF[0], z, _SINCOF[1])
    y2 = fma32(y2, z, _SINCOF[2])
    y2 = y2 * z
    y2 = fma32(y2, x, x)
    zero = f32(0)
    ysin2 = np.where(poly, y2, zero)
    ysin1 = np.where(poly, zero, y1)
    y2 = y2 - ysin2
    y1 = y1 - ysin1
    s = ysin1 + ysin2
    c = y1 + y2
    return _flip(s, sign_sin), _flip(c, sign_cos)


def _flip(v: np.ndarray, sign: np.ndarray) -> np.ndarray:
    bits = v.view(np.uint32) ^ np.where(sign, np.uint32(0x80000000), np.uint32(0))
    return bits.astype(np.uint32).view(f32)


def fma32(a: np.ndarray, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """``a * b + c`` rounded once to float32, as ``_mm256_fmadd_ps``.

    The float32 product is exact in float64; the float64 sum rounds at most once,
    and only a sum lying exactly halfway between two float32 values can then round
    the wrong way: those are corrected with the sum's rounding error.

    >>> a = np.float32([1 + 2.0 ** -12])
    >>> float(fma32(a, a, -1.0)[0]) == 2.0 ** -11 + 2.0 ** -24, float((a * a - 1)[0]) == 2.0 ** -11
    (True, True)
    """
    a = np.asarray(a, dtype=f32)
    b64 = np.asarray(b, dtype=f32).astype(np.float64)
    c64 = np.asarray(c, dtype=f32).astype(np.float64)
    p = a.astype(np.float64) * b64
    s = p + c64
    bp = s - c64  # TwoSum: the exact error of s = p + c
    err = (p - bp) + (c64 - (s - bp))
    out = s.astype(f32)
    tie = (err != 0) & (out.astype(np.float64) != s)
    if np.any(tie):
        lo = np.where(s > out, out, np.nextafter(out, f32(-np.inf)))
        hi = np.nextafter(lo, f32(np.inf))
        mid = (lo.astype(np.float64) + hi.astype(np.float64)) / 2
        at_mid = tie & (s == mid)
        out = np.where(at_mid, np.where(err > 0, hi, lo), out)
    return out


_SPLIT = 134217729.0  # 2**27 + 1, Veltkamp's splitter


def _split(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = _SPLIT * x
    hi = t - (t - x)
    return hi, x - hi


def fma64(a: np.ndarray | float, b: np.ndarray | float,
          c: np.ndarray | float) -> np.ndarray:
    """``a * b + c`` with one rounding, as the compiler's fused multiply-add: the
    product split exactly (Dekker), the sum of its parts and ``c`` by TwoSum.

    >>> a = np.array([1.0 + 2.0 ** -30])
    >>> float(fma64(a, a[0], -1.0)[0]) == 2.0 ** -29 + 2.0 ** -60
    True
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    c = np.asarray(c, dtype=np.float64)
    if b.ndim == 0 and c.ndim == 0 and b == 1.0 and c == 0.0:
        return a
    ph = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    pl = ((ah * bh - ph) + ah * bl + al * bh) + al * bl
    s = ph + c
    bb = s - ph
    e = (ph - (s - bb)) + (c - bb)
    return s + (e + pl)
