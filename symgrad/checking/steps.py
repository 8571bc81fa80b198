"""Finite-difference error against step size: the V that shows where round-off takes over.

``sg.check`` compares gradients with a central difference of one step
(``eps=1e-6``). :func:`fd_steps` repeats that difference over many steps
and measures its error against the float64 tape gradient of the same graph
rebuilt from the recorded ops (:func:`symgrad.checking.graph.fresh_tape`):
for large steps truncation error falls as ``h**2``, for small ones round-off
grows as ``1/h``, and the bottom of the V is the step to trust.
``StepScan.plot()`` draws it (needs matplotlib). ``sg.check``'s report does the
same for the graph it checked: ``report.fd_steps()``, ``report.plot_steps()``.

>>> import symgrad as sg
>>> a = sg.tensor([0.5, 1.0, 2.0], requires_grad=True, name="a")
>>> scan = fd_steps(sg.exp(a).sum(), steps=[1e-1, 1e-5, 1e-13])
>>> err = scan.errors["a"]
>>> err[1] < err[0] and err[1] < err[2]          # the V: both ends are worse
True
>>> scan.best_step("a")
1e-05
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import errors
from ..autograd import grad
from ..eager.tensor import Tensor
from .graph import fresh_tape, leaves, replay

STEPS = tuple(float(h) for h in np.logspace(-14, 0, 29))
MAX_ELEMENTS = 16  # per input: the first ones; a scan is a picture, not a proof


@dataclass(frozen=True)
class StepScan:
    """Max abs error of the central difference at each step, per input name."""

    steps: tuple[float, ...]
    errors: dict[str, tuple[float, ...]]
    check_eps: float = 1e-6

    def best_step(self, name: str) -> float:
        """The step with the smallest error for input ``name``."""
        errs = self.errors[name]
        return self.steps[int(np.nanargmin(errs))]

    def __str__(self) -> str:
        names = list(self.errors)
        lines = ["step      " + "  ".join(f"{n:>9}" for n in names)]
        for i, h in enumerate(self.steps):
            lines.append(f"{h:<8.0e}  " + "  ".join(f"{self.errors[n][i]:9.2e}" for n in names))
        return "\n".join(lines)

    def plot(self, ax: Any = None) -> Any:
        """A log-log plot of error against step, with ``sg.check``'s step marked;
        returns the matplotlib Figure (matplotlib: ``pip install -e ".[plot]"``)."""
        try:
            from matplotlib.figure import Figure
        except ImportError:
            raise ImportError(errors.NO_MATPLOTLIB) from None
        if ax is None:
            fig = Figure(figsize=(6.4, 4.0), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        for name, errs in self.errors.items():
            shown = np.maximum(np.asarray(errs, dtype=np.float64), 1e-18)  # log axis: no 0
            ax.loglog(self.steps, shown, marker="o", markersize=3, label=name)
        ax.axvline(self.check_eps, color="grey", linestyle=":", label="sg.check's eps")
        ax.set_xlabel("finite-difference step h")
        ax.set_ylabel("max |central difference - gradient|")
        ax.legend()
        return fig


def _float64_forward(y: Tensor, w: Tensor) -> Any:
    def f(value: np.ndarray) -> float:
        return float(np.sum(replay(y, {id(w): value}, np.float64)[id(y)]))
    return f


def fd_steps(y: Tensor, wrt: Tensor | Sequence[Tensor] | None = None,
             steps: Sequence[float] = STEPS, check_eps: float = 1e-6) -> StepScan:
    """Central-difference error of scalar ``y``'s gradient at each of ``steps``."""
    if wrt is None:
        ws = [t for t in leaves(y) if t._requires_grad]
    else:
        ws = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    y64, w64 = fresh_tape(y, ws, np.float64)
    reference = grad(y64, w64, allow_unused=True)
    by_name: dict[str, tuple[float, ...]] = {}
    with np.errstate(all="ignore"):
        for w, g in zip(ws, reference):
            ref = np.zeros(w.shape) if g is None else np.asarray(g._data, dtype=np.float64)
            f = _float64_forward(y, w)
            x0 = np.asarray(w._data, dtype=np.float64)
            idx = range(min(x0.size, MAX_ELEMENTS))
            row = []
            for h in steps:
                worst = 0.0
                for i in idx:
                    xp, xm = x0.copy().ravel(), x0.copy().ravel()
                    xp[i] += h
                    xm[i] -= h
                    d = (f(xp.reshape(x0.shape)) - f(xm.reshape(x0.shape))) / (2 * h)
                    worst = max(worst, float(abs(d - ref.ravel()[i])))
                row.append(worst)
            by_name[w.name] = tuple(row)
    return StepScan(tuple(float(h) for h in steps), by_name, check_eps)
