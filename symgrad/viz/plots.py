"""Plots with matplotlib (an optional extra: ``pip install -e ".[plot]"``).

:func:`curves` computes what :func:`plot_function` draws (no matplotlib
needed): ``f`` and its derivative on a grid, both from the formula through
kernels (the derivative in forward mode along a tangent of ones).

>>> import symgrad as sg
>>> x = sg.symbol("x", (None,))
>>> xs, f, df = curves(sg.sigmoid(x), x, (-6.0, 6.0), 5)
>>> [round(float(v), 4) for v in f], [round(float(v), 4) for v in df]
([0.0025, 0.0474, 0.5, 0.9526, 0.9975], [0.0025, 0.0452, 0.25, 0.0452, 0.0025])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..eager.tensor import Tensor
from ..symbolic.letform import symbol_names
from . import messages


def _matplotlib() -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(messages.NO_MATPLOTLIB) from None
    return Figure


def curves(y: Tensor, x: Tensor, span: tuple[float, float], n: int = 401
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(xs, f(xs), f'(xs))`` for ``y``, an elementwise function of the symbol ``x``."""
    from ..kernels.lambdify import lambdify
    from ..symbolic.api import diff
    if not isinstance(x, Tensor) or x._data is not None:
        raise TypeError(messages.PLOT_NOT_SYMBOL.format(kind=type(x).__name__))
    lo, hi = (float(v) for v in span)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(messages.PLOT_RANGE.format(lo=lo, hi=hi))
    others = [s for s in symbol_names(y.expr) if s != x.name]
    if others:
        raise ValueError(messages.PLOT_OTHER_SYMBOLS.format(x=x.name, others=", ".join(others)))
    from ..creation import symbol
    dx = symbol("d" + x.name, tuple(x.shape), requires_grad=False)
    jvp = diff(y, x, mode="forward", tangent=dx)
    xs = np.linspace(lo, hi, int(n))
    with np.errstate(all="ignore"):
        f = np.broadcast_to(np.asarray(lambdify(y, [x])(xs), dtype=np.float64), xs.shape)
        df = np.broadcast_to(np.asarray(lambdify(jvp, [x, dx])(xs, np.ones_like(xs)),
                                        dtype=np.float64), xs.shape)
    return xs, f, df


def plot_function(y: Tensor, x: Tensor, span: tuple[float, float], n: int = 401,
                  ax: Any = None) -> Any:
    """``y`` and its derivative against ``x``; returns the matplotlib Figure."""
    xs, f, df = curves(y, x, span, n)  # bad input is reported first, with or without matplotlib
    Figure = _matplotlib()
    if ax is None:
        fig = Figure(figsize=(6.4, 4.0), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    from ..symbolic.printing import to_str
    ax.plot(xs, f, label=_short(to_str(y.expr)))
    ax.plot(xs, df, label=f"d/d{x.name}", linestyle="--")
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.set_xlabel(x.name)
    ax.legend()
    return fig


def _short(text: str, limit: int = 60) -> str:
    first = text.splitlines()[0] if text else text
    return first if len(first) <= limit else first[:limit - 3] + "..."


def plot_steps(scan: Any, ax: Any = None) -> Any:
    """Finite-difference error against step (log-log), ``sg.check``'s step marked."""
    return scan.plot(ax)
