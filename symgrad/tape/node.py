"""``grad_fn`` nodes. Each node's class is named after PyTorch's node
(``MulBackward0``), so ``type(y.grad_fn).__name__`` reads as in PyTorch.

>>> node_class("MulBackward0").__name__
'MulBackward0'
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .saved import SavedTensor, SavedValue, Unpacker

_seq = itertools.count()


class Node:
    """A backward function: the op, what it saved and where its gradients go."""

    __slots__ = ("_op", "_attrs", "next_functions", "_saved", "_meta", "_pre_hooks",
                 "_post_hooks", "_retain", "_seq", "__weakref__", "metadata")

    def __init__(self) -> None:
        self._seq = next(_seq)
        self._pre_hooks: list | None = None
        self._post_hooks: list | None = None
        self._retain: Any = None

    def name(self) -> str:
        """PyTorch's name of this node, e.g. ``SigmoidBackward0``."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def register_hook(self, fn: Any) -> None:
        """``fn(grad_inputs, grad_outputs)`` runs after this node computes its gradients."""
        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(fn)

    def register_prehook(self, fn: Any) -> None:
        """``fn(grad_outputs)`` runs before this node; may return replacements."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        self._pre_hooks.append(fn)

    def apply(self, grad: Any, xp: Any, as_tensor: bool) -> list[Any]:
        """Gradients for each of ``next_functions`` (``None`` where there is none)."""
        op = self._op
        s = Unpacker(self._saved, as_tensor)
        attrs = self._attrs
        rules = op.edge_vjps
        variadic = op.variadic
        meta = self._meta
        out: list[Any] = []
        for i, (fn, _) in enumerate(self.next_functions):
            if fn is None:
                out.append(None)
                continue
            g = rules[0](xp, grad, s, attrs, i) if variadic else rules[i](xp, grad, s, attrs)
            if g is not None:
                shape, dtype = meta[i]
                if as_tensor:
                    if g.shape != shape:
                        g = xp.sum_to(g, shape)
                    if g._data is not None and g._data.dtype != dtype:
                        g = xp.cast(g, dtype)
                else:
                    if type(g) is not np.ndarray:
                        g = np.asarray(g)
                    if g.shape != shape:
                        g = xp.sum_to(g, shape)
                    if g.dtype != dtype:
                        g = g.astype(dtype)
            out.append(g)
        return out

    def free_saved(self) -> None:
        for v in self._saved.values():
            if type(v) is SavedTensor or type(v) is SavedValue:
                v.free()

    @property
    def saved_tensor_names(self) -> tuple[str, ...]:
        return tuple(self._saved)


class AccumulateGrad(Node):
    """The node behind a leaf: adds incoming gradients into ``leaf.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable: Any) -> None:
        super().__init__()
        self.variable = variable
        self.next_functions = ()
        self._saved = {}

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"


_NODE_CLASSES: dict[str, type[Node]] = {}

# nodes that PyTorch writes by hand in C++: ``name()`` carries the namespace
_QUALIFIED = frozenset({"CopyBackwards", "CopySlices"})


def node_class(name: str) -> type[Node]:
    """The (cached) Node subclass called ``name``.

    >>> node_class("CopyBackwards")().name()
    'torch::autograd::CopyBackwards'
    """
    cls = _NODE_CLASSES.get(name)
    if cls is None:
        body: dict = {"__slots__": ()}
        if name in _QUALIFIED:
            qualified = "torch::autograd::" + name
            body["name"] = lambda self: qualified
        cls = type(name, (Node,), body)
        _NODE_CLASSES[name] = cls
    return cls
