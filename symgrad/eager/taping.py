"""Recording an op: what the tape keeps per op, in one place.

:func:`record` makes a tensor the output of a new ``grad_fn`` node: the
node's ``next_functions`` (one edge per input that requires grad), the
tensors it saves (exactly what the op's table entry says, so what PyTorch's
``derivatives.yaml`` saves) and the result's :class:`~symgrad.ops.record.Record`,
whose intermediate inputs are *ghosts* (value-less twins, :func:`ghost_of`),
so a graph keeps only the values backward saved while formulas still see
the whole history. :func:`snapshot` keeps a tensor's history across an
in-place op, and :func:`record_stop_gradient` writes ``detach()``/``.data``
into the formula as a stop-gradient.

This module never imports the tensor class: it makes tensors with
``type(t)._wrap`` and ``type(t).__new__``.

>>> import symgrad as sg
>>> a = sg.tensor([1., 2.], requires_grad=True, name="a")
>>> y = a * a
>>> y.grad_fn.name(), sorted(y.grad_fn._saved), y.record.op.name
('MulBackward0', ['other', 'self'], 'mul')
"""

from __future__ import annotations

import weakref
from typing import Any

from .. import dtypes, errors
from ..ops import OPS
from ..ops.record import Record
from ..ops.registry import OpDef
from ..tape.engine import output_nr
from ..tape.node import _NODE_CLASSES, node_class
from ..tape.saved import SAVED_HOOKS, SavedTensor, SavedValue, pack_saved

_NO_EDGE = (None, 0)
# interned (shape, dtype) pairs: fewer long-lived objects per node, so less GC work
_META: dict[tuple, tuple] = {}


def _intern_meta(m: tuple) -> tuple:
    if len(_META) > 4096:
        _META.clear()
    _META[m] = m
    return m


_PLANS: dict[int, tuple[tuple[str, int, int], ...]] = {}


def _save_plan(op: OpDef) -> tuple[tuple[str, int, int], ...]:
    """``op.saves`` as ``(name, mask of the inputs whose gradient needs it (0: always),
    position)``, position -1 for the result and -2 for a non-tensor from attrs."""
    plan = _PLANS.get(id(op))
    if plan is None:
        entries = []
        for sname, idxs in op.saves.items():
            mask = 0
            for i in idxs:
                mask |= 1 << i
            pos = -1 if sname == "result" else op.args.index(sname) if sname in op.args else -2
            entries.append((sname, mask, pos))
        plan = _PLANS[id(op)] = tuple(entries)
    return plan


def record(r: Any, op: OpDef, inputs: tuple, attrs: dict) -> None:
    """Make ``r`` the output of a new ``grad_fn`` node of ``op`` over ``inputs``."""
    Tensor = type(r)
    g = op.grad_fn
    name = g if type(g) is str else g(inputs, attrs)
    node = (_NODE_CLASSES.get(name) or node_class(name))()
    node._op = op
    node._attrs = attrs if op.layout is None else \
        {**attrs, **op.layout(tuple(x._data if isinstance(x, Tensor) else x for x in inputs))}
    nf = []
    meta = []
    needs = 0  # bit k: input k requires grad
    no_edge = op.no_edge_positions
    rec = None  # the inputs as the record keeps them: intermediates as ghosts
    for k, x in enumerate(inputs):
        if isinstance(x, Tensor) and x._record.op is not None and x._data is not None:
            if rec is None:
                rec = list(inputs)
            rec[k] = ghost_of(x)
        if no_edge and k in no_edge:
            continue
        if isinstance(x, Tensor):
            data = x._data
            if x._requires_grad:
                if op.missing_vjp:
                    _check_rule(op, k)
                fn = x._grad_fn
                if fn is None:
                    nf.append((x._accumulator(), 0))
                else:  # which output: 0 but for a custom Function's later outputs
                    nf.append((fn, output_nr(x) if fn._multi else 0))
                needs |= 1 << k
            else:
                nf.append(_NO_EDGE)
            if data is not None:
                m = (data.shape, data.dtype)
                meta.append(_META.get(m) or _intern_meta(m))
            else:
                meta.append(None)
        else:
            nf.append(_NO_EDGE)
            meta.append(None)
    saved: dict[str, Any] = {}
    if op.saves:
        for sname, mask, pos in _PLANS.get(id(op)) or _save_plan(op):
            if mask and not mask & needs:
                continue
            if pos >= 0:
                x = inputs[pos]
                if isinstance(x, Tensor) and x._inference:
                    raise RuntimeError(errors.INFERENCE_SAVED)
                saved[sname] = SavedTensor(x, False, None) if isinstance(x, Tensor) \
                    else SavedValue(x)
            elif pos == -1:
                saved[sname] = SavedTensor(r, True, name)
            else:  # a non-tensor PyTorch saves too (max(dim)'s indices), from attrs
                saved[sname] = SavedValue(attrs[sname])
    node._saved = saved
    node.next_functions = tuple(nf)
    node._meta = tuple(meta)
    r._grad_fn = node
    r._requires_grad = True
    # intermediates as ghosts: the record keeps their history, not their values
    r._record = Record(op, inputs if rec is None else tuple(rec), attrs)
    if SAVED_HOOKS.stack and saved:  # autograd.graph.saved_tensors_hooks
        pack_saved(saved)


