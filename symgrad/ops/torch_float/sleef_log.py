"""SLEEF's float32 ``logf`` (u10, AVX512 build) as PyTorch's ``Vectorized<float>::log``
runs it (``Sleef_logf16_u10``), step by step in float32: the mantissa and exponent
from ``getmant``/``getexp``, a double-float quotient ``(m - 1) / (m + 1)``, a short
polynomial, and ``vfixupimm`` for the special values. Every ``vmla``/``vfma`` is an
exactly rounded fused multiply-add (:func:`.sleef.fma32`).

PyTorch calls it where a kernel is written with ``Vectorized<float>``, e.g. the
``log`` of the row sums in ``log_softmax`` (``torch.log`` itself goes to MKL).

>>> import numpy as np
>>> [float(v) for v in logf(np.float32([1.0, 2.0, 0.0, -1.0, np.inf]))]
[0.0, 0.6931471824645996, -inf, nan, inf]
"""

from __future__ import annotations

import numpy as np

from .sleef import fma32
from .sleef_pow import _add2, _div

f32 = np.float32
_LN2_HI, _LN2_LO = f32(0.69314718246459960938), f32(-1.904654323148236017e-09)
_POLY = (f32(0.3027294874), f32(0.3996108174), f32(0.6666694880))


def _exponent_and_mantissa(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``getexp(d / 0.75)`` (128 where that is ``inf``) and ``getmant(d)`` normalised
    to ``[0.75, 1.5)``: ``d = m * 2**e`` for positive finite ``d``, subnormals too."""
    scaled = d * f32(1.0 / 0.75)  # getexp of the rounded product, as SLEEF
    _, ex = np.frexp(scaled)
    e = (ex - 1).astype(f32)
    e = np.where(np.isinf(scaled), f32(128), e)
    frac, _ = np.frexp(d)
    m = np.abs(frac * 2).astype(f32)
    m = np.where(m >= f32(1.5), m * f32(0.5), m)
    return e, m


def logf(d: np.ndarray) -> np.ndarray:
    """``Sleef_logf16_u10``: the natural log of float32 ``d``, elementwise, as
    PyTorch's vector code computes it (``log(0) = -inf``, negative and NaN give NaN).

    >>> float(logf(np.float32([3.0]))[0])  # correctly rounded here: 1.0986123085021973
    1.0986123085021973
    """
    d = np.asarray(d, dtype=f32)
    with np.errstate(all="ignore"):
        e, m = _exponent_and_mantissa(d)
        # s = (ln2_hi, ln2_lo) * e as a double-float (dfmul_vf2_vf2_vf)
        sh = _LN2_HI * e
        sl = fma32(_LN2_LO, e, fma32(_LN2_HI, e, -sh))
        xh, xl = _div(*_add2(np.full_like(m, -1), m), *_add2(np.full_like(m, 1), m))
        x2 = xh * xh
        t = np.full_like(m, _POLY[0])
        t = fma32(t, x2, _POLY[1])
        t = fma32(t, x2, _POLY[2])
        # s = dfadd(s, 2x): |s| >= |2x| is SLEEF's assumption, the arithmetic is as written
        yh, yl = xh * f32(2), xl * f32(2)
        rh = sh + yh
        rl = (((sh - rh) + yh) + sl) + yl
        # s = dfadd(s, x2 * x * t) (dfadd_vf2_vf2_vf)
        z = (x2 * xh) * t
        h = rh + z
        rl = ((rh - h) + z) + rl
        r = h + rl
        # vfixupimm: 0 -> -inf, -inf -> nan, +inf -> +inf, negative -> nan, nan stays
        r = np.where(d == 0, f32(-np.inf), r)
        r = np.where(d < 0, f32(np.nan), r)
        r = np.where(np.isposinf(d), f32(np.inf), r)
        r = np.where(np.isnan(d), d, r)
    return r.astype(f32, copy=False)


__all__ = ["logf"]
