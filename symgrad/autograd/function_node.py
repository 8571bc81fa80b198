"""The formula side of custom ``autograd.Function`` s (loaded with SymPy, on first use).

:func:`formula` runs a Function's ``forward`` on formula tensors (value-less
tensors standing for the inputs' formulas) and wraps the result in a
:class:`CustomFunction` node, whose reverse-mode rule runs the user's
``backward`` on formula tensors (:func:`backward_formulas`), unless
:func:`~symgrad.autograd.function_formula.forward_formula_gradients` asks for
the derivative of the forward's formula.

>>> import symgrad as torch
>>> class Twice(torch.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         return 2 * x
...     @staticmethod
...     def backward(ctx, g):
...         return 2 * g
>>> x = torch.tensor([1., 2.], requires_grad=True, name="x")
>>> e = Twice.apply(x).expr
>>> e, type(e).__name__
(2*x, 'CustomFunction')
"""

from __future__ import annotations

from typing import Any

import sympy

from ..ops.record import Record
from ..ops.registry import OpDef
from ..symbolic.algebra import E, intern, mul
from ..symbolic.nodebase import Structural
from ..symbolic.nodes_linalg import ZerosLike
from ..symbolic.nodes_linear import BroadcastTo, fit, sum_to_b
from ..symbolic.shapes import shape_of
from ..tape.grad_mode import no_grad
from ..tape.storage import VersionCounter
from .function_base import MODE, PlainCtx, call_forward, user_backward

__all__ = ["CustomFunction", "backward_formulas", "formula", "formula_tensor"]


_FORMULA_OP = OpDef(name="formula", grad_fn="", kind="composite", args=(),
                    forward=lambda **a: None, sym=lambda S, expr=None: expr,
                    doc="a value-less tensor standing for a given formula")


def formula_tensor(e: sympy.Expr, dtype: Any, requires_grad: bool = True) -> Any:
    """A value-less tensor whose formula is ``e``."""
    from ..eager.tensor import Tensor, _init
    t = Tensor.__new__(Tensor)
    _init(t, None, VersionCounter())
    t._sym_shape = tuple(shape_of(e))
    t._sym_dtype = dtype
    t._requires_grad = requires_grad
    t._record = Record(_FORMULA_OP, (), {"expr": e})
    t._expr = e
    return t


class _Run:
    """One symbolic run of a Function's forward: its ctx, output formulas, dtypes."""

    def __init__(self, cls: type, ctx: Any, args: tuple) -> None:
        from ..eager.tensor import Tensor
        from ..symbolic.build import expr_of
        self.cls = cls
        self.inputs = tuple(a.x if type(a) is E else a for a in args)
        dtypes = getattr(ctx, "_input_dtypes", None)
        self.ftensors = []
        for k, a in enumerate(args):
            if type(a) is E:
                dt = dtypes[k] if dtypes else None
                self.ftensors.append(formula_tensor(a.x, dt or _default_dtype()))
            else:
                self.ftensors.append(a)
        self.ctx = PlainCtx(getattr(ctx, "needs_input_grad", ()))
        try:
            out = call_forward(cls, self.ctx, tuple(self.ftensors))
        except NotImplementedError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure is a gap of the formula side
            raise NotImplementedError(
                f"custom Function {cls.__name__}: its forward does not run on symbolic "
                f"tensors ({type(exc).__name__}: {exc})") from None
        outs = out if isinstance(out, tuple) else (out,)
        self.outputs = [expr_of(o) if isinstance(o, Tensor) else None for o in outs]
        self.dtypes = [o.dtype if isinstance(o, Tensor) else None for o in outs]


def _default_dtype() -> Any:
    from .. import dtypes
    return dtypes.get_default_dtype()


def formula(cls: type, ctx: Any, args: tuple, output_nr: int) -> sympy.Expr:
    """The formula of output ``output_nr`` of ``cls`` applied to ``args``."""
    key = tuple(id(a.x) if type(a) is E else ("v", repr(a)) for a in args)
    runs = getattr(ctx, "_formula_runs", None) if ctx is not None else None
    if runs is None:
        runs = {}
        if ctx is not None:
            ctx._formula_runs = runs
    run = runs.get(key)
    if run is None:
        run = runs[key] = _Run(cls, ctx, args)
    fwd = run.outputs[output_nr]
    tensors = [a.x for a in args if type(a) is E]
    return CustomFunction.new(fwd, *tensors, _Info(run, output_nr))


