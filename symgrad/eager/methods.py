"""Tensor methods, operators and in-place forms, bound onto :class:`Tensor`.

Out-of-place methods call :mod:`symgrad.eager.functions`; in-place methods
(``add_``, ``mul_``, ``zero_``, ``+=`` ...) go through
:func:`symgrad.eager.dispatch.apply_inplace`, which bumps the version counter.

>>> import symgrad as sg
>>> x = sg.tensor([1., 2.])
>>> x += 1; x, x._version
(tensor([2., 3.]), 1)
"""

from __future__ import annotations

from typing import Any

from .. import errors
from . import functions as F
from . import subscript as _S
from .dispatch import apply_inplace
from ..ops import OPS
from .tensor import Tensor


def _method(fn: Any, name: str) -> Any:
    def m(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **kwargs)
    m.__name__ = m.__qualname__ = name
    m.__doc__ = fn.__doc__
    return m


_SAME_NAME = ("add sub mul div pow neg exp log log1p expm1 sqrt rsqrt sin cos tan tanh sigmoid "
              "relu abs reciprocal sign square clamp clip maximum minimum sum mean prod amax amin "
              "max min matmul dot mm mv reshape view flatten unsqueeze squeeze permute transpose t "
              "expand sum_to_size clone logical_not logical_and logical_or gt lt ge le eq ne "
              "swapaxes true_divide negative logsumexp softmax log_softmax")
for _n in _SAME_NAME.split():
    setattr(Tensor, _n, _method(getattr(F, _n), _n))


def _to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    dtype = kwargs.get("dtype")
    for a in args:
        if not isinstance(a, str):
            dtype = a
    return self if dtype is None else F.to_dtype(self, dtype)


Tensor.to = _to  # type: ignore[attr-defined]
Tensor.float = lambda self: F.to_dtype(self, "float32")  # type: ignore[attr-defined]
Tensor.double = lambda self: F.to_dtype(self, "float64")  # type: ignore[attr-defined]
Tensor.long = lambda self: F.to_dtype(self, "int64")  # type: ignore[attr-defined]
Tensor.int = lambda self: F.to_dtype(self, "int32")  # type: ignore[attr-defined]
Tensor.bool = lambda self: F.to_dtype(self, "bool")  # type: ignore[attr-defined]
Tensor.type_as = lambda self, other: F.to_dtype(self, other.dtype)  # type: ignore[attr-defined]
Tensor.expand_as = lambda self, other: F.expand(self, *other.shape)  # type: ignore[attr-defined]
Tensor.view_as = lambda self, other: F.view(self, *other.shape)  # type: ignore[attr-defined]
Tensor.reshape_as = lambda self, other: F.reshape(self, *other.shape)  # type: ignore[attr-defined]
Tensor.cpu = lambda self: self  # type: ignore[attr-defined]
Tensor.contiguous = lambda self: self  # type: ignore[attr-defined]

# ------------------------------------------------------------------ indexing
Tensor.__getitem__ = _S.getitem  # type: ignore[attr-defined]
Tensor.__setitem__ = _S.setitem  # type: ignore[attr-defined]
Tensor.__iter__ = _S.iterate  # type: ignore[attr-defined]
Tensor.select = _S.select  # type: ignore[attr-defined]
Tensor.unbind = _S.unbind  # type: ignore[attr-defined]
Tensor.gather = _S.gather  # type: ignore[attr-defined]

# ------------------------------------------------------------------ operators
Tensor.__add__ = lambda self, other: F.add(self, other)  # type: ignore[assignment]
Tensor.__radd__ = lambda self, other: F.add(self, other)  # type: ignore[attr-defined]
Tensor.__sub__ = lambda self, other: F.sub(self, other)  # type: ignore[attr-defined]
Tensor.__rsub__ = lambda self, other: F.sub(other, self)  # type: ignore[attr-defined]
Tensor.__mul__ = lambda self, other: F.mul(self, other)  # type: ignore[attr-defined]
Tensor.__rmul__ = lambda self, other: F.mul(self, other)  # type: ignore[attr-defined]
Tensor.__truediv__ = lambda self, other: F.div(self, other)  # type: ignore[attr-defined]
Tensor.__rtruediv__ = lambda self, other: F.div(other, self)  # type: ignore[attr-defined]
Tensor.__pow__ = lambda self, other: F.pow(self, other)  # type: ignore[attr-defined]
Tensor.__rpow__ = lambda self, other: F.pow(other, self)  # type: ignore[attr-defined]
Tensor.__matmul__ = lambda self, other: F.matmul(self, other)  # type: ignore[attr-defined]
Tensor.__rmatmul__ = lambda self, other: F.matmul(other, self)  # type: ignore[attr-defined]
Tensor.__neg__ = lambda self: F.neg(self)  # type: ignore[attr-defined]
Tensor.__pos__ = lambda self: self  # type: ignore[attr-defined]
Tensor.__abs__ = lambda self: F.abs(self)  # type: ignore[attr-defined]
Tensor.__gt__ = lambda self, other: F.gt(self, other)  # type: ignore[attr-defined]
Tensor.__lt__ = lambda self, other: F.lt(self, other)  # type: ignore[attr-defined]
Tensor.__ge__ = lambda self, other: F.ge(self, other)  # type: ignore[attr-defined]
Tensor.__le__ = lambda self, other: F.le(self, other)  # type: ignore[attr-defined]
Tensor.__eq__ = lambda self, other: F.eq(self, other)  # type: ignore[assignment]
Tensor.__ne__ = lambda self, other: F.ne(self, other)  # type: ignore[assignment]
Tensor.__and__ = lambda self, other: F.logical_and(self, other)  # type: ignore[attr-defined]
Tensor.__or__ = lambda self, other: F.logical_or(self, other)  # type: ignore[attr-defined]
Tensor.__invert__ = lambda self: F.logical_not(self)  # type: ignore[attr-defined]


