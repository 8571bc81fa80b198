"""Which side of a custom ``autograd.Function`` is wrong: its backward or its forward.

A custom Function has two derivatives: the one its author wrote
(``backward``, which the tape runs and whose formula is the symbolic
gradient) and the derivative of its ``forward``'s formula. Finite
differences of the forward decide between them. For each custom Function
under ``y`` in turn, :func:`diagnose` recomputes the symbolic gradient with
that Function differentiated through its forward's formula; when that
gradient agrees with finite differences and the user's does not, the
Function's ``backward`` is named as the culprit, with both formulas.

>>> import symgrad as torch
>>> class Cube(torch.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x ** 3
...     @staticmethod
...     def backward(ctx, g):
...         x, = ctx.saved_tensors
...         return 2 * x ** 2 * g          # wrong: should be 3 * x ** 2
>>> x = torch.tensor([1., 2.], requires_grad=True, name="x")
>>> report = torch.check(Cube.apply(x).sum())
>>> report.passed, report.diagnoses[0].cause
(False, 'custom-backward')
>>> print(report.diagnoses[0].message.splitlines()[0])
the backward of custom Function `Cube` is wrong: it disagrees with finite differences of its forward, and with the derivative of its forward's formula, which agrees with them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function_formula import forward_formula_gradients, function_class
from ..eager.tensor import Tensor
from .graph import graph_tensors
from .report import Diagnosis, InputReport

__all__ = ["custom_functions", "diagnose"]


def custom_functions(y: Tensor) -> list[type]:
    """The custom Function classes whose outputs are under ``y``, in graph order."""
    found: dict[type, None] = {}
    for t in graph_tensors(y):
        cls = function_class(t.record.op)
        if cls is not None:
            found[cls] = None
    return list(found)


def _forward_gradient(ev: Any, names: list[str], values: dict[str, np.ndarray],
                      cls: type) -> tuple[list[np.ndarray] | None, list[Any]]:
    """The symbolic gradient with ``cls`` differentiated through its forward's formula."""
    from ..kernels.lambdify import lambdify
    from ..symbolic.api import diff
    try:
        with forward_formula_gradients({cls}):
            grads = diff(ev.y, ev.wrt)
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        kernel = lambdify(grads, names)
        with np.errstate(all="ignore"):
            out = kernel(*[_as64(values[n]) for n in names])
    except Exception:  # noqa: BLE001 - this evidence is optional
        return None, []
    return [np.array(np.broadcast_to(np.asarray(g, dtype=np.float64), w._data.shape))
            for g, w in zip(out, ev.wrt)], grads


def _as64(v: np.ndarray) -> np.ndarray:
    return v.astype(np.float64) if v.dtype.kind == "f" else v


def _short(e: Any, limit: int = 300) -> str:
    from ..symbolic.printing import tidy
    s = str(tidy(e)) if e is not None else "0"
    s = s if len(s) <= limit else s[:limit] + " ..."
    return s.replace("\n", "\n    ")


def diagnose(ev: Any, inputs: list[InputReport], names: list[str],
             values: dict[str, np.ndarray]) -> Diagnosis | None:
    """A ``custom-backward`` diagnosis naming the Function whose backward is wrong."""
    classes = custom_functions(ev.y)
    if not classes:
        return None
    for cls in classes:
        got, formulas = _forward_gradient(ev, names, values, cls)
        if got is None:
            continue
        agree = all(
            bool(np.all(ev.close(g.ravel()[idx], fd.ravel()[idx])))
            for g, fd, idx in zip(got, ev.fd, ev.samples))
        if not agree:
            continue
        bad = [r.name for r in inputs if not r.tape_ok or r.symbolic_ok is False]
        lines = [(f"the backward of custom Function `{cls.__name__}` is wrong: it disagrees "
                  "with finite differences of its forward, and with the derivative of its "
                  "forward's formula, which agrees with them."),
                 f"  fix {cls.__name__}.backward (its forward is consistent)."]
        user = ev.formula or []
        for k, w in enumerate(ev.wrt):
            if w.name not in bad:
                continue
            mine = user[k] if k < len(user) else None
            lines.append(f"  d/d{w.name} from your backward:  {_short(mine)}")
            lines.append(f"  d/d{w.name} from the forward:    {_short(formulas[k])}")
        return Diagnosis("custom-backward", "\n".join(lines), where=cls.__name__)
    return None
