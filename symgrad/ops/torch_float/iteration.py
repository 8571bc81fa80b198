"""Which elements PyTorch's ``cpu_kernel_vec`` sends through the vector code, for
inputs of any layout: ``TensorIterator``'s dimension order and coalescing, then
``VectorizedLoop2d`` row by row.

- The dimensions are ordered innermost-first by the inputs' strides
  (``reorder_dimensions``: the first input whose strides differ decides, broadcast
  dimensions are skipped), so a transposed input is walked in memory order; the
  output is allocated in that order.
- Adjacent dimensions that every input walks contiguously are merged
  (``coalesce_dimensions``); the first one is the row.
- A row whose inputs all step one element (or all but one, which is a broadcast
  scalar) runs 32 floats at a time through the vector code and its last ``n % 32``
  through the scalar code; any other row (a strided or partly broadcast input) runs
  wholly through the scalar code (``basic_loop``).

>>> import numpy as np
>>> x = np.zeros((2, 40), np.float32)
>>> vec = vector_mask((x,))
>>> int(vec.sum()), bool(vec[0, 31]), bool(vec[0, 32])   # each row of 80: 64 + 16
(64, True, True)
>>> int(vector_mask((x[:, ::2],)).sum())                  # strided: the scalar code
0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

f32 = np.float32
BLOCK = 32  # two 16-float AVX512 vectors per step


def _element_strides(a: np.ndarray) -> tuple[int, ...]:
    return tuple(s // a.itemsize for s in a.strides)


def _order(shape: tuple[int, ...], strides: list[tuple[int, ...]]) -> list[int]:
    """``TensorIterator::reorder_dimensions``: the dimensions innermost first."""
    ndim = len(shape)
    perm = list(range(ndim))[::-1]

    def should_swap(d0: int, d1: int) -> int:
        for st in strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 < s1:
                return -1
            if s0 > s1:
                return 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    for i in range(1, ndim):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    return perm


def _row(shape: tuple[int, ...], perm: list[int], strides: list[tuple[int, ...]]
         ) -> tuple[int, list[int]]:
    """``coalesce_dimensions`` from the innermost: the row's length and each input's
    stride along it (in elements)."""
    size = 1
    row_strides = [0] * len(strides)
    started = False
    for d in perm:
        n = shape[d]
        if n == 1:
            continue
        if not started:
            size, row_strides, started = n, [st[d] for st in strides], True
            continue
        if all(st[d] == size * rs for st, rs in zip(strides, row_strides)):
            size *= n
        else:
            break
    return size, row_strides


def vector_mask(operands: Sequence[np.ndarray], half_vector_tail: bool = False) -> np.ndarray:
    """For each element of the (broadcast) operands' shape, whether PyTorch computes it
    in the vector code. ``half_vector_tail``: a row's tail of 16 or more starts with
    one more vector of 16 (measured on the three-input loss backwards)."""
    arrays = np.broadcast_arrays(*[np.asarray(a) for a in operands])
    shape = arrays[0].shape
    out = np.zeros(shape, bool)
    if not out.size:
        return out
    strides = [_element_strides(a) for a in arrays]
    perm = _order(shape, strides)
    row, row_strides = _row(shape, perm, strides)
    # the output is contiguous in this order; one input may be a broadcast scalar
    if not all(s in (0, 1) for s in row_strides) or sum(s == 0 for s in row_strides) > 1:
        return out
    main = row - row % BLOCK
    if half_vector_tail and row - main >= BLOCK // 2:
        main += BLOCK // 2
    flat = np.zeros(out.size, bool)
    flat.reshape(-1, row)[:, :main] = True
    np.transpose(out, perm[::-1])[...] = flat.reshape([shape[d] for d in perm[::-1]])
    return out


def cpu_kernel_vec(operands: Sequence[np.ndarray], vec: Callable[..., np.ndarray],
                   scalar: Callable[..., np.ndarray], args: Sequence[np.ndarray] | None = None,
                   half_vector_tail: bool = False) -> np.ndarray:
    """``vec(*parts)`` on the elements PyTorch's vector code computes, ``scalar(*parts)``
    on the others (each ``parts`` the 1-D selections of ``args``, by default the
    operands, broadcast to one shape). The layout of ``operands`` decides the split."""
    mask = vector_mask(operands, half_vector_tail)
    parts = np.broadcast_arrays(*[np.asarray(a) for a in (operands if args is None else args)])
    out = np.empty(mask.shape, f32)
    if mask.any():
        out[mask] = vec(*[p[mask] for p in parts])
    rest = ~mask
    if rest.any():
        out[rest] = scalar(*[p[rest] for p in parts])
    return out


__all__ = ["BLOCK", "cpu_kernel_vec", "vector_mask"]
