"""``nn.Parameter``: a leaf tensor that a :class:`~symgrad.nn.Module` registers.

>>> import symgrad as torch
>>> p = torch.nn.Parameter(torch.tensor([1., 2.]))
>>> p
Parameter containing:
tensor([1., 2.], requires_grad=True)
>>> p.detach(), type(p * 2).__name__
(tensor([1., 2.]), 'Tensor')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..eager.tensor import Tensor, _init, _init_leaf
from ..tape.storage import VersionCounter


class Parameter(Tensor):
    """A tensor that is a module's parameter: a leaf sharing ``data``'s storage and
    version counter, ``requires_grad=True`` unless told otherwise. Operations on it,
    ``detach()`` and ``.data`` give plain tensors, as in PyTorch."""

    __slots__ = ()

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        t = Tensor.__new__(cls)
        if data is None:
            _init(t, np.empty((0,), np.float32), VersionCounter())
        elif isinstance(data, Tensor):
            _init(t, data._value(), data._vc)
        else:
            raise TypeError(f"Parameter data must be a Tensor, not {type(data).__name__}")
        _init_leaf(t, requires_grad, None)
        return t

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        pass  # all done in __new__ (Tensor.__init__ would rebuild the storage)

    @classmethod
    def _wrap(cls, arr: np.ndarray, vc: VersionCounter | None = None) -> Tensor:
        return Tensor._wrap(arr, vc)  # detach(), .data, snapshots: plain tensors

    @property
    def data(self) -> Tensor:  # type: ignore[override]
        return Tensor.data.fget(self)  # type: ignore[attr-defined]

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, not {type(value).__name__}")
        self._data = value._data

    def __repr__(self) -> str:
        return "Parameter containing:\n" + Tensor.__repr__(self)

    __str__ = __repr__

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (Parameter, (Tensor._wrap(self._value().copy()), self.requires_grad))

    def __deepcopy__(self, memo: dict) -> Parameter:
        out = Parameter(Tensor._wrap(self._value().copy()), self.requires_grad)
        memo[id(self)] = out
        return out
