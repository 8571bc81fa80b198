"""SLEEF's float32 ``powf`` (u10, AVX512 build) step by step: ``logkf`` and
``expkf`` in double-float arithmetic (pairs of float32), every ``vmla``/``vfma``
an exactly rounded fused multiply-add, as ``Sleef_powf16_u10`` runs inside
PyTorch's ``Vectorized<float>::pow``.

>>> import numpy as np
>>> float(powf(np.float32([0.93]), 4.0)[0])  # PyTorch 2.13 too; 0.93 ** 4 rounded: 0.7480520606040955
0.7480520009994507
"""

from __future__ import annotations

import numpy as np

from .sleef import fma32

f32 = np.float32
_R_LN2 = f32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U = f32(0.693145751953125)
_L2L = f32(1.428606765330187045e-06)
_LN2_HI, _LN2_LO = f32(0.69314718246459960938), f32(-1.904654323148236017e-09)


def _add2(x: np.ndarray, y: np.ndarray):
    """dfadd2 of two floats: the sum and its exact error."""
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


def _add2_ff(xh, xl, yh, yl):
    """dfadd2_vf2_vf2_vf2."""
    s = xh + yh
    v = s - xh
    t = (xh - (s - v)) + (yh - v)
    return s, t + (xl + yl)


def _add2_f2f(xh, xl, y):
    """dfadd2_vf2_vf2_vf."""
    s = xh + y
    v = s - xh
    t = (xh - (s - v)) + (y - v)
    return s, t + xl


def _add_ff(xh, xl, yh, yl):
    """dfadd_vf2_vf2_vf2 (|x| >= |y|)."""
    s = xh + yh
    return s, (((xh - s) + yh) + xl) + yl


def _add_f_f2(x, yh, yl):
    """dfadd_vf2_vf_vf2."""
    s = x + yh
    return s, ((x - s) + yh) + yl


def _mul_f2f(xh, xl, y):
    """dfmul_vf2_vf2_vf (FMA)."""
    s = xh * y
    return s, fma32(xl, y, fma32(xh, y, -s))


def _mul_f2f2(xh, xl, yh, yl):
    """dfmul_vf2_vf2_vf2 (FMA)."""
    s = xh * yh
    return s, fma32(xh, yl, fma32(xl, yh, fma32(xh, yh, -s)))


def _squ(xh, xl):
    """dfsqu_vf2_vf2 (FMA)."""
    s = xh * xh
    return s, fma32(xh + xh, xl, fma32(xh, xh, -s))


def _div(nh, nl, dh, dl):
    """dfdiv_vf2_vf2_vf2 (FMA)."""
    t = f32(1) / dh
    s = nh * t
    u = fma32(t, nh, -s)
    v = fma32(-dl, t, fma32(-dh, t, f32(1)))
    return s, fma32(s, v, fma32(nl, t, u))


def _logk(d: np.ndarray):
    """``logkf`` with AVX512's ``getexp``/``getmant`` (mantissa in [0.75, 1.5))."""
    with np.errstate(all="ignore"):
        scaled = d * f32(1.0 / 0.75)  # getexp of the rounded product, as SLEEF
        _, ex = np.frexp(scaled)
        e = (ex - 1).astype(f32)
        e = np.where(np.isinf(scaled), f32(128), e)
        frac, _ = np.frexp(d)  # getmant: the significand in [0.75, 1.5)
        m = (frac * 2).astype(f32)
        m = np.where(m >= f32(1.5), m * f32(0.5), m)
        xh, xl = _div(*_add2(np.full_like(m, -1), m), *_add2(np.full_like(m, 1), m))
        x2h, x2l = _squ(xh, xl)
        t = np.full_like(m, f32(0.240320354700088500976562))
        t = fma32(t, x2h, f32(0.285112679004669189453125))
        t = fma32(t, x2h, f32(0.400007992982864379882812))
        ch, cl = f32(0.66666662693023681640625), f32(3.69183861259614332084311e-09)
        inner = _add2_ff(*_mul_f2f(x2h, x2l, t), np.full_like(m, ch), np.full_like(m, cl))
        cube = _mul_f2f2(*_mul_f2f2(x2h, x2l, xh, xl), *inner)
        right = _add2_ff(xh * f32(2), xl * f32(2), *cube)
        left = _mul_f2f(np.full_like(m, _LN2_HI), np.full_like(m, _LN2_LO), e)
        return _add2_ff(*left, *right)


def _expk(dh: np.ndarray, dl: np.ndarray) -> np.ndarray:
    """``expkf`` of a double-float."""
    with np.errstate(all="ignore"):
        u = (dh + dl) * _R_LN2
        qf = np.rint(u)
        qf = np.where(np.isfinite(qf), np.clip(qf, f32(-2 ** 24), f32(2 ** 24)), f32(0))
        sh, sl = _add2_f2f(dh, dl, qf * -_L2U)
        sh, sl = _add2_f2f(sh, sl, qf * -_L2L)
        s = sh + sl  # dfnormalize
        sl = (sh - s) + sl
        sh = s
        u = np.full_like(sh, f32(0.00136324646882712841033936))
        for c in (0.00836596917361021041870117, 0.0416710823774337768554688,
                  0.166665524244308471679688, 0.499999850988388061523438):
            u = fma32(u, sh, f32(c))
        th, tl = _add_ff(sh, sl, *_mul_f2f(*_squ(sh, sl), u))
        th, tl = _add_f_f2(f32(1), th, tl)
        r = np.ldexp((th + tl).astype(np.float64), qf.astype(np.int64)).astype(f32)
        return np.where(dh < f32(-104), f32(0), r)


def powf(x: np.ndarray, y: np.ndarray | float) -> np.ndarray:
    """``Sleef_powf16_u10``: ``x ** y`` elementwise in float32, special cases as SLEEF."""
    x = np.asarray(x, dtype=f32)
    y = np.broadcast_to(np.asarray(y, dtype=f32), x.shape)
    with np.errstate(all="ignore"):
        yint = (np.trunc(y) == y) | (np.abs(y) > f32(1 << 23))
        yodd = ((np.trunc(np.where(np.abs(y) < 2 ** 31, y, 0)).astype(np.int64) & 1) == 1) & yint
        lh, ll = _logk(np.abs(x))
        result = _expk(*_mul_f2f(lh, ll, y))
        result = np.where(np.isnan(result), f32(np.inf), result)
        sign = np.where(x > 0, f32(1), np.where(yint, np.where(yodd, f32(-1), f32(1)), f32(np.nan)))
        result = result * sign
        efx = (np.abs(x) - f32(1)) * np.where(np.signbit(y), f32(-1), f32(1))
        inf_y = np.where(efx < 0, f32(0), np.where(efx == 0, f32(1), f32(np.inf)))
        result = np.where(np.isinf(y), inf_y, result)
        zero_or_inf = np.isinf(x) | (x == 0)
        neg = np.where(x == 0, -y, y) < 0
        special = np.where(yodd, np.copysign(f32(1), x), f32(1)) * np.where(neg, f32(0), f32(np.inf))
        result = np.where(zero_or_inf, special, result)
        result = np.where(np.isnan(x) | np.isnan(y), f32(np.nan), result)
        result = np.where((y == 0) | (x == 1), f32(1), result)
    return result.astype(f32, copy=False)


__all__ = ["powf"]
