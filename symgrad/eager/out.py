"""The ``out=`` argument of the public functions (``torch.add(a, b, out=c)``).

``out=`` writes the result into an existing tensor, in place (its version
counter is bumped). As in PyTorch it does not support autograd: when grad
mode is on and an input requires grad it raises PyTorch's RuntimeError. An
``out`` of another shape is resized (with PyTorch's warning unless it was
empty); a result that cannot be cast to ``out``'s dtype raises.

>>> import symgrad as torch
>>> c = torch.empty(2)
>>> _ = torch.add(torch.tensor([1., 2.]), torch.tensor([3., 4.]), out=c)
>>> c, c._version
(tensor([4., 6.]), 1)
>>> torch.exp(torch.zeros(1, requires_grad=True), out=c)
Traceback (most recent call last):
RuntimeError: exp(): functions with out=... arguments don't support automatic differentiation, \
but one of the arguments requires grad.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import errors
from ..tape.grad_mode import STATE, no_grad
from .tensor import Tensor


def _requires_grad(args: Any) -> bool:
    for a in args:
        if isinstance(a, Tensor) and a._requires_grad:
            return True
        if isinstance(a, (list, tuple)) and _requires_grad(a):
            return True
    return False


def _can_cast(src: Any, dst: Any) -> bool:
    """PyTorch's ``canCast``: no float to integral, no non-bool to bool."""
    return src.category <= dst.category


def write_out(name: str, fn: Callable[..., Tensor], args: tuple, kwargs: dict,
              out: Tensor) -> Tensor:
    """``fn(*args, **kwargs)`` written into ``out`` (see the module docstring)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if STATE.enabled and _requires_grad(tuple(args) + tuple(kwargs.values())):
        raise RuntimeError(errors.out_requires_grad(name))
    with no_grad():
        r = fn(*args, **kwargs)
    if not _can_cast(r.dtype, out.dtype):
        raise RuntimeError(errors.out_cast(errors._SCALAR[r.dtype.name],
                                           errors._SCALAR[out.dtype.name]))
    value = r._value().astype(out.dtype.np_dtype, copy=False)
    if tuple(out.shape) != value.shape:
        if out.numel() != 0:
            warnings.warn(errors.out_resized(tuple(out.shape), value.shape), UserWarning,
                          stacklevel=3)
        out._data = np.array(value, copy=True)
    else:
        out._data[...] = value
    out._vc.bump()
    return out


def with_out(fn: Callable[..., Tensor], name: str) -> Callable[..., Tensor]:
    """``fn`` taking an extra keyword ``out=``."""
    @functools.wraps(fn)
    def f(*args: Any, out: Tensor | None = None, **kwargs: Any) -> Tensor:
        if out is None:
            return fn(*args, **kwargs)
        return write_out(name, fn, args, kwargs, out)
    return f
