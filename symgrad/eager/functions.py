"""The public functions (``sg.exp``, ``sg.matmul``...), each a thin call of
its op-table entry through :func:`symgrad.eager.dispatch.apply`. Tensor methods
and operators (``symgrad.eager.methods``) call these. The shape and view
functions live in :mod:`symgrad.eager.shape_functions` and are re-exported here.

>>> import symgrad as sg
>>> sg.matmul(sg.tensor([1., 2.]), sg.tensor([3., 4.]))
tensor(11.)
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, NamedTuple

import numpy as np

from .. import errors
from ..dtypes import as_dtype, get_default_dtype
from ..ops import OPS
from ..ops.registry import ELEMENTWISE, NONDIFF, OpDef
from ..ops.xp import normalize_dims
from .dispatch import apply
from .shape_functions import (  # noqa: F401
    expand,
    flatten,
    permute,
    reshape,
    squeeze,
    sum_to_size,
    swapaxes,
    t,
    transpose,
    unsqueeze,
    view,
)
from .tensor import Tensor, _wrap_dim

Number = (int, float, bool, np.number, np.bool_)


def as_operand(x: Any, op: str = "op") -> Any:
    """A tensor or a Python number; NumPy arrays become tensors."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Number):
        return x.item() if isinstance(x, (np.number, np.bool_)) else x
    if isinstance(x, np.ndarray):
        return Tensor._from_data(x)
    if isinstance(x, (list, tuple)):
        return Tensor._from_data(x)
    raise TypeError(errors.unsupported_operand(op, x))


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor._from_data(x)


def _shape_attr(t: Tensor) -> tuple[int, ...] | None:
    return t._data.shape if t._data is not None else None


# ---------------------------------------------------------------- arithmetic
def add(input: Any, other: Any, *, alpha: float = 1) -> Tensor:
    """``input + alpha * other`` with broadcasting."""
    input, other = _tensor(input), as_operand(other, "+")
    return apply(OPS["add"], (input, other), {"alpha": alpha} if alpha != 1 else {})


def sub(input: Any, other: Any, *, alpha: float = 1) -> Tensor:
    """``input - alpha * other`` with broadcasting."""
    input, other = as_operand(input, "-"), as_operand(other, "-")
    if not isinstance(input, Tensor):
        return apply(OPS["rsub"], (other,), {"other": input})
    if isinstance(other, Tensor) and input._data is not None and other._data is not None \
            and input._data.dtype == np.bool_ and other._data.dtype == np.bool_:
        raise RuntimeError(errors.SUB_BOOL)
    return apply(OPS["sub"], (input, other), {"alpha": alpha} if alpha != 1 else {})


def mul(input: Any, other: Any) -> Tensor:
    """Elementwise product with broadcasting."""
    return apply(OPS["mul"], (_tensor(input), as_operand(other, "*")), {})


def div(input: Any, other: Any) -> Tensor:
    """Elementwise true division with broadcasting."""
    input, other = as_operand(input, "/"), as_operand(other, "/")
    if not isinstance(input, Tensor):
        return mul(reciprocal(other), input)
    return apply(OPS["div"], (input, other), {})


true_divide = div


def pow(input: Any, exponent: Any) -> Tensor:
    """``input ** exponent``; either may be a number."""
    input, exponent = as_operand(input, "**"), as_operand(exponent, "**")
    if isinstance(input, float) and not exponent.dtype.is_floating_point:
        exponent = to_dtype(exponent, get_default_dtype())  # 10.0 ** arange(3): float, as torch
    if not isinstance(input, Tensor):
        return apply(OPS["rpow"], (exponent,), {"base": input})
    if isinstance(exponent, Tensor):
        return apply(OPS["pow_tensor"], (input, exponent), {})
    return apply(OPS["pow"], (input,), {"exponent": exponent})


def neg(input: Tensor) -> Tensor:
    """``-input``."""
    if input._data is not None and input._data.dtype == np.bool_:
        raise RuntimeError(errors.NEG_BOOL)
    return apply(OPS["neg"], (input,), {})


negative = neg


