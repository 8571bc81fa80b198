"""PyTorch's legacy names: ``torch.autograd.Variable``, the ``torch.FloatTensor`` family of
callable tensor types, and ``is_tensor`` / ``numel`` / ``is_floating_point``.

``Variable(t, requires_grad=False)`` returns a plain tensor (a new leaf sharing
``t``'s storage), and every tensor is an instance of ``Variable``, as in
PyTorch 2. ``torch.FloatTensor([1, 2])`` builds a float32 tensor,
``torch.FloatTensor(2, 3)`` one of that size; ``isinstance(x, torch.FloatTensor)``
checks the dtype.

>>> import symgrad as torch
>>> torch.FloatTensor([1, 2, 3]), torch.LongTensor(2).shape
(tensor([1., 2., 3.]), torch.Size([2]))
>>> isinstance(torch.ones(1), torch.FloatTensor), isinstance(torch.ones(1), torch.LongTensor)
(True, False)
>>> from symgrad.autograd import Variable
>>> Variable(torch.ones(2), requires_grad=True)
tensor([1., 1.], requires_grad=True)
"""

from __future__ import annotations

import warnings
from typing import Any

from .. import dtypes
from .tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor)

    def __call__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False,
                 **kwargs: Any) -> Tensor:
        for k in kwargs:
            raise TypeError(f"'{k}' is an invalid keyword argument for this function")
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with "
                          "torch.no_grad():` instead.", UserWarning, stacklevel=2)
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        out = Tensor._wrap(data._value(), data._vc)
        if requires_grad:
            out.requires_grad_(True)
        return out


class Variable(metaclass=_VariableMeta):
    """``torch.autograd.Variable``: deprecated; ``Variable(t)`` returns a tensor."""


class _TensorTypeMeta(type):
    dtype: dtypes.DType

    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor) and other.dtype == cls.dtype

    def __call__(cls, *args: Any, device: Any = None) -> Tensor:
        if len(args) == 1 and isinstance(args[0], Tensor) and args[0].dtype != cls.dtype:
            raise TypeError(f"expected {cls.__name__} (got {args[0].dtype.tensor_type})")
        return Tensor(*args, dtype=cls.dtype, device=device)

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def _tensor_type(d: dtypes.DType) -> type:
    return _TensorTypeMeta(d.tensor_type, (), {"dtype": d, "__doc__": f"``torch.{d.tensor_type}``:"
                                               f" the legacy constructor of {d!r} tensors."})


TENSOR_TYPES: dict[str, type] = {d.tensor_type: _tensor_type(d) for d in dtypes.ALL}
"""``{"FloatTensor": <class 'torch.FloatTensor'>, ...}``, one per dtype."""


def tensor_type_dtype(t: Any) -> dtypes.DType | None:
    """The dtype of a legacy tensor type (the class or its name ``'torch.FloatTensor'``)."""
    if isinstance(t, _TensorTypeMeta):
        return t.dtype
    if isinstance(t, str):
        cls = TENSOR_TYPES.get(t.removeprefix("torch."))
        if cls is None:
            raise ValueError(f"invalid type: '{t}'")
        return cls.dtype
    return None


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a tensor."""
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    """The number of elements of ``input``."""
    return input.numel()


def is_floating_point(input: Tensor) -> bool:
    """Whether ``input`` has a floating dtype."""
    return input.dtype.is_floating_point
