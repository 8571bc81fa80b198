"""The autograd side of :class:`~symgrad.eager.tensor.Tensor`: ``requires_grad``,
``.grad``, ``.data``, ``backward``, ``detach``, ``retain_grad`` and hooks.

``Tensor`` inherits these from :class:`TensorAutograd`; they are defined
here so that ``symgrad/tensor.py`` holds the value, the properties and the
printing of a tensor.

>>> import symgrad as sg
>>> a = sg.tensor([1., 2.], requires_grad=True)
>>> y = (a * a).sum()
>>> y.is_leaf, a.is_leaf
(False, True)
>>> handle = a.register_hook(lambda grad: grad * 10)
>>> y.backward(); a.grad
tensor([20., 40.])
>>> handle.remove(); a.detach().requires_grad
False
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .. import errors
from ..ops.record import NO_RECORD
from ..tape.engine import output_nr
from ..tape.node import AccumulateGrad, Node, OutputHook, RemovableHandle
from .backward import backward as _backward
from .taping import record_stop_gradient, snapshot

if TYPE_CHECKING:
    from .tensor import Tensor

# ``symgrad.eager.tensor`` imports this module to define ``Tensor``: the methods
# below make tensors with ``type(self)`` and never import the class.


class TensorAutograd:
    """The autograd properties and methods of a tensor (its slots live on ``Tensor``)."""

    __slots__ = ()

    @property
    def is_leaf(self) -> bool:
        return self._grad_fn is None

    @property
    def grad_fn(self) -> Node | None:
        return self._grad_fn

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self._set_requires_grad(value, errors.ONLY_FLOAT_REQUIRES_GRAD_SET)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Mark (or unmark) a leaf as requiring grad, in place; returns self."""
        self._set_requires_grad(requires_grad, errors.ONLY_FLOAT_REQUIRES_GRAD_)
        return self

    def _set_requires_grad(self, value: bool, non_float_message: str) -> None:
        """Set ``requires_grad`` on a leaf; a non-leaf only accepts ``True``."""
        if self._grad_fn is not None:
            if not value:
                raise RuntimeError(errors.NONLEAF_REQUIRES_GRAD)
            return
        if value and not self.dtype.is_floating_point:
            raise RuntimeError(non_float_message)
        self._requires_grad = bool(value)

    @property
    def grad(self) -> Tensor | None:
        if self._grad_fn is not None and not self._retains_grad:
            warnings.warn(errors.NONLEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, type(self)):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if tuple(value.shape) != tuple(self.shape):
                raise RuntimeError(errors.grad_assign_size(value.shape, self.shape))
            if value.dtype != self.dtype:
                want = self.dtype.tensor_type.replace("Tensor", "")
                got = value.dtype.tensor_type.replace("Tensor", "").lower()
                raise RuntimeError(errors.grad_assign_dtype(got, want))
            value._grad_owner = weakref.ref(self)
        self._grad = value
        self._grad_events = None

    @property
    def data(self) -> Tensor:
        """The same storage, detached, with a **fresh** version counter."""
        t = type(self)._wrap(self._data)
        record_stop_gradient(t, self, "data")
        return t

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, type(self)):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        self._data = value._data

    def _accumulator(self) -> AccumulateGrad:
        acc = self._accumulate
        if acc is None:
            acc = self._accumulate = AccumulateGrad(self)
        return acc

    def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs: Sequence[Tensor] | None = None) -> None:
        """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf below."""
        _backward([self], None if gradient is None else [gradient], retain_graph,
                 create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """Same storage and version counter, no history."""
        t = type(self)._wrap(self._data, self._vc)
        t._sym_shape, t._sym_dtype = self._sym_shape, self._sym_dtype
        record_stop_gradient(t, self, "detach")
        return t

    def detach_(self) -> Tensor:
        """Cut this tensor out of the graph, in place."""
        if self._requires_grad or self._record.op is not None:
            old = snapshot(self, copy=False)
            self._grad_fn = None
            self._requires_grad = False
            self._record = NO_RECORD
            record_stop_gradient(self, old, "detach")
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf after backward."""
        if not self._requires_grad:
            raise RuntimeError(errors.RETAIN_NO_GRAD)
        if self._grad_fn is None:
            return
        self._retains_grad = True
        self._grad_fn._retain = weakref.ref(self)

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """``hook(grad)`` runs when the gradient of this tensor is computed;
        returning a tensor replaces the gradient."""
        if not self._requires_grad:
            raise RuntimeError(errors.HOOK_NO_GRAD)
        if self._grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            hooks = self._hooks
        else:
            if self._grad_fn._pre_hooks is None:
                self._grad_fn._pre_hooks = []
            hooks = self._grad_fn._pre_hooks
            if self._grad_fn._multi:  # one output of a custom Function: its gradient only
                hook = OutputHook(hook, output_nr(self))
        hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]
                                           ) -> RemovableHandle:
        """``hook(leaf)`` runs after a gradient has been accumulated into ``leaf.grad``."""
        if not self._requires_grad:
            raise RuntimeError(errors.HOOK_NO_GRAD)
        if self._grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        acc = self._accumulator()
        if acc.post_accumulate_hooks is None:
            acc.post_accumulate_hooks = []
        acc.post_accumulate_hooks.append(hook)
        return RemovableHandle(acc.post_accumulate_hooks, hook)


def zero_grads(params: Any, set_to_none: bool = True) -> None:
    """Reset the ``.grad`` of each of ``params`` as ``Module.zero_grad`` and
    ``Optimizer.zero_grad`` do: ``None`` (default), or zeros in place, the grad
    detached from any graph first.

    >>> import symgrad as sg
    >>> p = sg.tensor([1., 2.], requires_grad=True); (p * p).sum().backward()
    >>> zero_grads([p], set_to_none=False); p.grad
    tensor([0., 0.])
    """
    for p in params:
        g = p.grad
        if g is None:
            continue
        if set_to_none:
            p.grad = None
            continue
        if g.grad_fn is not None:
            g.detach_()
        else:
            g.requires_grad_(False)
        g.zero_()