# ------------------------------------------------------------------- in place
def _binary_inplace(opname: str, method: str) -> Any:
    op = OPS[opname]

    def m(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
        attrs = {"alpha": alpha} if alpha != 1 else {}
        return apply_inplace(self, op, (self, F.as_operand(other, method)), attrs, method)
    m.__name__ = method
    return m


Tensor.add_ = _binary_inplace("add", "add_")  # type: ignore[attr-defined]
Tensor.sub_ = _binary_inplace("sub", "sub_")  # type: ignore[attr-defined]


def _mul_(self: Tensor, other: Any) -> Tensor:
    return apply_inplace(self, OPS["mul"], (self, F.as_operand(other, "mul_")), {}, "mul_")


def _div_(self: Tensor, other: Any) -> Tensor:
    return apply_inplace(self, OPS["div"], (self, F.as_operand(other, "div_")), {}, "div_")


def _pow_(self: Tensor, exponent: Any) -> Tensor:
    exponent = F.as_operand(exponent, "pow_")
    if isinstance(exponent, Tensor):
        return apply_inplace(self, OPS["pow_tensor"], (self, exponent), {}, "pow_")
    return apply_inplace(self, OPS["pow"], (self,), {"exponent": exponent}, "pow_")


def _clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
    return apply_inplace(self, OPS["clamp"], (self,), {"min": min, "max": max}, "clamp_")


def _fill_(self: Tensor, value: Any) -> Tensor:
    if isinstance(value, Tensor):  # a 0-d tensor value gets a gradient (FillBackward3)
        if value.ndim != 0:
            raise RuntimeError(errors.fill_value_dims(value.ndim))
        return apply_inplace(self, OPS["fill_tensor"], (self, value), {}, "fill_")
    return apply_inplace(self, OPS["fill"], (self,), {"value": value}, "fill_")


def _copy_(self: Tensor, src: Any) -> Tensor:
    return apply_inplace(self, OPS["copy"], (self, F._tensor(src)), {}, "copy_")


def _unary_inplace(opname: str) -> Any:
    op = OPS[opname]
    method = ("zero" if opname == "zero" else opname) + "_"

    def m(self: Tensor) -> Tensor:
        return apply_inplace(self, op, (self,), {}, method)
    m.__name__ = method
    return m


Tensor.mul_ = _mul_  # type: ignore[attr-defined]
Tensor.div_ = _div_  # type: ignore[attr-defined]
Tensor.pow_ = _pow_  # type: ignore[attr-defined]
Tensor.clamp_ = _clamp_  # type: ignore[attr-defined]
Tensor.fill_ = _fill_  # type: ignore[attr-defined]
Tensor.copy_ = _copy_  # type: ignore[attr-defined]
for _n in ("zero", "sigmoid", "exp", "relu", "neg", "tanh", "sqrt", "log", "abs", "sin", "cos"):
    setattr(Tensor, _n + "_", _unary_inplace(_n))

Tensor.__iadd__ = lambda self, other: self.add_(other)  # type: ignore[attr-defined]
Tensor.__isub__ = lambda self, other: self.sub_(other)  # type: ignore[attr-defined]
Tensor.__imul__ = lambda self, other: self.mul_(other)  # type: ignore[attr-defined]
Tensor.__itruediv__ = lambda self, other: self.div_(other)  # type: ignore[attr-defined]
Tensor.__ipow__ = lambda self, other: self.pow_(other)  # type: ignore[attr-defined]
