"""SLEEF's float32 ``expm1f``, ``log1pf`` and ``tanhf`` (u10, the AVX512 build of
``sleefsimdsp.c``: ``vgetexp``, double-float arithmetic with FMAs) step by step, as
PyTorch's ``Vectorized<float>::expm1``/``log1p``/``tanh`` run them inside its
activation kernels (``torch.expm1``/``log1p``/``tanh`` themselves go to MKL).

>>> import numpy as np
>>> [float(f(np.float32([0.5]))[0]) for f in (expm1f, log1pf, tanhf)]
[0.6487212777137756, 0.40546509623527527, 0.46211716532707214]
"""

from __future__ import annotations

import numpy as np

from .sleef import fma32
from .sleef_pow import _add2_f2f, _add2_ff, _add_f_f2, _add_ff, _div, _mul_f2f, _mul_f2f2, _squ

f32 = np.float32
_ONE = f32(1)
_R_LN2 = f32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U, _L2L = f32(0.693145751953125), f32(1.428606765330187045e-06)
_LN2_HI, _LN2_LO = f32(0.69314718246459960938), f32(-1.904654323148236017e-09)


def _ldexp2(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``vldexp2_vf_vf_vi2``: ``x * 2**(q >> 1) * 2**(q - (q >> 1))``."""
    h = q >> 1
    p1 = ((h + 0x7F) << 23).astype(np.int32).view(f32)
    p2 = ((q - h + 0x7F) << 23).astype(np.int32).view(f32)
    return (x * p1) * p2


def _expk2(dh: np.ndarray, dl: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``expk2f``: ``exp`` of a double-float, as a double-float."""
    u = (dh + dl) * _R_LN2
    qf = np.rint(u)
    qf = np.where(np.isfinite(qf), np.clip(qf, f32(-2 ** 24), f32(2 ** 24)), f32(0))
    q = qf.astype(np.int32)
    sh, sl = _add2_f2f(dh, dl, qf * -_L2U)
    sh, sl = _add2_f2f(sh, sl, qf * -_L2L)
    u = np.full(sh.shape, f32(0.1980960224e-3), f32)
    for c in (0.1394256484e-2, 0.8333456703e-2, 0.4166637361e-1):
        u = fma32(u, sh, f32(c))
    th, tl = _add2_f2f(*_mul_f2f(sh, sl, u), f32(0.166666659414234244790680580464e+0))
    th, tl = _add2_f2f(*_mul_f2f2(sh, sl, th, tl), f32(0.5))
    th, tl = _add2_ff(sh, sl, *_mul_f2f2(*_squ(sh, sl), th, tl))
    th, tl = _add_f_f2(_ONE, th, tl)
    th, tl = _ldexp2(th, q), _ldexp2(tl, q)
    under = dh < f32(-104)
    return np.where(under, f32(0), th), np.where(under, f32(0), tl)


def expm1f(a: np.ndarray) -> np.ndarray:
    """``Sleef_expm1f16_u10`` (``Vectorized<float>::expm1``).

    >>> float(expm1f(np.float32([1e-3]))[0])
    0.0010005001677200198
    """
    a = np.asarray(a, dtype=f32)
    with np.errstate(all="ignore"):
        h, l_ = _add2_f2f(*_expk2(a, np.zeros_like(a)), f32(-1))
        x = h + l_
        x = np.where(a > f32(88.72283172607421875), f32(np.inf), x)
        x = np.where(a < f32(-16.635532333438687426013570), f32(-1), x)
        x = np.where((a == 0) & np.signbit(a), f32(-0.0), x)
        return np.where(np.isnan(a), a, x)


def log1pf(d: np.ndarray) -> np.ndarray:
    """``Sleef_log1pf16_u10`` (``Vectorized<float>::log1p``) for ``d`` in ``(-1, 1e38]``
    (its large-argument branch is not reproduced: PyTorch's kernels here call it on
    ``exp`` of a non-positive number, or ``exp`` of anything below the softplus
    threshold).

    >>> float(log1pf(np.float32([1.0]))[0])
    0.6931471824645996
    """
    d = np.asarray(d, dtype=f32)
    with np.errstate(all="ignore"):
        dp1 = d + _ONE
        _, ex = np.frexp(dp1 * f32(1.0 / 0.75))
        e = (ex - 1).astype(f32)
        e = np.where(np.isposinf(dp1 * f32(1.0 / 0.75)), f32(128), e)
        t = np.ldexp(_ONE, -np.rint(e).astype(np.int32)).astype(f32)
        m = fma32(d, t, t - _ONE)
        sh = _LN2_HI * e
        sl = fma32(_LN2_LO, e, fma32(_LN2_HI, e, -sh))
        two_m = f32(2) + m
        xh, xl = _div(m, np.zeros_like(m), two_m, (f32(2) - two_m) + m)
        x2 = xh * xh
        t = np.full(d.shape, f32(0.3027294874), f32)
        t = fma32(t, x2, f32(0.3996108174))
        t = fma32(t, x2, f32(0.6666694880))
        sh, sl = _add_ff(sh, sl, xh * f32(2), xl * f32(2))
        y = (x2 * xh) * t
        h = sh + y
        sl = ((sh - h) + y) + sl
        r = h + sl
        r = np.where(d < f32(-1), f32(np.nan), r)
        r = np.where(d == f32(-1), f32(-np.inf), r)
        r = np.where((d == 0) & np.signbit(d), f32(-0.0), r)
        r = np.where(np.isposinf(d), f32(np.inf), r)
        return np.where(np.isnan(d), d, r)


def tanhf(x: np.ndarray) -> np.ndarray:
    """``Sleef_tanhf16_u10`` (``Vectorized<float>::tanh``).

    >>> float(tanhf(np.float32([0.5]))[0])
    0.46211716532707214
    """
    x = np.asarray(x, dtype=f32)
    with np.errstate(all="ignore"):
        y = np.abs(x)
        dh, dl = _expk2(y, np.zeros_like(y))
        # dfrec_vf2_vf2
        eh = _ONE / dh
        el = eh * fma32(-dl, eh, fma32(-dh, eh, _ONE))
        nh, nl = _add_ff(dh, dl, -eh, -el)
        ph, pl = _add_ff(dh, dl, eh, el)
        qh, ql = _div(nh, nl, ph, pl)
        y = qh + ql
        y = np.where((y > f32(8.664339742)) | (np.abs(x) > f32(8.664339742)) | np.isnan(y),
                     _ONE, y)
        y = np.copysign(y, x)
        return np.where(np.isnan(x), x, y)


__all__ = ["expm1f", "log1pf", "tanhf"]