def _check_rule(op: OpDef, k: int) -> None:
    """An input that requires grad needs a VJP rule: say so now, not in backward."""
    arg = op.args[min(k, len(op.args) - 1)]
    if op.vjp.get(arg) is None:
        raise RuntimeError(errors.vjp_not_defined(op.name, arg))


def snapshot(t: Any, copy: bool) -> Any:
    """A stand-in for ``t`` before an in-place op: its history and (optionally) its value."""
    if copy and t._data is not None:
        old = type(t)._wrap(t._data.copy())
    else:
        old = type(t)._wrap(t._data, t._vc)
    old._requires_grad = t._requires_grad
    old._grad_fn = t._grad_fn
    old._name = t._name
    old._record = t._record
    old._sym_shape, old._sym_dtype = t._sym_shape, t._sym_dtype
    old._accumulate = t._accumulate
    old._fw_tangent = t._fw_tangent  # forward AD through a saved old value (jvp of grad)
    return old


def ghost_of(t: Any) -> Any:
    """``t`` as an input of a record: a value-less twin with ``t``'s history.

    Records hold ghosts of intermediates instead of the tensors themselves,
    so a graph keeps only the values backward saved, as PyTorch does, while
    formulas and ``sg.check`` still walk the whole history. The ghost is
    cached on ``t``, so every consumer shares one (the DAG keeps its
    sharing), and made anew once an in-place op has rebased ``t``'s history
    (the old one is then the record's snapshot input).

    >>> import symgrad as sg
    >>> a = sg.tensor([1., 2.], requires_grad=True, name="a")
    >>> x = a * a
    >>> y = x + x
    >>> ins = y.record.inputs
    >>> ins[0] is ins[1] is ghost_of(x), ins[0]._data is None
    (True, True)
    >>> y.expr
    2*a**2
    """
    g = t._ghost
    T = type(t)
    if type(g) is T and g._record is t._record and g._grad_fn is t._grad_fn:
        return g
    g = T.__new__(T)  # every slot set here, none copied twice (a hot path)
    data = t._data
    g._data, g._vc = None, t._vc
    g._requires_grad, g._grad_fn, g._grad, g._name = t._requires_grad, t._grad_fn, None, t._name
    g._record = t._record
    g._base = g._hooks = g._accumulate = g._grad_events = g._grad_owner = None
    g._sym_shape, g._sym_dtype = data.shape, dtypes._BY_NP[data.dtype]
    g._expr, g._fw_tangent, g._retains_grad = t._expr, None, False
    g._view_fn = g._views = g._creation_meta = g._fw_view = None
    g._ghost = weakref.ref(t)  # for the name, if ``t`` is named later
    t._ghost = g
    return g


def record_inputs(inputs: tuple, tensor_type: type) -> tuple:
    """``inputs`` with each intermediate (a valued tensor with a record) as its ghost."""
    out = None
    for k, x in enumerate(inputs):
        if isinstance(x, tensor_type) and x._record.op is not None and x._data is not None:
            if out is None:
                out = list(inputs)
            out[k] = ghost_of(x)
    return inputs if out is None else tuple(out)


def record_stop_gradient(t: Any, src: Any, how: str) -> None:
    """``detach()``/``.data`` appear in formulas as a stop-gradient of ``src``."""
    if src._requires_grad or src._record.op is not None or src._data is None:
        t._record = Record(OPS["detach"], (src,), {"how": how})