class _Info:
    """The attribute of a :class:`CustomFunction` node (compared by identity)."""

    __slots__ = ("output_nr", "run")

    def __init__(self, run: _Run, output_nr: int) -> None:
        self.run, self.output_nr = run, output_nr

    def __repr__(self) -> str:
        return f"{self.run.cls.__name__}[{self.output_nr}]"


class CustomFunction(Structural):
    """``CustomFunction(forward_formula, *inputs, info)``: output ``info.output_nr`` of a
    custom Function. Prints and evaluates as its forward's formula; reverse mode
    runs the user's backward on formula tensors."""

    ntensor = None
    nparams = 1
    name = "custom_function"

    @property
    def info(self) -> _Info:
        return self.param(0)

    def shape_rule(self, *shapes: tuple) -> tuple:
        return shapes[0]

    def numpy(self, *vals: Any) -> Any:
        return vals[0]

    def _sympystr(self, printer: Any) -> str:
        return printer._print(self.args[0])

    def _latex(self, printer: Any) -> str:
        return printer._print(self.args[0])

    def _numpycode(self, printer: Any) -> str:
        return printer._print(self.args[0])

    def jvp(self, tangents: list) -> sympy.Expr | None:
        return tangents[0]

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        n_in = len(self.tensor_args()) - 1
        ff = MODE.forward_formula
        if ff is not None and self.info.run.cls in ff:
            return [ct] + [None] * n_in
        if nb:
            raise NotImplementedError(f"custom Function {self.info.run.cls.__name__}: "
                                      "Jacobians through a user-written backward")
        return [None] + backward_formulas(self.info, ct)


def backward_formulas(info: _Info, ct: sympy.Expr) -> list:
    """The user's backward run on formula tensors: one cotangent formula per tensor input."""
    from ..eager.tensor import Tensor
    from ..symbolic.build import expr_of
    run = info.run
    grads = []
    for j, out in enumerate(run.outputs):
        if out is None:
            grads.append(None)
            continue
        if j == info.output_nr:
            e = fit(ct, shape_of(out))
        elif run.ctx.materialize_grads:
            e = intern(ZerosLike.new(out))
        else:
            grads.append(None)
            continue
        grads.append(formula_tensor(e, run.dtypes[j]))
    cls = run.cls
    backward = user_backward(cls)
    try:
        with no_grad():
            result = backward(run.ctx, *grads)
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure is a gap of the formula side
        raise NotImplementedError(
            f"custom Function {cls.__name__}: its backward does not run on symbolic tensors "
            f"({type(exc).__name__}: {exc})") from None
    if not isinstance(result, tuple):
        result = (result,)
    out = []
    for a, g in zip(run.ftensors, result):
        if not isinstance(a, Tensor):
            continue
        if g is None:
            out.append(None)
            continue
        if not isinstance(g, (Tensor, int, float, bool)):
            raise TypeError(f"backward of a custom Function returned a {type(g).__name__} "
                            "where a gradient (a tensor, a number or None) was expected")
        e = expr_of(g) if isinstance(g, Tensor) else intern(sympy.sympify(g, strict=True))
        e = _drop_broadcast_factors(e)
        sa = shape_of(a._expr)
        if shape_of(e) != sa:
            e = sum_to_b(e, sa, 0) if len(shape_of(e)) >= len(sa) else fit(e, sa)
        out.append(e)
    n_tensors = sum(1 for a in run.ftensors if isinstance(a, Tensor))
    out += [None] * (n_tensors - len(out))
    return out


def _drop_broadcast_factors(e: sympy.Expr) -> sympy.Expr:
    """``c*ones(n)*rest`` as ``c*rest`` when ``rest`` already has the product's shape: the
    broadcast seed a backward receives (``grad_output``) is then not printed as a factor.
    Only the top-level factors are looked at (no walk of the formula)."""
    if not e.is_Mul:
        return e
    want = shape_of(e)
    keep, dropped = [], []
    for f in e.args:
        if isinstance(f, BroadcastTo) and f.args[0].is_Number:
            dropped.append(f.args[0])
        else:
            keep.append(f)
    if not dropped or not keep:
        return e
    out = mul(*dropped, *keep)
    return out if shape_of(out) == want else e

