"""``torch.autograd.Function``: custom ops with a user-written ``forward`` and ``backward``.

A subclass gets a backward node class ``<Name>Backward`` (PyTorch's
``BackwardCFunction``); ``apply`` makes one instance, which is both the
``ctx`` the user's methods see and the ``grad_fn`` of the outputs, so
attributes put on ``ctx`` show on ``y.grad_fn``. The forward runs with grad
mode off; outputs that are floating and not marked non-differentiable get
the node as their ``grad_fn`` when an input requires grad. The backward
engine calls the node with one gradient per output (zeros for the ones
that got none, unless ``ctx.set_materialize_grads(False)``) and checks what
``backward`` returns as PyTorch does (count, ``None`` for non-tensors,
shapes, dtypes). Saved tensors keep their version, so a later in-place
write is reported at unpack time.

The outputs also get a record (:mod:`.function_formula`), so that their
formula is that of ``forward`` and their gradient formula that of the
user's own ``backward`` (``sg.check`` compares both).

>>> import symgrad as torch
>>> class Square(torch.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x * x
...     @staticmethod
...     def backward(ctx, grad_output):
...         x, = ctx.saved_tensors
...         return 2 * x * grad_output
>>> x = torch.tensor([1., 2.], requires_grad=True)
>>> y = Square.apply(x)
>>> y
tensor([1., 4.], grad_fn=<SquareBackward>)
>>> y.sum().backward(); x.grad
tensor([2., 4.])
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any

import numpy as np

from ..eager.taping import record_inputs, snapshot
from ..eager.tensor import Tensor
from ..ops.record import Record
from ..tape import forward_ad as fwAD
from ..tape.grad_mode import STATE, enable_grad, no_grad
from ..tape.saved import SavedTensor
from . import messages as msg
from .function_base import call_forward, default_method, is_default
from .function_ctx import BackwardCFunction, FunctionCtx
from .function_formula import function_op

__all__ = [
    "BackwardCFunction",
    "Function",
    "FunctionCtx",
    "InplaceFunction",
    "NestedIOFunction",
    "once_differentiable",
]


class FunctionMeta(type):
    """Gives each Function subclass its backward node class ``<Name>Backward``."""

    def __init__(cls, name: str, bases: tuple, attrs: dict) -> None:
        backward_fn = type(name + "Backward", (BackwardCFunction,), {"_forward_cls": cls})
        backward_fn.__module__ = "torch.autograd.function"
        cls._backward_cls = backward_fn
        super().__init__(name, bases, attrs)


class Function(FunctionCtx, metaclass=FunctionMeta):
    """Base class of custom autograd operations (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(msg.function_instantiated(type(self)), DeprecationWarning, stacklevel=2)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(msg.LEGACY_CALL)

    @default_method
    def forward(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(msg.NO_FORWARD)

    @default_method
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> Any:
        raise NotImplementedError(msg.NO_SETUP_CONTEXT)

    @default_method
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError(msg.NO_BACKWARD)

    vjp = backward

    @default_method
    def jvp(ctx: Any, *grad_inputs: Any) -> Any:
        raise NotImplementedError(msg.NO_JVP)

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` on ``args`` and connect its outputs to the graph."""
        setup_style = not is_default(cls.setup_context)
        if setup_style:
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = tuple(bound.args), {}
        return _apply(cls, args, kwargs)


def _apply(cls: type, args: tuple, kwargs: dict) -> Any:
    ctx = cls._backward_cls()
    needs = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
    ctx.needs_input_grad = needs
    ctx._input_kinds = tuple(isinstance(a, Tensor) for a in args)
    tracked = STATE.enabled and any(needs)
    dual = fwAD.LEVELS.visible > 0 and any(isinstance(a, Tensor) and a._fw_tangent
                                           for a in args)
    # the inputs as the outputs' record keeps them, taken before forward may write into them
    rec_inputs = record_inputs(tuple(args), Tensor) if tracked else ()
    visible = fwAD.LEVELS.visible
    fwAD._set_visible(0)  # forward mode is off inside forward: the user's jvp gives tangents
    try:
        output = call_forward(cls, ctx, args, kwargs)
    finally:
        fwAD._set_visible(visible)
    is_tuple = isinstance(output, tuple)
    outs = list(output) if is_tuple else [output]
    dirty = {id(t) for t in ctx.dirty_tensors}
    for a in args:
        if isinstance(a, Tensor) and id(a) in dirty and a._requires_grad and a._grad_fn is None \
                and tracked:
            raise RuntimeError(msg.LEAF_DIRTY)
    nondiff = {id(t) for t in ctx.non_differentiable}
    input_ids = {id(a): a for a in args if isinstance(a, Tensor)}
    for i, o in enumerate(outs):
        if isinstance(o, Tensor) and id(o) in input_ids and id(o) not in dirty:
            outs[i] = _view_of(o)  # an input returned as is: a view of it, as in PyTorch
    ctx.n_outputs = len(outs)
    ctx._out_meta = [(tuple(o._data.shape), o._data.dtype) if isinstance(o, Tensor) else ((), None)
                     for o in outs]
    if tracked:
        _connect(ctx, cls, args, rec_inputs, outs, dirty, nondiff)
    else:
        for o in outs:
            if isinstance(o, Tensor) and id(o) in nondiff:
                o._requires_grad = False
    if dual:
        _forward_ad(ctx, cls, args, outs, nondiff)
    return tuple(outs) if is_tuple else outs[0]


def _view_of(t: Tensor) -> Tensor:
    from ..eager.xp import TensorXP
    with no_grad():
        return TensorXP.alias(t)


def _connect(ctx: BackwardCFunction, cls: type, args: tuple, rec_inputs: tuple, outs: list,
             dirty: set, nondiff: set) -> None:
    """Edges, saved tensors and records: make ``ctx`` the ``grad_fn`` of the outputs."""
    nf, meta = [], []
    for a in args:
        if not isinstance(a, Tensor):
            continue
        if a._requires_grad:
            fn = a._grad_fn
            if fn is None:
                nf.append((a._accumulator(), 0))
            else:
                from ..tape.engine import output_nr
                nf.append((fn, output_nr(a)))
        else:
            nf.append((None, 0))
        meta.append((tuple(a._data.shape), a._data.dtype))
    ctx.next_functions = tuple(nf)
    ctx._meta = tuple(meta)
    ctx._input_dtypes = tuple(a.dtype if isinstance(a, Tensor) else None for a in args)
    if dirty:  # a dirty leaf takes the output's place: the record keeps a stand-in
        rec_inputs = tuple(snapshot(x, copy=False) if isinstance(x, Tensor) and id(x) in dirty
                           else x for x in rec_inputs)
    diff_outs = []
    for i, o in enumerate(outs):
        if not isinstance(o, Tensor):
            continue
        if id(o) in nondiff or o._data.dtype.kind not in "fc":
            o._requires_grad = False
            continue
        if id(o) in dirty:
            o._vc.bump()  # PyTorch bumps a dirty input once more when it takes the output's place
        o._grad_fn = ctx
        o._requires_grad = True
        o._expr = None
        diff_outs.append(o)
    fop = function_op(cls)
    for i, o in enumerate(outs):
        if isinstance(o, Tensor) and o._grad_fn is ctx:
            o._record = Record(fop, rec_inputs, {"output_nr": i, "ctx": ctx})
    out_ids = {id(o) for o in diff_outs}
    saved: list[SavedTensor | None] = []
    for t in ctx.to_save or ():
        if t is None:
            saved.append(None)
        else:
            saved.append(SavedTensor(t, id(t) in out_ids, ctx.name()))
    ctx._saved_list = saved


def _forward_ad(ctx: BackwardCFunction, cls: type, args: tuple, outs: list,
                nondiff: set) -> None:
    """Give the outputs their tangents from the user's ``jvp``, level by level (outermost
    first); at level ``k`` the jvp's own ops are seen by the outer levels only, as the
    forward-mode engine computes any tangent."""
    if is_default(cls.jvp):
        raise NotImplementedError(msg.NO_JVP)
    visible = fwAD.LEVELS.visible
    for li in range(visible):
        lid = fwAD.LEVELS.ids[li]
        tangents = [fwAD.tangent_of(a, lid) if isinstance(a, Tensor) else None for a in args]
        if all(t is None for t in tangents):
            continue
        ts = [t if t is not None or not isinstance(a, Tensor)
              else (Tensor._wrap(np.zeros_like(a._data)) if ctx.materialize_grads else None)
              for a, t in zip(args, tangents)]
        ctx._in_forward_ad = True
        fwAD._set_visible(li)
        try:
            r = cls.jvp(ctx, *ts)  # recorded when inputs require grad (reverse over forward)
        finally:
            fwAD._set_visible(visible)
            ctx._in_forward_ad = False
        rs = list(r) if isinstance(r, tuple) else [r]
        for o, t in zip(outs, rs):
            if isinstance(o, Tensor) and isinstance(t, Tensor) and id(o) not in nondiff:
                o._fw_tangent = {**(o._fw_tangent or {}), lid: t}


def once_differentiable(fn: Any) -> Any:
    """Mark a ``backward`` as not itself differentiable: it runs without grad, and
    differentiating its result raises PyTorch's error."""
    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        with no_grad():
            outputs = fn(ctx, *args)
        if not STATE.enabled:
            return outputs
        requires = any(isinstance(a, Tensor) and a._requires_grad for a in args)
        if not requires:
            return outputs
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        wrapped = tuple(_delayed_error(o) if isinstance(o, Tensor) else o for o in outs)
        return wrapped[0] if single else wrapped
    return wrapper


class _DelayedError(Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        return x.clone()

    @staticmethod
    def backward(ctx: Any, g: Tensor) -> Tensor:
        raise RuntimeError(msg.ONCE_DIFFERENTIABLE)


_DelayedError._backward_cls.name = lambda self: "DelayedError"  # type: ignore[method-assign]


def _delayed_error(t: Tensor) -> Tensor:
    with enable_grad():
        src = Tensor._wrap(t._data, t._vc)
        src._requires_grad = True
        return _DelayedError.apply(src)


class InplaceFunction(Function):
    """PyTorch's ``InplaceFunction``: a Function with an ``inplace`` flag."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace


class NestedIOFunction(Function):
    """Accepted for compatibility (PyTorch's legacy nested-IO Function)."""
