"""The engine call behind ``Tensor.backward``, ``sg.autograd.backward`` and
``sg.autograd.grad``: seeds, checks, the backward event for ``grad_formula``,
then :func:`symgrad.tape.engine.run_backward`.

>>> import symgrad as sg
>>> x = sg.tensor([1., 2.], requires_grad=True)
>>> grad((x ** 3).sum(), x)
(tensor([ 3., 12.]),)
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import errors
from ..ops import OPS
from ..tape import engine, forward_ad
from .grad_events import note_backward

if TYPE_CHECKING:
    from .tensor import Tensor


def _seq(x: Any) -> list:
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _make_grads(outputs: list[Tensor], grads: list[Any] | None, create_graph: bool) -> list[Any]:
    Tensor = type(outputs[0]) if outputs else None  # this module never imports the class
    out = []
    for i, t in enumerate(outputs):
        g = grads[i] if grads is not None and i < len(grads) else None
        if g is None:
            if t._requires_grad and t.numel() != 1:
                raise RuntimeError(errors.IMPLICIT_NONSCALAR)
            arr = np.ones(tuple(t.shape), dtype=t._data.dtype if t._data is not None else None)
            out.append(Tensor._wrap(arr) if create_graph else arr)
            continue
        if not isinstance(g, Tensor):
            g = Tensor._from_data(g)
        if tuple(g.shape) != tuple(t.shape):
            raise RuntimeError(errors.grad_shape_mismatch(g.shape, t.shape).replace(
                "[0]", f"[{i}]"))
        out.append(g if create_graph else g._data)
    return out


def _check_values(outputs: list[Tensor]) -> None:
    for t in outputs:
        if t._data is None:
            raise RuntimeError(errors.SYMBOLIC_NO_VALUE.format(name=t.name)
                               + "; for a symbolic gradient use sg.diff")


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, inputs: Any = None) -> None:
    """Accumulate gradients of ``tensors`` into the ``.grad`` of the leaves below."""
    outputs = _seq(tensors)
    _check_values(outputs)
    if create_graph:
        warnings.warn(errors.BACKWARD_CREATE_GRAPH_WARNING, UserWarning, stacklevel=3)
    # under forward AD the backward pass runs on tensors, so its tangents are pushed too
    as_tensor = create_graph or forward_ad.live()
    grads = _make_grads(outputs, _seq(grad_tensors) or None, as_tensor)
    if retain_graph is None:
        retain_graph = create_graph
    ins = _seq(inputs) if inputs is not None else None
    if ins == []:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    if ins is not None:
        for t in ins:
            if not t._requires_grad:
                raise RuntimeError(errors.input_not_requiring_grad(0))
    note_backward(outputs, grads, ins)
    engine.run_backward(outputs, grads, retain_graph, create_graph, inputs=ins, accumulate=True,
                        as_tensor=as_tensor)


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,
         is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad``.

    ``is_grads_batched``: the first dimension of each of ``grad_outputs`` is a batch;
    one backward pass per batch entry, the results stacked (PyTorch vmaps it).
    """
    if is_grads_batched:
        return _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph,
                             allow_unused, materialize_grads)
    outs = _seq(outputs)
    ins = _seq(inputs)
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads="
                         "True, but got: allow_unused=False.")
    _check_values(outs)
    Tensor = type(outs[0])  # this module never imports the class
    for t in ins:
        if not isinstance(t, Tensor):
            raise TypeError(f"grad(): inputs must be tensors, got {type(t).__name__}")
        if not t._requires_grad:
            raise RuntimeError(errors.input_not_requiring_grad(0))
    as_tensor = create_graph or forward_ad.live()
    grads = _make_grads(outs, _seq(grad_outputs) or None, as_tensor)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    captured = engine.run_backward(outs, grads, retain_graph, create_graph, inputs=ins,
                                   accumulate=False, as_tensor=as_tensor)
    result: list[Tensor | None] = []
    for i, t in enumerate(ins):
        node = t._grad_fn if t._grad_fn is not None else t._accumulator()
        g = captured.get(node)
        if g is not None and node._multi:  # an output of a custom Function
            g = g[engine.output_nr(t)]
        if g is None:
            if materialize_grads:
                z = Tensor._wrap(np.zeros_like(t._data))
                if create_graph:
                    z._requires_grad = True
                result.append(z)
                continue
            if not allow_unused:
                raise RuntimeError(errors.unused_input(i))
            result.append(None)
        else:
            result.append(g if as_tensor else Tensor._wrap(np.array(g, copy=True)))
    return tuple(result)


def _batched_grad(outputs: Any, inputs: Any, grad_outputs: Any, retain_graph: bool | None,
                  create_graph: bool, allow_unused: bool | None,
                  materialize_grads: bool) -> tuple[Tensor | None, ...]:
    gos = _seq(grad_outputs)
    n = gos[0].shape[0] if gos else 0
    rows = [grad(outputs, inputs, [g[b] for g in gos],
                 retain_graph=True if b < n - 1 else retain_graph, create_graph=create_graph,
                 allow_unused=allow_unused, materialize_grads=materialize_grads)
            for b in range(n)]
    return tuple(None if col[0] is None else _stack(col) for col in zip(*rows))


def _stack(col: tuple) -> Any:
    """``stack(col, 0)`` through the engine's tensor namespace (this module imports no
    tensor functions: ``subscript`` imports ``tensor``, which imports this module)."""
    shape = (len(col),) + tuple(col[0].shape)
    return engine.CONFIG.tensor_xp.op(OPS["stack"], *col, dim=0, shape=shape)

