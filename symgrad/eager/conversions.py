"""Tensor methods that convert or copy without an op of their own: ``to`` (all its forms),
``cuda``, ``type``, and ``index_copy`` / ``index_copy_``; plus the comparison methods
``allclose``, ``isclose`` and ``equal`` (:mod:`.compare`).

>>> import symgrad as torch
>>> x = torch.tensor([1., 2.])
>>> x.to("cpu") is x, x.to(torch.float64), x.type()
(True, tensor([1., 2.], dtype=torch.float64), 'torch.FloatTensor')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import errors
from ..dtypes import DType
from ..ops import OPS
from . import compare as _C
from . import functions as F
from .device import as_device, check_device, device
from .dispatch import apply, apply_inplace
from .legacy import tensor_type_dtype
from .tensor import Tensor, _wrap_dim

_TO_SIGNATURES = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n")


def _arg_name(x: Any) -> str:
    return "torch.dtype" if isinstance(x, DType) else "Tensor" if isinstance(x, Tensor) \
        else "torch.device" if isinstance(x, device) else type(x).__name__


def _to_target(args: tuple, kwargs: dict) -> tuple[Any, Any, bool]:
    """(device, dtype, copy) from ``to``'s three signatures."""
    dev, dtype = kwargs.get("device"), kwargs.get("dtype")
    rest = list(args)
    if rest and isinstance(rest[0], Tensor):
        other = rest.pop(0)
        dev, dtype = other.device, other.dtype
    elif rest and isinstance(rest[0], DType):
        dtype = rest.pop(0)
    elif rest and isinstance(rest[0], (str, int, device)) and not isinstance(rest[0], bool):
        dev = rest.pop(0)
        if rest and isinstance(rest[0], DType):
            dtype = rest.pop(0)
    if any(not isinstance(a, bool) for a in rest) or len(rest) > 2:
        raise TypeError(f"to() received an invalid combination of arguments - got "
                        f"({', '.join(_arg_name(x) for x in args)}), but expected one of:\n"
                        f"{_TO_SIGNATURES}")
    copy = bool(kwargs.get("copy", rest[1] if len(rest) > 1 else False))
    return dev, dtype, copy


def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """``x.to(dtype)``, ``x.to(device, dtype)``, ``x.to(other)``, with ``non_blocking=`` and
    ``copy=``: ``self`` when nothing changes (unless ``copy=True``), else ``ToCopyBackward0``.
    Devices other than the CPU raise what a CPU-only PyTorch raises.

    >>> import symgrad as torch
    >>> x = torch.tensor([1., 2.], requires_grad=True)
    >>> x.to(torch.float32, copy=True)
    tensor([1., 2.], grad_fn=<ToCopyBackward0>)
    """
    dev, dtype, copy = _to_target(args, kwargs)
    if dev is not None:
        check_device(as_device(dev))
    if dtype is None or dtype == self.dtype:
        if not copy:
            return self
        return apply(OPS["to_dtype"], (self,), {"dtype": self.dtype, "in_dtype": self.dtype})
    return F.to_dtype(self, dtype)


def cuda(self: Tensor, device: Any = None, non_blocking: bool = False) -> Tensor:
    """PyTorch's error on a machine without CUDA."""
    check_device(as_device("cuda" if device is None else device))
    return self


def type_(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
    """``x.type()`` is ``'torch.FloatTensor'``; ``x.type(torch.float64)`` or
    ``x.type(torch.DoubleTensor)`` converts."""
    if dtype is None:
        return f"torch.{self.dtype.tensor_type}"
    return F.to_dtype(self, tensor_type_dtype(dtype) or dtype)


def _index_copy_attrs(fn: str, self: Tensor, dim: int, index: Tensor, source: Tensor) -> dict:
    idx = index._value()
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"{fn}(): Expected a long tensor for index, but got "
                           f"{errors._SCALAR[index.dtype.name]}")
    d = _wrap_dim(dim, self.ndim)
    if source.dtype != self.dtype:
        raise RuntimeError(f"{fn}(): self and source expected to have the same dtype, but got "
                           f"(self) {errors._SCALAR[self.dtype.name]} and (source) "
                           f"{errors._SCALAR[source.dtype.name]}")
    if self.ndim and source.ndim and source.ndim != self.ndim:
        raise IndexError(f"{fn}(): When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({source.ndim}), "
                         f"destination dimensionality ({self.ndim})")
    flat = idx.reshape(-1)
    n = source.shape[d] if source.ndim else 1
    if flat.size != n:
        raise IndexError(f"{fn}(): Number of indices ({flat.size}) should be equal to "
                         f"source.size(dim) ({n})")
    size = self.shape[d] if self.ndim else 1
    for i in flat.tolist():
        if not -size <= i < size:
            raise IndexError(f"{fn}(): index {i} is out of bounds for dimension {d} with "
                             f"size {size}")
    mine = [n for k, n in enumerate(self.shape) if k != d]
    theirs = [n for k, n in enumerate(source.shape) if k != d]
    if mine != theirs:
        raise RuntimeError(f"{fn}(): Source/destination tensor must have same slice shapes. "
                           f"Destination slice shape: {' '.join(map(str, mine))} at dimension "
                           f"{d} and source slice shape: {' '.join(map(str, theirs))} at "
                           "dimension 0.")
    return {"dim": d, "index": flat.astype("int64")}


def index_copy_(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """Copy the slices of ``source`` into ``self`` at ``index`` along ``dim`` (in place)."""
    attrs = _index_copy_attrs("index_copy_", self, dim, index, source)
    return apply_inplace(self, OPS["index_copy"], (self, source), attrs, "index_copy_")


def index_copy(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """``self`` with the slices of ``source`` copied in at ``index`` along ``dim``.

    >>> import symgrad as torch
    >>> torch.zeros(3).index_copy(0, torch.tensor([2, 0]), torch.tensor([1., 2.]))
    tensor([2., 0., 1.])
    """
    attrs = _index_copy_attrs("index_copy_", self, dim, index, source)
    return apply(OPS["index_copy"], (self, source), attrs)


def is_floating_point(self: Tensor) -> bool:
    return self.dtype.is_floating_point


METHODS: dict[str, Callable[..., Any]] = {
    "is_floating_point": is_floating_point, "to": to, "cuda": cuda, "type": type_,
    "index_copy": index_copy, "index_copy_": index_copy_, **_C.METHODS,
}
"""Bound onto :class:`Tensor` by :mod:`.methods` (after its own ``EXTRA``)."""
