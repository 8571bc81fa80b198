"""Pictures: the autograd graph (``sg.viz.graph``), a formula's DAG (``sg.viz.formula``),
and plots (``sg.viz.plot``, ``sg.viz.fd_steps``).

Graphs come out as Graphviz DOT text with no dependency (``.source``);
``.svg()``, ``.png()`` and ``.save("g.svg")`` render them when the
``graphviz`` package and the ``dot`` program are installed, and Jupyter shows
them as SVG. Plots need matplotlib (``pip install -e ".[plot]"``).

>>> import symgrad as sg
>>> a = sg.tensor([1., 2., 3.], requires_grad=True, name="a")
>>> out = a.sigmoid()
>>> c = out.detach()
>>> _ = c.zero_()
>>> picture = sg.viz.graph(out.sum(), locals())  # names from these variables
>>> stale = [line for line in picture.source.splitlines() if "STALE" in line]
>>> print(stale[0].replace("\\\\n", " | "))  # doctest: +ELLIPSIS
  n4 [label="result = out | (3) float32 | saved at version 0, now 1 | STALE: backward will raise", ...];
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..eager.culprit import ScriptScope, user_frame
from ..eager.tensor import Tensor
from . import messages
from .render import Picture, missing
from ..checking.steps import StepScan, fd_steps

__all__ = ["Picture", "StepScan", "fd_steps", "formula", "graph", "missing", "plot"]


def _caller_scope() -> dict[str, Any]:
    f = user_frame()
    if f is None:
        return {}
    return dict(f.names) if isinstance(f, ScriptScope) else dict(f.f_locals)


def graph(obj: Any, scope: Mapping[str, Any] | None = None, *,
          check_data: bool = True) -> Picture:
    """The autograd graph under a tensor (or a list of tensors), as torchviz draws it,
    with saved tensors' versions, stale ones in red, ``.data``/``detach()`` aliases;
    or, given a formula or a value-less tensor (which has no tape), its DAG
    (:func:`formula`).

    Variables are named from ``scope`` (by default the caller's local variables).
    ``check_data`` recomputes saved values to catch writes through ``.data``.
    """
    if isinstance(obj, Tensor) or (isinstance(obj, (list, tuple)) and obj
                                   and all(isinstance(t, Tensor) for t in obj)):
        from .autograd_graph import draw
        roots = [obj] if isinstance(obj, Tensor) else list(obj)
        if all(t._grad_fn is None and t._data is None for t in roots):
            return formula(roots[0] if len(roots) == 1 else roots)
        return draw(roots, _caller_scope() if scope is None else scope, check_data)
    import sympy
    if isinstance(obj, sympy.Basic):
        return formula(obj)
    raise TypeError(messages.NOT_DRAWABLE.format(kind=type(obj).__name__))


def formula(f: Any, max_nodes: int | None = None) -> Picture:
    """A formula's DAG (a tensor's ``.expr`` when given a tensor), each shared
    subexpression drawn once; linear in the size of the DAG.

    >>> import symgrad as sg
    >>> x = sg.symbol("x", (3,))
    >>> y = sg.exp(x) * sg.exp(x)
    >>> sum("exp" in line for line in formula(y).source.splitlines())
    1
    """
    from .formula_graph import MAX_NODES, draw
    if isinstance(f, (list, tuple)):  # several formulas: one picture, shared parts once
        import sympy
        f = sympy.Tuple(*[t.expr if isinstance(t, Tensor) else t for t in f])
    if isinstance(f, Tensor):
        f = f.expr
    return draw(f, MAX_NODES if max_nodes is None else max_nodes)


def plot(y: Any, x: Tensor, range: tuple[float, float] = (-6.0, 6.0), n: int = 401,
         ax: Any = None) -> Any:
    """Plot ``y`` (a tensor or formula of the symbol ``x`` alone) and its derivative
    over ``range``; returns the matplotlib Figure (needs matplotlib)."""
    from .plots import plot_function
    return plot_function(y, x, range, n, ax)
