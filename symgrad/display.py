"""Rich display in Jupyter: tensors with their value and formula, formulas typeset by
symgrad's own LaTeX printer.

:func:`install` runs when ``symgrad`` is imported. It gives :class:`Tensor` a
``_repr_mimebundle_`` (the PyTorch repr, plus the formula of a computed
tensor or the formula behind a leaf's ``.grad``), and, inside IPython,
registers symgrad's LaTeX printer for every SymPy object, so ``sg.diff``'s
results show ``@`` and transposes as a person writes them and big formulas
in let form. Outside IPython it costs nothing. ``sg.check``'s report shows as
an HTML table (its ``_repr_html_``) and pictures as SVG
(:class:`symgrad.viz.Picture`).

>>> import symgrad as sg
>>> a = sg.tensor([1., 2.], requires_grad=True, name="a")
>>> bundle = (a * a)._repr_mimebundle_()
>>> bundle["text/plain"]
'tensor([1., 4.], grad_fn=<MulBackward0>)'
>>> print(bundle["text/html"])
<div><pre>tensor([1., 4.], grad_fn=&lt;MulBackward0&gt;)</pre>formula: $a^{2}$</div>
>>> print(formula_latex(sg.diff((a * a).sum(), a)))
$\\displaystyle 2 a$
"""

from __future__ import annotations

import sys
from typing import Any

from .eager.tensor import Tensor

TENSOR_LINES = 12  # a tensor's formula in let form: the first and last lines, and how many more


def formula_latex(expr: Any) -> str | None:
    """A formula as Jupyter's ``text/latex``: symgrad's printer, let form when big
    (``None``, so Jupyter shows the text, for an object the printer cannot take)."""
    from .symbolic.printing import to_latex
    try:
        return "$\\displaystyle " + to_latex(expr) + "$"
    except Exception:  # noqa: BLE001 - a display never raises
        return None


def _formula_of(t: Tensor) -> tuple[str, Any] | None:
    try:
        if t.record.op is not None:
            return "formula", t.expr
        if t._grad is not None:
            g = t.grad_formula
            return ("grad formula", g) if g is not None else None
    except Exception:  # noqa: BLE001 - a repr shows what it can
        return None
    return None


def tensor_bundle(t: Tensor, include: Any = None, exclude: Any = None) -> dict[str, str]:
    """``Tensor._repr_mimebundle_``: the repr, and its formula in HTML with LaTeX."""
    import html
    text = repr(t)
    out = {"text/plain": text}
    body = f"<pre>{html.escape(text)}</pre>"
    found = _formula_of(t)
    if found is not None:
        from .symbolic.printing import to_latex
        what, f = found
        body += f"{what}: ${html.escape(to_latex(f, max_lines=TENSOR_LINES))}$"
    out["text/html"] = f"<div>{body}</div>"
    return out


def _ipython() -> Any:
    ipy = sys.modules.get("IPython")
    if ipy is None:
        return None
    try:
        return ipy.get_ipython()
    except Exception:  # noqa: BLE001 - an odd IPython: no rich display, no error
        return None


def install() -> None:
    """Tensors' rich repr always; inside IPython, formulas as LaTeX by symgrad's printer."""
    Tensor._repr_mimebundle_ = tensor_bundle  # type: ignore[attr-defined]
    shell = _ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    latex = shell.display_formatter.formatters.get("text/latex")
    if latex is not None:
        latex.for_type_by_name("sympy.core.basic", "Basic", formula_latex)
