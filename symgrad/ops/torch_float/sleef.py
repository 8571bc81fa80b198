"""SLEEF's float32 ``expf`` (u10) as PyTorch's ``Vectorized<float>::exp`` runs it,
step by step in float32, with each ``vmla`` an exactly rounded fused multiply-add.

The constants and steps are ``Sleef_expf16_u10`` of SLEEF's ``sleefsimdsp.c``
(AVX2/AVX512 builds: ``vmla`` is ``_mm*_fmadd_ps``). Tails and single elements go
through the same vector code in PyTorch (a partial vector), so every element does.

>>> import numpy as np
>>> [float(v) for v in expf(np.float32([0.0, 1.0, -200.0, 200.0]))]
[1.0, 2.7182817459106445, 0.0, inf]
"""

from __future__ import annotations

import numpy as np

f32 = np.float32
_L2E = f32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U = f32(-0.693145751953125)
_L2L = f32(-1.428606765330187045e-06)
_EXP_POLY = [f32(v) for v in (0.000198527617612853646278381, 0.00139304355252534151077271,
                              0.00833336077630519866943359, 0.0416664853692054748535156,
                              0.166666671633720397949219, 0.5)]


def fma32(a: np.ndarray, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """``a * b + c`` rounded once to float32, as ``_mm512_fmadd_ps``.

    The float32 product is exact in float64; the float64 sum rounds at most once,
    and only a sum landing exactly halfway between two float32 values (the low 29
    bits of its significand ``1000...0``; any float32-subnormal sum is checked too)
    can then round the wrong way: those few are redone with the sum's exact error
    (TwoSum). The same technique as ``symgrad.random.avx.fma32``, which ``ops``
    may not import.

    >>> a = np.float32([1 + 2.0 ** -12])
    >>> float(fma32(a, a, -1.0)[0]) == 2.0 ** -11 + 2.0 ** -24
    True
    >>> x = np.float32([1 + 2.0 ** -23])  # a float64 sum at a float32 midpoint, rounded up
    >>> float(fma32(x, np.float32(2.0 ** -24), np.float32(1.0))[0]) == 1 + 2.0 ** -23
    True
    """
    a = np.asarray(a, dtype=f32)
    if a.size >= _BLOCK * 4:
        return _fma32_blocks(a, b, c)
    b64 = np.asarray(b, dtype=f32).astype(np.float64)
    c64 = np.asarray(c, dtype=f32).astype(np.float64)
    p = a.astype(np.float64) * b64
    s = np.asarray(p + c64)
    out = s.astype(f32)
    bits = s.view(np.int64)
    suspect = ((bits & 0x1FFFFFFF) == 0x10000000) | (np.abs(s) < 2.0 ** -125)
    if not suspect.any():
        return out
    p, c64 = np.broadcast_arrays(p, c64)
    idx = np.nonzero(suspect)
    ps, cs, ss = p[idx], c64[idx], s[idx]
    bp = ss - cs
    err = (ps - bp) + (cs - (ss - bp))
    o = ss.astype(f32)
    lo = np.where(ss > o, o, np.nextafter(o, f32(-np.inf)))
    hi = np.nextafter(lo, f32(np.inf))
    mid = (lo.astype(np.float64) + hi.astype(np.float64)) / 2
    fix = (err != 0) & (ss == mid)
    out[idx] = np.where(fix, np.where(err > 0, hi, lo), o)
    return out


_BLOCK = 16384  # float64 temporaries of this many values stay in the cache


def _fma32_blocks(a: np.ndarray, b: np.ndarray | float, c: np.ndarray | float) -> np.ndarray:
    """:func:`fma32` of a big array, a cache-sized block at a time, into reused float64
    buffers (2x faster than whole-array temporaries at 10**6 values; same bits)."""
    shape = np.broadcast_shapes(a.shape, np.shape(b), np.shape(c))
    af = np.broadcast_to(a, shape).reshape(-1)
    bf = np.broadcast_to(np.asarray(b, dtype=f32), shape).reshape(-1)
    cf = np.broadcast_to(np.asarray(c, dtype=f32), shape).reshape(-1)
    out = np.empty(af.size, f32)
    s_buf, t_buf = np.empty(_BLOCK), np.empty(_BLOCK)
    with np.errstate(over="ignore"):  # a float32 overflow is the float32 result: inf
        for i in range(0, af.size, _BLOCK):
            _fma32_block(af[i:i + _BLOCK], bf[i:i + _BLOCK], cf[i:i + _BLOCK],
                         out[i:i + _BLOCK], s_buf, t_buf)
    return out.reshape(shape)


def _fma32_block(a: np.ndarray, b: np.ndarray, c: np.ndarray, o: np.ndarray,
                 s_buf: np.ndarray, t_buf: np.ndarray) -> None:
    n = a.size
    s, t = s_buf[:n], t_buf[:n]
    np.multiply(a, b, out=s, dtype=np.float64)  # exact
    np.add(s, c, out=s)  # rounded once, in float64
    np.copyto(o, s, casting="unsafe")
    sus = (s.view(np.int64) & 0x1FFFFFFF) == 0x10000000
    np.abs(s, out=t)
    sus |= t < 2.0 ** -125
    if sus.any():  # a float32 midpoint or subnormal: the exact path for this block
        o[...] = fma32(a, b, c)


def _pow2i(q: np.ndarray) -> np.ndarray:
    return ((q + 0x7F) << 23).astype(np.int32).view(f32)


def expf(d: np.ndarray) -> np.ndarray:
    """``Sleef_expf16_u10``: ``exp`` of float32 ``d``, as PyTorch's vectorised code."""
    d = np.asarray(d, dtype=f32)
    with np.errstate(all="ignore"):
        qf = np.rint(d * _L2E)  # _mm512_cvt_roundps_epi32: to nearest, ties to even
        qf = np.where(np.isfinite(qf), np.clip(qf, f32(-2 ** 24), f32(2 ** 24)), f32(0))
        q = qf.astype(np.int32)
        s = fma32(qf, _L2U, d)
        s = fma32(qf, _L2L, s)
        u = np.full(d.shape, _EXP_POLY[0], f32)
        for c in _EXP_POLY[1:]:
            u = fma32(u, s, c)
        u = f32(1) + fma32(s * s, u, s)
        h = q >> 1
        u = (u * _pow2i(h)) * _pow2i(q - h)
        u = np.where(d < f32(-104), f32(0), u)
        u = np.where(f32(100) < d, f32(np.inf), u)
    return u.astype(f32, copy=False)


__all__ = ["expf", "fma32"]
