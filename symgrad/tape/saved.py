"""Saved tensors: what a node keeps for backward, with the version it was saved at.

Save, check and free live in one class, and the stale-tensor message is
built in one place (as in PyTorch's ``saved_variable.cpp``).
"""

from __future__ import annotations

from typing import Any

from .. import errors
from .storage import VersionCounter


class SavedTensor:
    """A tensor saved for backward: its data, its version counter and version."""

    __slots__ = ("tensor", "data", "vc", "version", "grad_fn_name", "output_nr", "freed",
                 "tensor_type", "shape")

    def __init__(self, tensor: Any, is_output: bool, node_name: str | None) -> None:
        self.tensor = tensor
        self.data = tensor._data
        self.vc: VersionCounter = tensor._vc
        self.version = self.vc.version
        self.output_nr = 0
        if is_output:
            self.grad_fn_name = node_name
        else:
            fn = tensor._grad_fn
            self.grad_fn_name = fn.name() if fn is not None else None
        self.freed = False

    def unpack(self, as_tensor: bool) -> Any:
        """The saved value; raises PyTorch's errors if freed or modified in place."""
        if self.freed:
            raise RuntimeError(errors.BACKWARD_TWICE)
        if self.vc.version != self.version:
            raise RuntimeError(self.stale_message())
        return self.tensor if as_tensor else self.data

    def stale_message(self) -> str:
        t = self.tensor
        msg = errors.stale_saved_tensor(t.dtype.tensor_type, self.data.shape, self.grad_fn_name,
                                        self.output_nr, self.vc.version, self.version)
        notes = self.vc.notes_since(self.version)
        if notes:
            msg += errors.culprit(notes)
        return msg

    def free(self) -> None:
        self.freed = True
        self.tensor = None
        self.data = None


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
        if type(v) is SavedTensor:
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
