"""Formulas of custom ``autograd.Function`` outputs.

An output of ``MyFn.apply(x)`` carries ``Record(function_op(MyFn), inputs,
{"output_nr": i, "ctx": ctx})``. Its formula is found by running the user's
``forward`` on *formula tensors* (value-less tensors whose formula is the
input's), and it is wrapped in a ``CustomFunction`` node (:mod:`.function_node`): the node
prints, evaluates and differentiates forward-mode as the forward's formula,
but its reverse-mode rule runs the user's ``backward`` on formula tensors,
so ``x.grad_formula`` is the formula of the user's own backward.
:func:`forward_formula_gradients` switches the node to differentiate its
forward's formula instead, which is what ``sg.check`` compares against.

>>> import symgrad as torch
>>> class Cube(torch.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x ** 3
...     @staticmethod
...     def backward(ctx, g):
...         x, = ctx.saved_tensors
...         return 3 * x ** 2 * g
>>> x = torch.tensor([1., 2.], requires_grad=True, name="x")
>>> y = Cube.apply(x).sum()
>>> y.expr
sum(x**3)
>>> y.backward(); x.grad_formula
3*x**2
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ops.registry import OpDef
from .function_base import PlainCtx, call_forward, forward_formula_gradients

__all__ = ["forward_formula_gradients", "function_class", "function_op"]

_OPS: dict[type, OpDef] = {}


def function_op(cls: type) -> OpDef:
    """The (cached) op-table-like entry that records ``cls``'s outputs (not in ``OPS``)."""
    op = _OPS.get(cls)
    if op is None:
        def forward(*arrays: Any, output_nr: int = 0, ctx: Any = None) -> Any:
            return _replay(cls, arrays, output_nr)

        def sym(S: Any, *args: Any, output_nr: int = 0, ctx: Any = None) -> Any:
            from .function_node import formula  # SymPy: loaded with the first formula
            return formula(cls, ctx, args, output_nr)

        op = _OPS[cls] = OpDef(name=cls.__name__, grad_fn=cls.__name__ + "Backward",
                               kind="composite", args=("input",), forward=forward, sym=sym,
                               variadic=True, doc=f"custom autograd.Function {cls.__name__}")
    return op


def function_class(op: Any) -> type | None:
    """The custom Function class whose outputs ``op`` records (``None`` for other ops)."""
    for cls, o in _OPS.items():
        if o is op:
            return cls
    return None


# ------------------------------------------------------------ numeric replay
def _replay(cls: type, arrays: tuple, output_nr: int) -> np.ndarray:
    """Output ``output_nr`` of ``cls.forward`` at other input values (``sg.check``)."""
    from ..eager.tensor import Tensor
    args = tuple(Tensor._wrap(np.array(a)) if isinstance(a, np.ndarray) else a for a in arrays)
    out = call_forward(cls, PlainCtx(), args)
    outs = out if isinstance(out, tuple) else (out,)
    return np.asarray(outs[output_nr]._data)
