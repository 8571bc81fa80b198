"""One op at a time: its tape VJP and symbolic derivative vs finite differences.

Used by ``sg.check`` to point at the op whose rule is wrong. The op runs
alone on float64 copies of its recorded inputs; a fixed random cotangent
``u`` turns it into the scalar ``sum(u * op(inputs))``.

>>> import symgrad as sg, numpy as np
>>> from symgrad.checking.graph import replay
>>> a = sg.tensor([0.5, 1.5], requires_grad=True)
>>> y = a.sin()
>>> op_gradient_errors(y, replay(y, dtype=np.float64), 1e-6, 1e-5, 1e-3)
(True, None)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd import grad
from ..eager.dispatch import apply
from ..eager.tensor import Tensor

MAX_ELEMENTS = 64


def op_gradient_errors(t: Tensor, vals: dict[int, np.ndarray], eps: float, atol: float,
                       rtol: float, check_symbolic: bool = False) -> tuple[bool | None, bool | None]:
    """(tape rule agrees, symbolic rule agrees) for the op that made ``t``;
    ``None`` where there was nothing to compare."""
    op, attrs = t.record.op, dict(t.record.attrs or {})
    xs: list[Any] = []
    diff_at: list[int] = []
    for k, x in enumerate(t.record.inputs):
        if isinstance(x, Tensor):
            v = np.array(vals[id(x)], copy=True)
            n = Tensor._wrap(v)
            n._name = f"x{k}"
            if v.dtype.kind == "f" and x._requires_grad and (op.variadic or op.args[k] not in op.no_edge):
                n.requires_grad_(True)
                diff_at.append(k)
            xs.append(n)
        else:
            xs.append(x)
    if not diff_at:
        return None, None
    out = apply(op, tuple(xs), attrs)
    if out._data is None or out._data.dtype.kind != "f":
        return None, None
    u = np.random.default_rng(1).standard_normal(out._data.shape)
    leaves = [xs[k] for k in diff_at]
    try:
        tape = [g._data if g is not None else np.zeros_like(x._data)
                for g, x in zip(grad(out, leaves, grad_outputs=Tensor._wrap(u),
                                     allow_unused=True), leaves)]
    except Exception:
        return False, None
    arrays = [x._data if isinstance(x, Tensor) else x for x in xs]

    def f(k: int, v: np.ndarray) -> float:
        args = list(arrays)
        args[k] = v
        with np.errstate(all="ignore"):
            return float(np.sum(u * op.forward(*args, **attrs)))

    fd = []
    for k in diff_at:
        x0 = arrays[k]
        g = np.full(x0.size, np.nan)
        for i in range(min(x0.size, MAX_ELEMENTS)):
            xp, xm = x0.copy().ravel(), x0.copy().ravel()
            xp[i] += eps
            xm[i] -= eps
            g[i] = (f(k, xp.reshape(x0.shape)) - f(k, xm.reshape(x0.shape))) / (2 * eps)
        fd.append(g)

    def agrees(gs: list[np.ndarray]) -> bool:
        for g, want in zip(gs, fd):
            n = min(want.size, MAX_ELEMENTS)
            got = np.asarray(g, np.float64).ravel()[:n]
            if not np.all(np.abs(got - want[:n]) <= atol + rtol * np.abs(want[:n])):
                return False
        return True

    sym_ok = None
    if check_symbolic:
        sym_ok = _symbolic_agrees(out, leaves, u, agrees)
    return agrees(tape), sym_ok


def _symbolic_agrees(out: Tensor, leaves: list[Tensor], u: np.ndarray, agrees: Any) -> bool | None:
    try:
        from ..kernels.lambdify import lambdify
        from ..symbolic.api import diff
        scalar = (out * Tensor._wrap(u)).sum()
        gs = diff(scalar, leaves)
        gs = list(gs) if isinstance(gs, (list, tuple)) else [gs]
        k = lambdify(gs, [x.name for x in leaves])
        vals = k(*[x._data for x in leaves])
        vals = [np.broadcast_to(v, x._data.shape) for v, x in zip(vals, leaves)]
        return agrees(vals)
    except Exception:
        return None
