"""The ``ctx`` of a custom ``autograd.Function`` and the node it is: ``BackwardCFunction``.

One object is both: what ``forward`` tells (``save_for_backward``,
``mark_dirty``, ``mark_non_differentiable``, ``set_materialize_grads``,
attributes of its own) and the ``grad_fn`` the engine calls with one
gradient per output. :meth:`BackwardCFunction.apply` runs the user's
``backward`` and checks what it returns as PyTorch does.

>>> ctx = FunctionCtx()
>>> ctx.save_for_backward(None, 3)
Traceback (most recent call last):
...
TypeError: save_for_backward can only save variables, but argument 1 is of type int
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..eager.tensor import Tensor
from ..tape.node import Node
from ..tape.saved import SavedTensor
from . import messages as msg
from .function_base import user_backward

__all__ = ["BackwardCFunction", "FunctionCtx"]


class FunctionCtx:
    """What ``forward``/``setup_context`` may call on ``ctx``."""

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` for ``backward`` (read back as ``ctx.saved_tensors``)."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(msg.save_not_tensor(i, type(t).__name__))
        self.to_save = tensors

    def save_for_forward(self, *tensors: Tensor | None) -> None:
        """Keep ``tensors`` for ``jvp`` (read back as ``ctx.saved_tensors`` there)."""
        self.saved_for_forward = tensors

    def mark_dirty(self, *args: Tensor) -> None:
        """Say that ``forward`` modified these inputs in place (and returns them)."""
        self.dirty_tensors = args

    def mark_non_differentiable(self, *args: Tensor) -> None:
        """Say that these outputs are not differentiable (they won't require grad)."""
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        """``False``: ``backward`` gets ``None`` (not zeros) for outputs without a gradient."""
        self.materialize_grads = bool(value)

    def mark_shared_storage(self, *pairs: Any) -> None:
        warnings.warn("mark_shared_storage is deprecated. Tensors with shared storages are "
                      "automatically tracked. Note that calls to `set_()` are not tracked",
                      DeprecationWarning, stacklevel=2)


class BackwardCFunction(Node, FunctionCtx):
    """The ``grad_fn`` (and ``ctx``) of a custom Function's outputs."""

    _multi = True
    _forward_cls: type = None  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.next_functions = ()
        self._saved = {}
        self.to_save: tuple = ()
        self.dirty_tensors: tuple = ()
        self.non_differentiable: tuple = ()
        self.materialize_grads = True
        self.needs_input_grad: tuple[bool, ...] = ()
        self.n_outputs = 1
        self._saved_list: list[SavedTensor | None] | None = None
        self._saved_freed = False
        self._in_forward_ad = False

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{self.name()} object at {hex(id(self))}>"

    # ------------------------------------------------------------ saved tensors
    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The tensors given to ``save_for_backward``, checked against in-place writes."""
        if self._in_forward_ad:  # what save_for_forward kept (save_for_backward's if tracked)
            kept = getattr(self, "saved_for_forward", None)
            if kept is None:
                kept = self.to_save if self._saved_list is not None else ()
            return tuple(kept or ())
        if self._saved_freed:
            raise RuntimeError(msg.BACKWARD_TWICE)
        if self._saved_list is None:
            return ()
        return tuple(None if s is None else s.unpack(True) for s in self._saved_list)

    @property
    def saved_variables(self) -> tuple[Tensor | None, ...]:
        warnings.warn("'saved_variables' is deprecated; use 'saved_tensors'",
                      DeprecationWarning, stacklevel=2)
        return self.saved_tensors

    @property
    def _raw_saved_tensors(self) -> tuple:
        return tuple(self._saved_list or ())

    def free_saved(self) -> None:
        if self._saved_list is not None:
            for s in self._saved_list:
                if s is not None:
                    s.free()
            self._saved_freed = True

    # ------------------------------------------------------------------ backward
    def apply(self, grads: Any, xp: Any, as_tensor: bool) -> list[Any]:  # type: ignore[override]
        """Run the user's ``backward``: one gradient per output in, one per input out."""
        if not isinstance(grads, list):  # called by hand: ctx.apply(*grads) is not supported
            grads = [grads]
        outs = []
        for i, g in enumerate(grads):
            if g is None:
                shape, dtype = self._out_meta[i]
                if self.materialize_grads and dtype is not None:
                    outs.append(Tensor._wrap(np.zeros(shape, dtype=dtype)))
                else:
                    outs.append(None)
            else:
                outs.append(g if as_tensor else Tensor._wrap(g))
        result = user_backward(self._forward_cls)(self, *outs)
        if not isinstance(result, tuple):
            result = (result,)
        return self._check_grads(result, as_tensor)

    def _check_grads(self, result: tuple, as_tensor: bool) -> list[Any]:
        name = self.name()
        n_in = len(self._input_kinds)
        if len(result) != n_in:
            if len(result) > n_in and all(g is None for g in result[n_in:]):
                result = result[:n_in]
            else:
                raise RuntimeError(msg.wrong_grad_count(name, n_in, len(result)))
        out: list[Any] = []
        edge = 0
        for pos, (g, is_tensor) in enumerate(zip(result, self._input_kinds)):
            if not is_tensor:
                if g is not None:
                    raise RuntimeError(msg.grad_for_non_tensor(name, pos + 1))
                continue
            k = edge
            edge += 1
            if g is None:
                out.append(None)
                continue
            if not isinstance(g, Tensor):
                raise RuntimeError(msg.expected_tensor_or_none(type(g).__name__))  # noqa: TRY004
            fn, _ = self.next_functions[k]
            if fn is None:
                out.append(None)
                continue
            shape, dtype = self._meta[k]
            if tuple(g.shape) != tuple(shape):
                if not _expandable(tuple(shape), tuple(g.shape)):
                    raise RuntimeError(msg.invalid_grad_shape(name, k, g.shape, shape))
                g = _sum_to(g, tuple(shape))
            if g._data.dtype != dtype:
                g = g.to(_dtype_of(dtype)) if as_tensor else Tensor._wrap(g._data.astype(dtype))
            out.append(g if as_tensor else g._data)
        return out


def _dtype_of(np_dtype: np.dtype) -> Any:
    from .. import dtypes
    return dtypes.from_numpy_dtype(np_dtype)


def _expandable(shape: tuple, to: tuple) -> bool:
    """Whether ``shape`` broadcasts to ``to`` (PyTorch's ``is_expandable_to``)."""
    if len(shape) > len(to):
        return False
    for a, b in zip(reversed(shape), reversed(to)):
        if a != b and a != 1:
            return False
    return True


def _sum_to(g: Tensor, shape: tuple) -> Tensor:
    lead = g.ndim - len(shape)
    if lead:
        g = g.sum(tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if axes:
        g = g.sum(axes, keepdim=True)
    return g
