"""``one_hot``: class labels as a 0/1 tensor, so that a loss picks the labelled
entries with a product and a sum (``-sum(one_hot(y, 3)*log_softmax(z, dim=1))``)
and its formula does not grow with the batch.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> y = TensorSymbol("y", (4,))
>>> OneHot.new(y, 3, 1), OneHot.new(y, 3, 1).tshape, OneHot.new(y, 3, 0)
(one_hot(y, 3), (4, 3), one_hot(y, 3, dim=0))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .nodebase import Structural


def one_hot_np(labels: np.ndarray, classes: int, dim: int) -> np.ndarray:
    """1.0 where ``arange(classes)`` (along the new axis ``dim``) equals the label.

    >>> one_hot_np(np.array([2, 0]), 3, 1).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    t = np.expand_dims(np.asarray(labels), dim)
    r = t.ndim
    k = np.arange(classes).reshape((classes,) + (1,) * (r - 1 - dim))
    return (t == k).astype(np.float64)


class OneHot(Structural):
    """``one_hot(labels, classes, dim)``: float 0/1 of ``labels``' shape with a new
    axis of length ``classes`` at ``dim``; labels outside ``[0, classes)`` (an
    ``ignore_index``) give a zero row. No derivative reaches the labels.
    Layout ``(labels, Param(classes), Param(dim))``; NumPy :func:`one_hot_np`."""

    name, nparams = "one_hot", 2

    def shape_rule(self, ts: tuple) -> tuple:
        c, d = self.param(0), self.param(1)
        return tuple(ts[:d]) + (c,) + tuple(ts[d:])

    def numpy(self, t: Any) -> Any:
        return one_hot_np(t, self.param(0), self.param(1))

    def _attr_str(self, printer: Any) -> str:
        c, d = self.param(0), self.param(1)
        return f"{c}" if d == len(self.tshape) - 1 else f"{c}, dim={d}"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [None]

    def jvp(self, t: list) -> None:
        return None
