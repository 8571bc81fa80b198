"""The values of ``arange`` and ``linspace`` exactly as PyTorch's CPU kernels compute them.

PyTorch fills ``arange`` with ``start + i * step`` in double precision, as one
fused multiply-add (one rounding), but its vectorised loop (blocks of
``2 * lanes`` elements; 8 float32 or 4 float64 lanes, the AVX2 kernels)
computes one such base per vector, rounds it to the output dtype, and adds
``k * step`` to it; the tail that does not fill two vectors is done one
element at a time. ``linspace`` works in the output dtype, one
element at a time, from ``start`` up to the halfway point and from ``end``
down after it (again fused multiply-adds). The
difference is in the last bits, and it matters: ``arange(-8., 8., .1)[80]``
is ``4.4e-16`` in PyTorch (so ``relu`` of it is positive), ``-2.8e-14`` in
NumPy.

>>> float(arange_values(-8.0, 8.0, 0.1, np.dtype(np.float32))[80])
4.440892098500626e-16
>>> linspace_values(0, 1, 5, np.dtype(np.float32)).tolist()
[0.0, 0.25, 0.5, 0.75, 1.0]

Ranges longer than PyTorch's grain size (32768 elements) may be split
between threads at other points in PyTorch; there the last bits can differ.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}
"""Vector lanes of PyTorch's CPU kernels (AVX2), per output dtype."""

_SPLIT = 134217729.0  # 2**27 + 1: Dekker's split of a double into two halves


def _two_product(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a * b == p + e`` exactly (Dekker)."""
    p = a * b
    ca, cb = _SPLIT * a, _SPLIT * b
    ah, bh = ca - (ca - a), cb - (cb - b)
    al, bl = a - ah, b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e


def fma(a: Any, b: Any, c: Any) -> np.ndarray:
    """``a * b + c`` in float64 with (almost always) a single rounding, as a fused
    multiply-add; the compiled kernels contract ``start + step * i`` into one.

    >>> float(fma(0.1, 80.0, -8.0))
    4.440892098500626e-16
    """
    a, b, c = (np.asarray(x, dtype=np.float64) for x in (a, b, c))
    p, e = _two_product(a, b)
    s = p + c
    bb = s - p
    err = (p - (s - bb)) + (c - bb)  # TwoSum: p + c == s + err exactly
    with np.errstate(invalid="ignore"):
        out = s + (err + e)
    return np.where(np.isfinite(p), out, p * 1.0 + c)


def arange_length(start: float, end: float, step: float, integral: bool) -> int:
    """PyTorch's element count, with its errors for a zero or inconsistent step.

    >>> arange_length(-8.0, 8.0, 0.1, False), arange_length(0, 10, 3, True)
    (160, 4)
    """
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(float(start)) and math.isfinite(float(end))):
        raise RuntimeError(f"unsupported range: {start:g} -> {end:g}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if integral:
        sgn = (step > 0) - (step < 0)
        return max(0, int(math.ceil((end - start + step - sgn) / step)))
    return max(0, int(math.ceil((float(end) - float(start)) / float(step))))


def arange_values(start: Any, end: Any, step: Any, dtype: np.dtype) -> np.ndarray:
    """``torch.arange(start, end, step, dtype=...)``'s values (see the module docstring)."""
    integral = dtype.kind in "iub" and all(isinstance(v, (int, np.integer))
                                          for v in (start, end, step))
    n = arange_length(start, end, step, integral)
    if dtype.kind in "iub":
        if integral:
            return (start + step * np.arange(n, dtype=np.int64)).astype(dtype)
        return (float(start) + float(step) * np.arange(n, dtype=np.float64)).astype(dtype)
    start, step = float(start), float(step)
    idx = np.arange(n, dtype=np.float64)
    out = fma(step, idx, start)  # the scalar tail
    lanes = LANES.get(dtype)
    if lanes is not None:
        full = (n // (2 * lanes)) * (2 * lanes)
        k = idx[:full] % lanes
        base = fma(step, idx[:full] - k, start).astype(dtype).astype(np.float64)
        out[:full] = fma(k, step, base)
    return out.astype(dtype)


def linspace_values(start: Any, end: Any, steps: int, dtype: np.dtype) -> np.ndarray:
    """``torch.linspace(start, end, steps, dtype=...)``'s values (see the module docstring)."""
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if steps == 0:
        return np.zeros((0,), dtype=dtype)
    if steps == 1:
        return np.array([start], dtype=np.float64).astype(dtype)
    if dtype.kind not in "f":
        step = (float(end) - float(start)) / (steps - 1)
        i = np.arange(steps, dtype=np.float64)
        half = steps // 2
        vals = np.where(i < half, float(start) + step * i, float(end) - step * (steps - i - 1))
        return vals.astype(dtype)
    t = dtype.type
    s, e = t(start), t(end)
    step = t((e - s) / t(steps - 1))
    half = steps // 2
    i = np.arange(steps)

    def fused(a: Any, b: Any, c: Any) -> np.ndarray:  # a * b + c, one rounding to dtype
        return fma(a, b, c).astype(dtype)

    return np.where(i < half, fused(step, i.astype(dtype), s),
                    fused(-step, (steps - i - 1).astype(dtype), e))
