"""PyTorch-named dtypes over NumPy dtypes, and PyTorch's type promotion.

>>> float32
torch.float32
>>> promote_types(int64, float64)
torch.float64
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class DType:
    """A tensor element type: ``sg.float32``, ``sg.int64``, ``sg.bool`` ..."""

    name: str
    np_dtype: np.dtype
    tensor_type: str  # legacy type name used in PyTorch messages: FloatTensor
    is_floating_point: bool
    category: int  # 0 bool, 1 integer, 2 floating (PyTorch promotion categories)

    def __repr__(self) -> str:
        return f"torch.{self.name}"

    @property
    def itemsize(self) -> int:
        return self.np_dtype.itemsize


bool_ = DType("bool", np.dtype(np.bool_), "BoolTensor", False, 0)
uint8 = DType("uint8", np.dtype(np.uint8), "ByteTensor", False, 1)
int8 = DType("int8", np.dtype(np.int8), "CharTensor", False, 1)
int16 = DType("int16", np.dtype(np.int16), "ShortTensor", False, 1)
int32 = DType("int32", np.dtype(np.int32), "IntTensor", False, 1)
int64 = DType("int64", np.dtype(np.int64), "LongTensor", False, 1)
float16 = DType("float16", np.dtype(np.float16), "HalfTensor", True, 2)
float32 = DType("float32", np.dtype(np.float32), "FloatTensor", True, 2)
float64 = DType("float64", np.dtype(np.float64), "DoubleTensor", True, 2)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NP = {d.np_dtype: d for d in ALL}

_default_float: list[DType] = [float32]


def get_default_dtype() -> DType:
    """The dtype of floating tensors built from Python floats (``float32``)."""
    return _default_float[0]


def set_default_dtype(d: DType) -> None:
    """Set the default floating dtype (``float32`` or ``float64``)."""
    if not isinstance(d, DType) or not d.is_floating_point:
        raise TypeError(f"only floating-point types are supported as the default type, got {d!r}")
    _default_float[0] = d


def from_numpy_dtype(dt: Any) -> DType:
    """The symgrad dtype of a NumPy dtype."""
    dt = np.dtype(dt)
    try:
        return _BY_NP[dt]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{dt}. The only supported types are: "
            "float64, float32, float16, int64, int32, int16, int8, uint8, and bool."
        ) from None


def as_dtype(d: Any) -> DType:
    """Accept a symgrad dtype, a NumPy dtype, or a Python type (``float``, ``int``, ``bool``)."""
    if isinstance(d, DType):
        return d
    if d is float:
        return float64
    if d is int:
        return int64
    if d is bool:
        return bool_
    return from_numpy_dtype(d)


def promote_types(a: DType, b: DType) -> DType:
    """PyTorch's ``promote_types`` for the supported dtypes."""
    if a == b:
        return a
    if a.category != b.category:  # int + float -> that float (NumPy would widen)
        return a if a.category > b.category else b
    return from_numpy_dtype(np.promote_types(a.np_dtype, b.np_dtype))


def scalar_dtype(x: object) -> DType:
    """The dtype a Python scalar gets on its own (bool, int64, default float)."""
    if isinstance(x, (bool, np.bool_)):
        return bool_
    if isinstance(x, (int, np.integer)):
        return int64
    return get_default_dtype()


def _promote_group(group: list[DType]) -> DType | None:
    out: DType | None = None
    for d in group:
        out = d if out is None else promote_types(out, d)
    return out


def _combine(higher: DType | None, lower: DType | None) -> DType | None:
    """PyTorch's ``combine_categories``: a lower-priority group only widens
    the result when it is of a higher category."""
    if higher is None:
        return lower
    if lower is None or higher.is_floating_point:
        return higher
    if higher is bool_ or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def result_type(dims: list[DType], zerodims: list[DType], scalars: list[object]) -> DType:
    """PyTorch's promotion: dimensioned tensors > zero-dim tensors > Python scalars.

    >>> result_type([float32], [], [2.5])
    torch.float32
    >>> result_type([int64], [], [2.5])
    torch.float32
    >>> result_type([float32], [float64], [])
    torch.float32
    """
    wrapped = _promote_group([scalar_dtype(s) for s in scalars])
    out = _combine(_promote_group(dims), _combine(_promote_group(zerodims), wrapped))
    assert out is not None
    return out
