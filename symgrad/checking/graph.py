"""The recorded graph under a tensor, re-run: for ``sg.check``.

Every tensor keeps its record (op, inputs, attrs), so the forward can be
replayed from the leaves with the op table's NumPy forwards, at other
leaf values or in float64, without re-running the user's Python.
``fresh_tape`` replays it through the tape itself (a new graph with new
saved tensors), which is how the check gets a tape gradient that no
in-place or ``.data`` change can have touched.

>>> import symgrad as sg, numpy as np
>>> a = sg.tensor([1., 2.], requires_grad=True, name="a")
>>> y = (a * a).sum()
>>> [t.record.op.name if t.record.op else t.name for t in graph_tensors(y)]
['a', 'mul', 'sum']
>>> float(replay(y, {id(a): np.array([3., 4.])})[id(y)])
25.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..autograd.function_formula import function_class
from ..eager.dispatch import apply
from ..eager.tensor import Tensor
from ..tape.saved import SavedTensor


def graph_tensors(y: Tensor) -> list[Tensor]:
    """Tensors below ``y`` (itself included), inputs before users, iteratively."""
    order: list[Tensor] = []
    state: dict[int, bool] = {}
    stack: list[tuple[Tensor, bool]] = [(y, False)]
    while stack:
        t, ready = stack.pop()
        if ready:
            order.append(t)
            continue
        if id(t) in state:
            continue
        state[id(t)] = True
        stack.append((t, True))
        for x in reversed(t.record.inputs):
            if isinstance(x, Tensor) and id(x) not in state:
                stack.append((x, False))
    return order


def np_dtype(t: Tensor) -> np.dtype | None:
    """The NumPy dtype of a graph tensor, valued or a ghost (value-less record input)."""
    if t._data is not None:
        return t._data.dtype
    return t._sym_dtype.np_dtype if t._sym_dtype is not None else None


def in_graph(owner: Tensor, name: str, saved: Any) -> Tensor:
    """The graph tensor (as ``graph_tensors`` lists it) that ``owner``'s node saved as
    ``name``: records hold ghosts of intermediates, saved tensors the real ones."""
    if name == "result":
        return owner
    args = owner.record.op.args if owner.record.op is not None else ()
    if name in args:
        k = args.index(name)
        if k < len(owner.record.inputs) and isinstance(owner.record.inputs[k], Tensor):
            return owner.record.inputs[k]
    t = saved.tensor
    g = t._ghost
    return g if isinstance(g, Tensor) and g.record.inputs is t.record.inputs else t


def leaves(y: Tensor) -> list[Tensor]:
    """The leaves below ``y`` (tensors without a record)."""
    return [t for t in graph_tensors(y) if t.record.op is None]


def _cast(v: Any, dtype: Any) -> Any:
    if dtype is None or not isinstance(v, np.ndarray) or v.dtype.kind != "f":
        return v
    return v.astype(dtype, copy=False)


def replay(y: Tensor, values: dict[int, np.ndarray] | None = None,
           dtype: Any = None) -> dict[int, np.ndarray]:
    """Every tensor's value, recomputed from the leaves (``values`` overrides
    leaves by ``id``); floating results cast to ``dtype`` when given."""
    values = values or {}
    out: dict[int, np.ndarray] = {}
    with np.errstate(all="ignore"):
        for t in graph_tensors(y):
            if t.record.op is None:
                v = values.get(id(t), t._data)
                out[id(t)] = _cast(np.asarray(v), dtype)
                continue
            args = [out[id(x)] if isinstance(x, Tensor) else x for x in t.record.inputs]
            r = np.asarray(t.record.op.forward(*args, **(t.record.attrs or {})))
            want = np_dtype(t)
            if dtype is None and want is not None and r.dtype != want:
                r = r.astype(want)
            out[id(t)] = _cast(r, dtype)
    return out


def fresh_tape(y: Tensor, wrt: Sequence[Tensor], dtype: Any = np.float64) -> tuple[Tensor, list[Tensor]]:
    """A new graph for ``y`` built by the tape from copies of the leaves
    (floating ones cast to ``dtype``); returns the new ``y`` and new ``wrt``."""
    new: dict[int, Any] = {}
    wrt_ids = {id(w) for w in wrt}
    for t in graph_tensors(y):
        if t.record.op is None:
            arr = np.array(t._data, copy=True)
            if arr.dtype.kind == "f" and dtype is not None:
                arr = arr.astype(dtype)
            n = Tensor._wrap(arr)
            n._name = t._name
            if id(t) in wrt_ids or t._requires_grad:
                n.requires_grad_(True)
            new[id(t)] = n
            continue
        args = tuple(new[id(x)] if isinstance(x, Tensor) else x for x in t.record.inputs)
        cls = function_class(t.record.op)
        if cls is not None:  # a custom autograd.Function: run it again, backward and all
            out = cls.apply(*args)
            new[id(t)] = out[t.record.attrs["output_nr"]] if isinstance(out, tuple) else out
            continue
        new[id(t)] = apply(t.record.op, args, dict(t.record.attrs or {}))
    return new[id(y)], [new[id(w)] for w in wrt]


def saved_tensors(y: Tensor) -> list[tuple[Tensor, str, Any]]:
    """``(tensor, saved name, SavedTensor)`` for every tensor saved in the graph."""
    found = []
    for t in graph_tensors(y):
        fn = t._grad_fn
        if fn is None or not hasattr(fn, "_saved"):
            continue
        for name, s in fn._saved.items():
            if type(s) is SavedTensor:
                found.append((t, name, s))
    return found
