"""Saved tensors: what a node keeps for backward, with the version it was saved at.

Save, check and free live in one class, and the stale-tensor message is
built in one place (as in PyTorch's ``saved_variable.cpp``).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from .storage import VersionCounter


class _SavedHooks:
    """The ``saved_tensors_hooks`` in force: a stack of ``(pack, unpack)`` pairs."""

    stack: list[tuple[Any, Any]] = []


SAVED_HOOKS = _SavedHooks()


def pack_saved(saved: dict[str, Any]) -> None:
    """Run the innermost ``pack_hook`` on every tensor a new node saved (called once
    the node is in place, so the hook sees the output with its ``grad_fn``)."""
    hooks = SAVED_HOOKS.stack[-1]
    for v in saved.values():
        if type(v) is SavedTensor or isinstance(v, SavedTensor):
            v.pack(hooks)


class SavedTensor:
    """A tensor saved for backward: its data, its version counter and version."""

    __slots__ = ("tensor", "data", "vc", "version", "grad_fn_name", "output_nr", "freed",
                 "tensor_type", "shape", "hooks", "packed")

    def __init__(self, tensor: Any, is_output: bool, node_name: str | None) -> None:
        self.tensor = tensor
        self.data = tensor._data
        self.vc: VersionCounter = tensor._vc
        self.version = self.vc.version
        self.output_nr = 0
        # an output names the node that saved it; an input is named at unpack time
        # by its grad_fn *then* (after ``z.add_(1)``, AddBackward0), as PyTorch does
        self.grad_fn_name = node_name if is_output else None
        self.freed = False
        self.hooks = None

    def pack(self, hooks: tuple[Any, Any]) -> None:
        """Hand the tensor to ``pack_hook``; ``unpack`` will ask ``unpack_hook`` for it."""
        self.hooks = hooks
        self.packed = hooks[0](self.tensor)

    def unpack(self, as_tensor: bool) -> Any:
        """The saved value; raises PyTorch's errors if freed or modified in place."""
        if self.freed:
            raise RuntimeError(errors.BACKWARD_TWICE)
        if self.hooks is not None:
            t = self.hooks[1](self.packed)
            return t if as_tensor else t._data
        if self.vc.version != self.version:
            raise self.stale_error()
        return self.tensor if as_tensor else self.data

    def stale_error(self) -> RuntimeError:
        """PyTorch's error, with who bumped the version as a note (``str`` of the
        error stays PyTorch's text)."""
        t = self.tensor
        name = self.grad_fn_name
        if name is None and t._grad_fn is not None:
            name = t._grad_fn.name()
        err = RuntimeError(errors.stale_saved_tensor(
            t.dtype.tensor_type, self.data.shape, name, self.output_nr, self.vc.version,
            self.version))
        notes = self.vc.notes_since(self.version)
        if notes:
            errors.add_note(err, errors.culprit(notes))
        return err

    def free(self) -> None:
        self.freed = True
        self.tensor = None
        self.data = None
        if self.hooks is not None:
            self.packed = None


class SavedValue:
    """A saved non-tensor (a Python number PyTorch wraps into a tensor, or the
    indices of ``max(dim)``): no version to check, but freed like a tensor, so a
    second backward through ``x * 2`` raises as in PyTorch.

    >>> v = SavedValue(2); v.unpack(False)
    2
    >>> v.free(); v.unpack(False)
    Traceback (most recent call last):
    ...
    RuntimeError: Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.
    """

    __slots__ = ("value", "freed")

    def __init__(self, value: Any) -> None:
        self.value = value
        self.freed = False

    def unpack(self, as_tensor: bool) -> Any:
        if self.freed:
            raise RuntimeError(errors.BACKWARD_TWICE)
        return self.value

    def free(self) -> None:
        self.freed = True
        self.value = None


class Unpacker:
    """``s`` in the rules: ``s.other`` unpacks the saved ``other`` on access."""

    __slots__ = ("_saved", "_as_tensor")

    def __init__(self, saved: dict[str, Any], as_tensor: bool) -> None:
        self._saved = saved
        self._as_tensor = as_tensor

    def __getattr__(self, name: str) -> Any:
        try:
            v = self._saved[name]
        except KeyError:
            raise AttributeError(f"this node did not save {name!r}") from None
        if type(v) is SavedTensor or type(v) is SavedValue:
            return v.unpack(self._as_tensor)
        return v


class Primals:
    """``s`` in forward-mode rules: the primal values, by name."""

    __slots__ = ("_values",)

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None