def square(input: Tensor) -> Tensor:
    """``input ** 2`` (recorded as PowBackward0, as in PyTorch)."""
    return apply(OPS["pow"], (input,), {"exponent": 2})


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Clamp into ``[min, max]``; gradient 1 inside, ties included (as PyTorch)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        out = input
        if min is not None:
            out = maximum(out, min)
        if max is not None:
            out = minimum(out, max)
        return out
    return apply(OPS["clamp"], (input,), {"min": min, "max": max})


clip = clamp


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """``x * Φ(x)`` (``approximate="tanh"``: PyTorch's tanh form); ``GeluBackward0``."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return apply(OPS["gelu"], (input,), {"approximate": approximate})


def maximum(input: Any, other: Any) -> Tensor:
    return apply(OPS["maximum"], (_tensor(input), _tensor(other)), {})


def minimum(input: Any, other: Any) -> Tensor:
    return apply(OPS["minimum"], (_tensor(input), _tensor(other)), {})


def where(condition: Any, input: Any, other: Any) -> Tensor:
    """``input`` where ``condition`` else ``other``."""
    return apply(OPS["where"], (_tensor(condition), as_operand(input), as_operand(other)), {})


def logical_not(input: Tensor) -> Tensor:
    return apply(OPS["logical_not"], (input,), {})


# ---------------------------------------------------------------- reductions
def _dims(input: Tensor, dim: Any) -> Any:
    if dim is None:
        return None
    nd = input.ndim
    if isinstance(dim, (list, tuple)):
        dims = tuple(_wrap_dim(d, nd) for d in dim)
        for k, d in enumerate(dims):
            if d in dims[:k]:
                raise RuntimeError(errors.dim_repeated(d))
        return dims
    return _wrap_dim(dim, nd)


def numpy_aliases(fn: Any) -> Any:
    """Accept NumPy's ``axis=`` and ``keepdims=`` for ``dim=`` and ``keepdim=``, as PyTorch does.

    >>> import symgrad as sg
    >>> sg.ones(2, 3).sum(axis=1, keepdims=True).shape
    torch.Size([2, 1])
    """
    @functools.wraps(fn)
    def f(*args: Any, **kwargs: Any) -> Any:
        if "axis" in kwargs:
            kwargs["dim"] = kwargs.pop("axis")
        if "keepdims" in kwargs:
            kwargs["keepdim"] = kwargs.pop("keepdims")
        return fn(*args, **kwargs)
    return f


def _reduce(name: str, input: Tensor, dim: Any, keepdim: bool) -> Tensor:
    attrs: dict[str, Any] = {"dim": _dims(input, dim), "keepdim": keepdim,
                             "shape": _shape_attr(input)}
    return apply(OPS[name], (input,), attrs)


@numpy_aliases
def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum of all elements, or over ``dim``."""
    if dtype is not None:
        input = input.to(dtype)
    return _reduce("sum", input, dim, keepdim)


@numpy_aliases
def mean(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Mean of all elements, or over ``dim``."""
    if not input.dtype.is_floating_point:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           "floating point or complex dtype. Got: "
                           + input.dtype.tensor_type.replace("Tensor", ""))
    return _reduce("mean", input, dim, keepdim)


@numpy_aliases
def prod(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Product of all elements, or over ``dim``."""
    return _reduce("prod", input, dim, keepdim)


@numpy_aliases
def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """Max over ``dim`` (all dims by default); ties share the gradient."""
    return _reduce("amax", input, None if dim == () else dim, keepdim)


@numpy_aliases
def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """Min over ``dim`` (all dims by default); ties share the gradient."""
    return _reduce("amin", input, None if dim == () else dim, keepdim)


@numpy_aliases
def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """``log(sum(exp(input), dim))``, without overflow (ops/composite.py)."""
    d = None if input.ndim == 0 or dim == () else _dims(input, dim)
    return apply(OPS["logsumexp"], (input,), {"dim": d, "keepdim": keepdim,
                                              "shape": _shape_attr(input)})


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """``exp(input) / sum(exp(input), dim)``, stable for large inputs."""
    if dtype is not None:
        input = to_dtype(input, dtype)
    d = None if input.ndim == 0 else _wrap_dim(dim, input.ndim)
    return apply(OPS["softmax"], (input,), {"dim": d})


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    """``input - logsumexp(input, dim, keepdim=True)``, stable for large inputs."""
    if dtype is not None:
        input = to_dtype(input, dtype)
    d = None if input.ndim == 0 else _wrap_dim(dim, input.ndim)
    return apply(OPS["log_softmax"], (input,), {"dim": d})


class MaxResult(NamedTuple):
    """``torch.return_types.max``: ``(values, indices)``."""

    values: Tensor
    indices: Tensor


def _select(kind: str, input: Tensor, dim: Any, keepdim: bool, other: Any) -> Any:
    if isinstance(dim, Tensor) and other is None:
        return (maximum if kind == "max" else minimum)(input, dim)
    if dim is None:
        if input._data is not None and input._data.size == 0:
            raise RuntimeError(f"{kind}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        return _reduce(f"{kind}_all", input, None, False)
    d = _wrap_dim(dim, input.ndim)
    data = input._value()
    idx = (np.argmax if kind == "max" else np.argmin)(data, axis=d, keepdims=keepdim) \
        if data.ndim else np.zeros((), dtype=np.int64)
    attrs = {"dim": d, "keepdim": keepdim, "shape": data.shape, "indices": idx}
    values = apply(OPS[f"{kind}_dim"], (input,), attrs)
    return MaxResult(values, Tensor._wrap(np.asarray(idx, dtype=np.int64)))


@numpy_aliases
def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Any = None) -> Any:
    """``max(x)``, ``max(x, dim)`` -> (values, indices), or ``max(x, other)``."""
    return _select("max", input, dim, keepdim, other)


@numpy_aliases
def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Any = None) -> Any:
    """``min(x)``, ``min(x, dim)`` -> (values, indices), or ``min(x, other)``."""
    return _select("min", input, dim, keepdim, other)


