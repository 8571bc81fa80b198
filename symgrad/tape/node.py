"""``grad_fn`` nodes. Each node's class is named after PyTorch's node
(``MulBackward0``), so ``type(y.grad_fn).__name__`` reads as in PyTorch.

>>> node_class("MulBackward0").__name__
'MulBackward0'
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import numpy as np

from .saved import SavedTensor, SavedValue, Unpacker

_seq = itertools.count()


class _Wrap:
    """How to make a tensor of an array (set by the engine's ``configure``)."""

    fn: Any = None


_WRAP = _Wrap()


class RemovableHandle:
    """What ``register_hook``/``register_prehook`` return; ``.remove()`` unregisters.

    >>> hooks = [print]; h = RemovableHandle(hooks, print); h.remove(); hooks
    []
    """

    def __init__(self, hooks: list, fn: Any) -> None:
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)

    def __repr__(self) -> str:
        return f"<torch.utils.hooks.RemovableHandle object at {hex(id(self))}>"


class PreHook:
    """A ``grad_fn.register_prehook`` hook: PyTorch calls it with the tuple of
    output gradients and takes a tuple back; tensor hooks get one gradient."""

    __slots__ = ("fn",)

    def __init__(self, fn: Any) -> None:
        self.fn = fn

    @property
    def __name__(self) -> str:  # for the hook errors
        return getattr(self.fn, "__name__", type(self.fn).__name__)

    def __call__(self, grad: Any) -> Any:
        r = self.fn((grad,))
        return None if r is None else r[0]


class OutputHook:
    """A tensor hook on output ``nr`` of a node with several outputs."""

    __slots__ = ("fn", "nr")

    def __init__(self, fn: Any, nr: int) -> None:
        self.fn, self.nr = fn, nr

    @property
    def __name__(self) -> str:
        return getattr(self.fn, "__name__", type(self.fn).__name__)

    def __call__(self, grad: Any) -> Any:
        return self.fn(grad)


class Node:
    """A backward function: the op, what it saved and where its gradients go."""

    __slots__ = ("_op", "_attrs", "next_functions", "_saved", "_meta", "_pre_hooks",
                 "_post_hooks", "_retain", "_seq", "__weakref__", "metadata")

    # a node with several outputs (a custom ``autograd.Function``) gets a list of
    # gradients, one per output; edges name the output (``(node, output_nr)``)
    _multi = False

    def __init__(self) -> None:
        self._seq = next(_seq)
        self._pre_hooks: list | None = None
        self._post_hooks: list | None = None
        self._retain: Any = None

    def name(self) -> str:
        """PyTorch's name of this node, e.g. ``SigmoidBackward0``."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def register_hook(self, fn: Any) -> RemovableHandle:
        """``fn(grad_inputs, grad_outputs)`` (tuples) runs after this node computes its
        gradients; a returned tuple replaces ``grad_inputs``."""
        if self._post_hooks is None:
            self._post_hooks = []
        self._post_hooks.append(fn)
        return RemovableHandle(self._post_hooks, fn)

    def register_prehook(self, fn: Any) -> RemovableHandle:
        """``fn(grad_outputs)`` (a tuple) runs before this node; a returned tuple
        replaces the gradients."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        h = PreHook(fn)
        self._pre_hooks.append(h)
        return RemovableHandle(self._pre_hooks, h)

    def __getattr__(self, name: str) -> Any:
        """PyTorch's ``_saved_<name>`` (and ``_raw_saved_<name>``) attributes: what the
        node saved, e.g. ``(a * b).grad_fn._saved_self is a``."""
        if name == "metadata":  # PyTorch's per-node dict, made on first use
            self.metadata = {}
            return self.metadata
        raw = name.startswith("_raw_saved_")
        if raw or name.startswith("_saved_"):
            key = name[len("_raw_saved_" if raw else "_saved_"):]
            try:
                saved = object.__getattribute__(self, "_saved")
            except AttributeError:
                saved = {}
            if key in saved:
                v = saved[key]
                if raw:
                    return v
                if type(v) is SavedTensor:
                    t = v.unpack(True)
                    # a saved output comes back as a new tensor object, as in PyTorch
                    return copy.copy(t) if v.grad_fn_name is not None else t
                if type(v) is SavedValue:
                    v = v.unpack(True)
                    # PyTorch wraps a saved Python number into a 0-d tensor
                    if type(v) in (int, float, bool) and _WRAP.fn is not None:
                        return _WRAP.fn(np.asarray(v))
                return v
            op = getattr(self, "_op", None)
            if not raw and op is not None:
                if key in op.saves:  # declared, but not needed by this call's inputs
                    return None
                attrs = getattr(self, "_attrs", None) or {}
                if key in attrs:  # a non-tensor argument PyTorch keeps (exponent, dim, min)
                    return attrs[key]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

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

    __slots__ = ("post_accumulate_hooks", "variable")

    def __init__(self, variable: Any) -> None:
        super().__init__()
        self.variable = variable
        self.post_accumulate_hooks: list | None = None
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
