"""Constructors: ``tensor``, ``zeros``, ``ones``, ``full``, ``arange``, ``linspace``,
``rand``, ``randn``, ``*_like``, ``from_numpy``, and value-less ``symbol``.

>>> import symgrad as sg
>>> sg.tensor([1, 2, 3.])
tensor([1., 2., 3.])
>>> sg.arange(3)
tensor([0, 1, 2])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dtypes, errors
from .eager import ranges
from .eager.device import check_device
from .eager.tensor import Tensor, _init, _init_leaf
from .tape.storage import VersionCounter


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False,
           name: str | None = None, device: Any = None) -> Tensor:
    """A new tensor holding a copy of ``data``; ``name`` is its symbol in formulas."""
    check_device(device)
    t = Tensor._from_data(data, dtype)
    _init_leaf(t, requires_grad, name)
    return t


def _sizes(size: tuple) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = tuple(int(s) for s in size)
    if any(s < 0 for s in out):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out)}: "
                           f"{list(out)}")
    return out


def _make(arr: np.ndarray, requires_grad: bool, name: str | None = None,
          device: Any = None) -> Tensor:
    check_device(device)
    t = Tensor._wrap(arr)
    _init_leaf(t, requires_grad, name)
    return t


def _dt(dtype: Any, default: dtypes.DType | None = None) -> np.dtype:
    d = dtypes.as_dtype(dtype) if dtype is not None else (default or dtypes.get_default_dtype())
    return d.np_dtype


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None,
          device: Any = None) -> Tensor:
    return _make(np.zeros(_sizes(size), dtype=_dt(dtype)), requires_grad, name, device)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None,
         device: Any = None) -> Tensor:
    return _make(np.ones(_sizes(size), dtype=_dt(dtype)), requires_grad, name, device)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    return zeros(*size, dtype=dtype, requires_grad=requires_grad, device=device)


def full(size: Sequence[int], fill_value: Any, dtype: Any = None, requires_grad: bool = False,
         name: str | None = None, device: Any = None) -> Tensor:
    default = dtypes.scalar_dtype(fill_value)
    return _make(np.full(_sizes((size,)), fill_value, dtype=_dt(dtype, default)), requires_grad,
                 name, device)


def _number(v: Any) -> Any:
    return v.item() if isinstance(v, (Tensor, np.generic)) else v


def arange(start: Any, end: Any = None, step: Any = 1, *, dtype: Any = None,
           requires_grad: bool = False, device: Any = None) -> Tensor:
    """``start, start + step, ...`` up to ``end`` (excluded), each value computed as
    PyTorch's kernel computes it (:mod:`symgrad.eager.ranges`).

    >>> import symgrad as torch
    >>> torch.arange(1, 2.5, 0.5), torch.arange(-8., 8., .1)[80].item()
    (tensor([1.0000, 1.5000, 2.0000]), 4.440892098500626e-16)
    """
    if end is None:
        start, end = 0, start
    start, end, step = _number(start), _number(end), _number(step)
    is_float = any(isinstance(v, float) for v in (start, end, step))
    default = dtypes.get_default_dtype() if is_float else dtypes.int64
    values = ranges.arange_values(start, end, step, _dt(dtype, default))
    return _make(values, requires_grad, None, device)


def linspace(start: Any, end: Any, steps: int, *, dtype: Any = None,
             requires_grad: bool = False, device: Any = None) -> Tensor:
    """``steps`` values from ``start`` to ``end``, as PyTorch's kernel computes them.

    >>> import symgrad as torch
    >>> torch.linspace(3, 10, steps=5)
    tensor([ 3.0000,  4.7500,  6.5000,  8.2500, 10.0000])
    """
    values = ranges.linspace_values(_number(start), _number(end), int(steps), _dt(dtype))
    return _make(values, requires_grad, None, device)


def zeros_like(t: Tensor, dtype: Any = None, requires_grad: bool = False,
               device: Any = None, memory_format: Any = None) -> Tensor:
    return zeros(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad, device=device)


def ones_like(t: Tensor, dtype: Any = None, requires_grad: bool = False,
               device: Any = None, memory_format: Any = None) -> Tensor:
    return ones(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad, device=device)


def full_like(t: Tensor, fill_value: Any, dtype: Any = None, requires_grad: bool = False,
              device: Any = None) -> Tensor:
    return full(tuple(t.shape), fill_value, dtype=dtype or t.dtype, requires_grad=requires_grad,
                device=device)


def from_numpy(arr: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``arr`` (its dtype kept)."""
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(arr).__name__})")
    dtypes.from_numpy_dtype(arr.dtype)
    return Tensor._wrap(arr)


def _symbol_dims(shape: Any) -> tuple:
    """Validated dims for ``sg.symbol``: non-negative ints or ``None`` (never text, floats
    or bools, which a kernel's source would otherwise print)."""
    out = []
    for d in tuple(shape):
        if d is not None and (isinstance(d, (bool, np.bool_))
                              or not isinstance(d, (int, np.integer))):
            raise TypeError(errors.symbol_bad_dim(repr(d)[:40], type(d).__name__))
        if d is not None and not 0 <= int(d) <= 2**63 - 1:
            raise ValueError(errors.symbol_bad_dim(repr(int(d))[:40], "int out of range"))
        out.append(None if d is None else int(d))
    return tuple(out)


def symbol(name: str, shape: Sequence[int] | int | None = (), requires_grad: bool = True,
           dtype: Any = None) -> Tensor:
    """A value-less tensor: operations on it build formulas only.

    ``shape`` may hold ``None`` (or be ``None``) for a length left unspecified,
    so that formulas stay shape-free.

    >>> import symgrad as sg
    >>> a = sg.symbol("a", (3,))
    >>> a.shape, a.requires_grad
    (torch.Size([3]), True)
    """
    t = Tensor.__new__(Tensor)
    _init(t, None, VersionCounter())
    if shape is None:
        shape = (None,)
    elif isinstance(shape, int):
        shape = (shape,)
    t._sym_shape = _symbol_dims(shape)
    t._sym_dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    t.name = name
    t._requires_grad = bool(requires_grad)
    return t