# ------------------------------------------------------------------ products
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with NumPy/PyTorch semantics for 1-D, 2-D and batched operands."""
    return apply(OPS["matmul"], (_tensor(input), _tensor(other)), {})


def dot(input: Tensor, other: Tensor) -> Tensor:
    return apply(OPS["dot"], (_tensor(input), _tensor(other)), {})


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    return apply(OPS["mm"], (_tensor(input), _tensor(mat2)), {})


def mv(input: Tensor, vec: Tensor) -> Tensor:
    return apply(OPS["mv"], (_tensor(input), _tensor(vec)), {})


# --------------------------------------------------------------- conversions
def clone(input: Tensor) -> Tensor:
    return apply(OPS["clone"], (input,), {})


def to_dtype(input: Tensor, dtype: Any) -> Tensor:
    d = as_dtype(dtype)
    if d == input.dtype:
        return input
    return apply(OPS["to_dtype"], (input,), {"dtype": d, "in_dtype": input.dtype})


# ------------------------------------------------- generated: the plain ops
def plain_function(op: OpDef) -> Any:
    """``sg.<op>`` for an op whose inputs are all tensors and that takes no options:
    the first input becomes a tensor, the others may be Python numbers.

    >>> import symgrad as sg
    >>> sg.sigmoid(sg.tensor([0.]))
    tensor([0.5000])
    >>> import inspect; str(inspect.signature(sg.gt))
    "(input: 'Any', other: 'Any') -> 'Tensor'"
    """
    params = ["input" if a == "self" else a for a in op.args]
    sig = inspect.Signature(
        [inspect.Parameter(p, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="Any")
         for p in params], return_annotation="Tensor")
    name = op.public or op.name

    def f(*args: Any, **kwargs: Any) -> Tensor:
        if kwargs or len(args) != len(params):
            try:
                args = tuple(sig.bind(*args, **kwargs).arguments.values())
            except TypeError as exc:
                raise TypeError(f"{name}(): {exc}; expected ({', '.join(params)})") from None
        return apply(op, (_tensor(args[0]),) + tuple(as_operand(x, name) for x in args[1:]), {})
    f.__name__ = f.__qualname__ = name
    f.__doc__ = op.doc or f"Elementwise ``{name}`` (``{op.grad_fn_name((), {})}``)."
    f.__signature__ = sig  # type: ignore[attr-defined]
    return f


def _generate() -> None:
    """Element-wise ops without a hand-written function above get a plain one."""
    for op in OPS.values():
        if op.kind not in (ELEMENTWISE, NONDIFF):
            continue
        for name in op.public_names().get("function", ())[:1]:
            if name not in globals():
                globals()[name] = plain_function(op)


_generate()

__all__ = [n for n in dir() if not n.startswith("_")]
