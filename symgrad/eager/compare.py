"""``torch.allclose``, ``isclose``, ``equal``, ``all``, ``any``, ``argmax``, ``argmin``:
comparisons and index reductions that never record.

``isclose`` is ``|input - other| <= atol + rtol * |other|`` elementwise (equal
infinities are close; NaNs only with ``equal_nan``); both tensors must have the
same dtype, as in PyTorch. ``allclose`` is ``isclose(...).all()`` as a Python
bool; ``equal`` asks for the same shape and the same values.

>>> import symgrad as torch
>>> torch.isclose(torch.tensor((1., 2, 3)), torch.tensor((1 + 1e-10, 3, 4)))
tensor([ True, False, False])
>>> torch.allclose(torch.tensor([10000., 1e-08]), torch.tensor([10000.1, 1e-09]))
True
>>> torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2]))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import errors
from ..dtypes import promote_types
from .tensor import Tensor

_POSITION = {"input": 1, "other": 2}


def _need_tensor(fn: str, arg: str, x: Any) -> np.ndarray:
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' (position {_POSITION[arg]}) must be Tensor, "
                        f"not {type(x).__name__}")
    return x._value()


def _close(fn: str, input: Any, other: Any, rtol: float, atol: float,
           equal_nan: bool) -> np.ndarray:
    a, b = _need_tensor(fn, "input", input), _need_tensor(fn, "other", other)
    if input.dtype != other.dtype:
        raise RuntimeError(f"{errors._SCALAR[input.dtype.name]} did not match "
                           f"{errors._SCALAR[other.dtype.name]}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol:g}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol:g}")
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise RuntimeError(errors.size_mismatch(a.shape, b.shape, 0)) from None
    if a.dtype == np.bool_:
        return np.asarray(a == b)
    with np.errstate(invalid="ignore", over="ignore"):
        if a.dtype.kind in "iu":
            a, b = a.astype(np.float64), b.astype(np.float64)
        close = a == b
        finite = np.isfinite(a) & np.isfinite(b)
        diff = np.abs(a - b)
        close = close | (finite & (diff <= atol + rtol * np.abs(b)))
        if equal_nan:
            close = close | (np.isnan(a) & np.isnan(b))
    return np.asarray(close)


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise ``|input - other| <= atol + rtol * |other|``, as a bool tensor."""
    return Tensor._wrap(_close("isclose", input, other, rtol, atol, equal_nan))


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether every element of ``input`` is close to ``other`` (see :func:`isclose`)."""
    return bool(_close("allclose", input, other, rtol, atol, equal_nan).all())


def equal(input: Tensor, other: Tensor) -> bool:
    """``True`` if both tensors have the same shape and the same values (any dtypes)."""
    a, b = _need_tensor("equal", "input", input), _need_tensor("equal", "other", other)
    if a.shape != b.shape:
        return False
    common = promote_types(input.dtype, other.dtype).np_dtype
    return bool(np.array_equal(a.astype(common, copy=False), b.astype(common, copy=False)))


def _truth(fn: str, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    arr = input._value()
    axis = None if dim is None else tuple(d % max(arr.ndim, 1) for d in
                                          (dim if isinstance(dim, (tuple, list)) else (dim,)))
    if arr.ndim == 0:
        axis = None
    red = np.all if fn == "all" else np.any
    return Tensor._wrap(np.asarray(red(arr.astype(bool), axis=axis, keepdims=keepdim)))


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """Whether every element (over ``dim``) is nonzero, as a bool tensor (never recorded).

    >>> import symgrad as torch
    >>> torch.tensor([1., 0.]).all(), torch.tensor([[1, 0], [1, 1]]).all(dim=1)
    (tensor(False), tensor([False,  True]))
    """
    return _truth("all", input, dim, keepdim)


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001
    """Whether some element (over ``dim``) is nonzero, as a bool tensor (never recorded)."""
    return _truth("any", input, dim, keepdim)


def _arg(fn: str, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    arr = input._value()
    red = np.argmax if fn == "argmax" else np.argmin
    if dim is None:
        out = np.asarray(red(arr))
        if keepdim:
            out = out.reshape((1,) * arr.ndim)
    else:
        d = dim % max(arr.ndim, 1)
        out = red(arr, axis=d, keepdims=keepdim) if arr.ndim else np.asarray(0)
    return Tensor._wrap(np.asarray(out, dtype=np.int64))


def argmax(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The index of the largest element (of the flattened tensor, or along ``dim``).

    >>> import symgrad as torch
    >>> torch.tensor([[1., 5.], [7., 2.]]).argmax(1), torch.tensor([1., 5.]).argmax()
    (tensor([1, 0]), tensor(1))
    """
    return _arg("argmax", input, dim, keepdim)


def argmin(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """The index of the smallest element (of the flattened tensor, or along ``dim``)."""
    return _arg("argmin", input, dim, keepdim)


METHODS = {"argmax": argmax, "argmin": argmin, "isclose": isclose, "allclose": allclose,
           "equal": equal, "all": all, "any": any}
"""The Tensor methods of the same names (``a.allclose(b)``)."""
