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

from . import dtypes
from .eager.tensor import Tensor, _init, _init_leaf
from .tape.storage import VersionCounter

_rng = [np.random.default_rng()]


def manual_seed(seed: int) -> None:
    """Seed ``rand``/``randn``."""
    _rng[0] = np.random.default_rng(seed)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False,
           name: str | None = None, device: Any = None) -> Tensor:
    """A new tensor holding a copy of ``data``; ``name`` is its symbol in formulas."""
    return Tensor(data, dtype=dtype, requires_grad=requires_grad, name=name)


def _sizes(size: tuple) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = tuple(int(s) for s in size)
    if any(s < 0 for s in out):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(out)}: "
                           f"{list(out)}")
    return out


def _make(arr: np.ndarray, requires_grad: bool, name: str | None = None) -> Tensor:
    t = Tensor._wrap(arr)
    _init_leaf(t, requires_grad, name)
    return t


def _dt(dtype: Any, default: dtypes.DType | None = None) -> np.dtype:
    d = dtypes.as_dtype(dtype) if dtype is not None else (default or dtypes.get_default_dtype())
    return d.np_dtype


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None,
          device: Any = None) -> Tensor:
    return _make(np.zeros(_sizes(size), dtype=_dt(dtype)), requires_grad, name)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None,
         device: Any = None) -> Tensor:
    return _make(np.ones(_sizes(size), dtype=_dt(dtype)), requires_grad, name)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False,
          device: Any = None) -> Tensor:
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size: Sequence[int], fill_value: Any, dtype: Any = None, requires_grad: bool = False,
         name: str | None = None, device: Any = None) -> Tensor:
    default = dtypes.scalar_dtype(fill_value)
    return _make(np.full(_sizes((size,)), fill_value, dtype=_dt(dtype, default)), requires_grad,
                 name)


def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None,
           requires_grad: bool = False, device: Any = None) -> Tensor:
    if end is None:
        start, end = 0, start
    is_float = any(isinstance(v, float) for v in (start, end, step))
    default = dtypes.get_default_dtype() if is_float else dtypes.int64
    return _make(np.arange(start, end, step).astype(_dt(dtype, default)), requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = None,
             requires_grad: bool = False, device: Any = None) -> Tensor:
    return _make(np.linspace(start, end, steps).astype(_dt(dtype)), requires_grad)


def rand(*size: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None,
         generator: Any = None, device: Any = None) -> Tensor:
    return _make(_rng[0].random(_sizes(size)).astype(_dt(dtype)), requires_grad, name)


def randn(*size: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None,
          generator: Any = None, device: Any = None) -> Tensor:
    return _make(_rng[0].standard_normal(_sizes(size)).astype(_dt(dtype)), requires_grad, name)


def zeros_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return zeros(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def ones_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return ones(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def full_like(t: Tensor, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return full(tuple(t.shape), fill_value, dtype=dtype or t.dtype, requires_grad=requires_grad)


def rand_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return rand(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def randn_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return randn(*t.shape, dtype=dtype or t.dtype, requires_grad=requires_grad)


def from_numpy(arr: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``arr`` (its dtype kept)."""
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(arr).__name__})")
    dtypes.from_numpy_dtype(arr.dtype)
    return Tensor._wrap(arr)


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
    t._sym_shape = tuple(shape)
    t._sym_dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    t._name = name
    t._requires_grad = bool(requires_grad)
    return t
