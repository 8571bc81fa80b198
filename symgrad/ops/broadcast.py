"""Broadcasting and its adjoint, in one place for both engines.

>>> import numpy as np
>>> sum_to(np.ones((2, 3)), (3,))
array([2., 2., 2.])
>>> broadcast_shapes((2, 1), (3,))
(2, 3)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def broadcast_shapes(*shapes: Sequence[int | None]) -> tuple[int | None, ...]:
    """The broadcast shape of ``shapes`` (NumPy/PyTorch rules); ValueError if none.
    A ``None`` length (a symbol's unknown length) matches any length.

    >>> broadcast_shapes((None,), (None,)), broadcast_shapes((None, 1), (3,))
    ((None,), (None, 3))
    """
    shapes = [tuple(s) for s in shapes]
    if not any(d is None for s in shapes for d in s):
        return tuple(np.broadcast_shapes(*shapes))
    out: list[int | None] = []
    for i in range(max(map(len, shapes), default=0), 0, -1):
        dims = {s[-i] for s in shapes if len(s) >= i} - {1}
        known = dims - {None}
        if len(known) > 1:
            raise ValueError(f"shape mismatch: objects cannot be broadcast to a single shape "
                             f"{shapes}")
        out.append(known.pop() if known else (None if None in dims else 1))
    return tuple(out)


def reduced_axes(shape: Sequence[int], target: Sequence[int]) -> tuple[tuple[int, ...], int]:
    """Axes of ``shape`` to sum so the result broadcasts to ``target``.

    Returns the leading axes count (summed away) and the kept-dims axes.
    """
    lead = len(shape) - len(target)
    axes = tuple(i + lead for i, n in enumerate(target) if n == 1 and shape[i + lead] != 1)
    return axes, lead


def sum_to(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``x`` over broadcast axes so that it has ``shape``.

    >>> sum_to(np.ones((2, 3)), (2, 1)).tolist()
    [[3.0], [3.0]]
    """
    if x.shape == tuple(shape):
        return x
    axes, lead = reduced_axes(x.shape, shape)
    if lead:
        x = x.sum(axis=tuple(range(lead)))
    if axes:
        x = x.sum(axis=tuple(a - lead for a in axes), keepdims=True)
    return x.reshape(shape)
