"""The public symbolic API: ``sg.diff``, ``sg.jacobian``, ``sg.hessian``.

Arguments are symgrad tensors (with values or from ``sg.symbol``); results
are SymPy expressions (tensor-level formulas over the leaves' symbols).

>>> import symgrad as sg
>>> a = sg.symbol("a", (3,))
>>> out = a * a
>>> y = out.sum() + sg.matmul(out, out)
>>> diff(y, a)
4*a**3 + 2*a
>>> diff(y, a, mode="forward")
4*(a*da @ a**2) + sum(2*a*da)
>>> hessian((a**3).sum(), a)
6*diag(a)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from .algebra import gc_paused
from .build import expr_of
from .forward import jvp, tangent_symbol
from .jacobian import hessian as _hessian
from .jacobian import jacobian as _jacobian
from .printing import tidy
from .reverse import gradient
from .shapes import shape_of


def _expr(t: Any) -> sympy.Expr:
    if isinstance(t, sympy.Basic):
        return t
    if hasattr(t, "record") and hasattr(t, "_data"):
        return expr_of(t)
    raise TypeError(f"expected a symgrad Tensor or a SymPy expression, got {type(t).__name__}")


def _name(t: Any, e: sympy.Expr) -> str:
    return getattr(t, "name", None) or getattr(e, "name", "x")


def diff(y: Any, wrt: Any, mode: str = "reverse", tangent: Any = None) -> Any:
    """Symbolic derivative of ``y`` w.r.t. ``wrt`` (a tensor or a list/tuple of them).

    ``mode="reverse"``: the gradient (scalar ``y``, shaped like ``wrt``) or the
    Jacobian (``y.shape + wrt.shape``). ``mode="forward"``: the JVP along
    ``tangent`` (default a symbol ``d<name>``), shaped like ``y``.
    """
    with gc_paused():
        return _diff(y, wrt, mode, tangent)


def _diff(y: Any, wrt: Any, mode: str, tangent: Any) -> Any:
    many = isinstance(wrt, (list, tuple))
    ws = list(wrt) if many else [wrt]
    ye = _expr(y)
    we = [_expr(w) for w in ws]
    if mode == "reverse":
        if shape_of(ye) == ():
            out = gradient(ye, we)
        else:
            out = [_jacobian(ye, w) for w in we]
    elif mode == "forward":
        if tangent is None:
            ts = [tangent_symbol(w, _name(t, w)) for t, w in zip(ws, we)]
        else:
            tl = list(tangent) if isinstance(tangent, (list, tuple)) else [tangent]
            if len(tl) != len(we):
                raise ValueError(f"diff: {len(tl)} tangents for {len(we)} wrt tensors")
            ts = [_expr(t) for t in tl]
        out = [jvp(ye, [w], [t]) for w, t in zip(we, ts)]
    else:
        raise ValueError(f"diff: mode must be 'reverse' or 'forward', not {mode!r}")
    out = [tidy(o) for o in out]
    return tuple(out) if many else out[0]


def jacobian(y: Any, x: Any) -> Any:
    """The Jacobian of ``y`` w.r.t. ``x`` (or a tuple, for a list of ``x``),
    one formula of shape ``y.shape + x.shape``."""
    if isinstance(x, (list, tuple)):
        return tuple(jacobian(y, v) for v in x)
    with gc_paused():
        return tidy(_jacobian(_expr(y), _expr(x)))


def hessian(y: Any, x: Any) -> Any:
    """The Hessian of a scalar ``y`` w.r.t. ``x``: shape ``x.shape + x.shape``."""
    if isinstance(x, (list, tuple)):
        return tuple(hessian(y, v) for v in x)
    with gc_paused():
        return tidy(_hessian(_expr(y), _expr(x)))


def _seq(x: Any) -> Sequence:
    return x if isinstance(x, (list, tuple)) else [x]
