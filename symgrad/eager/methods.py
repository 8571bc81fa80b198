"""Tensor methods, operators and in-place forms, bound onto :class:`Tensor`.

The methods come from the op table: every name an entry declares in its
``api`` (``"method"``, ``"inplace"``) is bound here in one loop, to the
public function of the same name (:mod:`.functions`, :mod:`.subscript`).
The operators are one visible table, :data:`OPERATORS`. In-place methods go
through :func:`.dispatch.apply_inplace`, which bumps the version counter;
the few with options (``add_(alpha=)``, ``pow_``, ``fill_``...) are written
out in :data:`INPLACE`, the rest are generated. ``tensor.pyi`` beside this
module lists every method for editors (``python -m symgrad.eager.stubs``).

>>> import symgrad as sg
>>> x = sg.tensor([1., 2.])
>>> x += 1; x, x._version
(tensor([2., 3.]), 1)
>>> OPERATORS["__rsub__"], sg.Tensor.__rsub__.__name__
(('sub', 'swapped'), '__rsub__')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import errors
from ..ops import OPS
from ..ops.registry import OpDef
from . import conversions as _CONV
from . import functions as F
from . import linalg_functions as _L
from . import subscript as _S
from .dispatch import apply_inplace
from .out import with_out
from .tensor import Tensor

_PUBLIC: dict[str, Callable[..., Any]] = {}


def public_function(name: str) -> Callable[..., Any]:
    """The eager function ``sg.<name>``, taking PyTorch's ``out=`` (:mod:`.out`); aliases of
    one function (``cat``, ``concat``) share it."""
    raw = raw_function(name)
    key = getattr(raw, "__name__", name)
    fn = _PUBLIC.get(key)
    if fn is None or fn.__wrapped__ is not raw:  # type: ignore[attr-defined]
        fn = _PUBLIC[key] = with_out(raw, key)
    return fn


def raw_function(name: str) -> Callable[..., Any]:
    """The eager function ``sg.<name>`` (element-wise, reductions, shapes, indexing)."""
    fn = getattr(F, name, None) or getattr(_S, name, None) or getattr(_L, name, None)
    if fn is None:
        raise LookupError(f"the op table declares a public {name!r} but symgrad.eager "
                          "defines no function of that name")
    return fn


def _method(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    def m(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        return fn(self, *args, **kwargs)
    m.__name__ = m.__qualname__ = name
    m.__doc__ = fn.__doc__
    m.__wrapped__ = fn  # type: ignore[attr-defined]  # signature for help() and tensor.pyi
    return m


# ------------------------------------------------------------------ operators
SWAPPED = "swapped"  # the reflected form: other <op> self

OPERATORS: dict[str, str | tuple[str, str]] = {
    "__add__": "add", "__radd__": "add",
    "__sub__": "sub", "__rsub__": ("sub", SWAPPED),
    "__mul__": "mul", "__rmul__": "mul",
    "__truediv__": "div", "__rtruediv__": ("div", SWAPPED),
    "__pow__": "pow", "__rpow__": ("pow", SWAPPED),
    "__matmul__": "matmul", "__rmatmul__": ("matmul", SWAPPED),
    "__neg__": "neg", "__abs__": "abs",
    "__gt__": "gt", "__lt__": "lt", "__ge__": "ge", "__le__": "le", "__eq__": "eq",
    "__ne__": "ne",
    "__and__": "logical_and", "__or__": "logical_or", "__invert__": "logical_not",
    "__iadd__": "add_", "__isub__": "sub_", "__imul__": "mul_", "__itruediv__": "div_",
    "__ipow__": "pow_",
}
"""Python operator -> the public function (or in-place method) it calls."""


def _operator(dunder: str, target: str | tuple[str, str]) -> Callable[..., Any]:
    name, how = (target, "") if isinstance(target, str) else target
    if name.endswith("_"):  # augmented assignment: the in-place method
        def op(self: Tensor, other: Any) -> Tensor:
            return getattr(self, name)(other)
    elif name in ("neg", "abs", "logical_not"):
        fn1 = raw_function(name)

        def op(self: Tensor) -> Tensor:  # type: ignore[misc]
            return fn1(self)
    else:
        fn2 = raw_function(name)
        if dunder.startswith("__r") and dunder != "__rtruediv__":  # (torch divides anyway)
            def op(self: Tensor, other: Any) -> Tensor:  # type: ignore[misc]
                if isinstance(other, np.ndarray):  # ndarray <op> tensor: TypeError, as torch
                    return NotImplemented
                return fn2(other, self) if how == SWAPPED else fn2(self, other)
        elif how == SWAPPED:
            def op(self: Tensor, other: Any) -> Tensor:  # type: ignore[misc]
                return fn2(other, self)
        else:
            def op(self: Tensor, other: Any) -> Tensor:  # type: ignore[misc]
                return fn2(self, other)
    op.__name__ = op.__qualname__ = dunder
    return op


# ------------------------------------------------------------------- in place
def _add_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
    attrs = {"alpha": alpha} if alpha != 1 else {}
    return apply_inplace(self, OPS["add"], (self, F.as_operand(other, "add_")), attrs, "add_")


def _sub_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
    attrs = {"alpha": alpha} if alpha != 1 else {}
    return apply_inplace(self, OPS["sub"], (self, F.as_operand(other, "sub_")), attrs, "sub_")


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


INPLACE: dict[str, Callable[..., Tensor]] = {
    "add_": _add_, "sub_": _sub_, "mul_": _mul_, "div_": _div_, "pow_": _pow_,
    "clamp_": _clamp_, "fill_": _fill_, "copy_": _copy_,
}
"""In-place methods with options; every other declared one is generated (:func:`_inplace`)."""


def _inplace(op: OpDef, method: str) -> Callable[..., Tensor]:
    """``x.exp_()``: the op's one-input form, written into ``x``."""
    def m(self: Tensor) -> Tensor:
        return apply_inplace(self, op, (self,), {}, method)
    m.__name__ = m.__qualname__ = method
    m.__doc__ = f"In-place ``{op.name}``; bumps the version counter."
    return m


# ------------------------------------------------- conversions, no op of their own
def float(self: Tensor) -> Tensor:  # noqa: A001  (PyTorch's name)
    return F.to_dtype(self, "float32")


def double(self: Tensor) -> Tensor:
    return F.to_dtype(self, "float64")


def long(self: Tensor) -> Tensor:
    return F.to_dtype(self, "int64")


def int(self: Tensor) -> Tensor:  # noqa: A001
    return F.to_dtype(self, "int32")


def bool(self: Tensor) -> Tensor:  # noqa: A001
    return F.to_dtype(self, "bool")


def type_as(self: Tensor, other: Tensor) -> Tensor:
    return F.to_dtype(self, other.dtype)


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return F.expand(self, *other.shape)


def view_as(self: Tensor, other: Tensor) -> Tensor:
    return F.view(self, *other.shape)


def reshape_as(self: Tensor, other: Tensor) -> Tensor:
    return F.reshape(self, *other.shape)


def cpu(self: Tensor) -> Tensor:
    return self


def contiguous(self: Tensor) -> Tensor:
    return self


def __pos__(self: Tensor) -> Tensor:
    return self


def movedim(self: Tensor, source: Any, destination: Any) -> Tensor:
    """``self`` with dims ``source`` moved to ``destination``: a permute, as PyTorch's.

    >>> import symgrad as sg
    >>> sg.ones(2, 3, 4).movedim(0, -1).shape
    torch.Size([3, 4, 2])
    """
    import builtins

    from .tensor import _wrap_dim
    nd = self.ndim
    one = (builtins.int, np.integer)  # ``int`` here is Tensor.int
    src = [source] if isinstance(source, one) else list(source)
    dst = [destination] if isinstance(destination, one) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) "
                           f"should contain the same number of dims as destination ({dst} dims)")
    src = [_wrap_dim(d, nd) for d in src]
    dst = [_wrap_dim(d, nd) for d in dst]
    for what, dims in (("source", src), ("destination", dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{what}` ({dims})")
    rest = iter(d for d in range(nd) if d not in src)
    placed = dict(zip(dst, src))
    return F.permute(self, *[placed[i] if i in placed else next(rest) for i in range(nd)])


EXTRA: dict[str, Callable[..., Any]] = {
    "float": float, "double": double, "long": long, "int": int, "bool": bool,
    "type_as": type_as, "expand_as": expand_as, "view_as": view_as, "reshape_as": reshape_as,
    "cpu": cpu, "contiguous": contiguous, "__pos__": __pos__, "movedim": movedim,
    "moveaxis": movedim, **_CONV.METHODS,
    "__getitem__": _S.getitem, "__setitem__": _S.setitem, "__iter__": _S.iterate,
}
"""Methods that are not an op's public name: conversions and subscripting."""


def public_functions() -> dict[str, Callable[..., Any]]:
    """``{name: function}`` for every ``"function"`` name in the op table (``sg.<name>``).

    >>> fns = public_functions()
    >>> fns["sigmoid"].__name__, fns["concat"] is fns["cat"], "view" in fns
    ('sigmoid', True, False)
    """
    out: dict[str, Callable[..., Any]] = {}
    for op in OPS.values():
        for name in op.public_names().get("function", ()):
            out.setdefault(name, public_function(name))
    return out


def method_names() -> dict[str, str]:
    """Every method bound from the op table: ``{method name: op name}``."""
    out: dict[str, str] = {}
    for op in OPS.values():
        names = op.public_names()
        for m in names.get("method", ()) + names.get("inplace", ()):
            out.setdefault(m, op.name)
    return out


def _bind() -> None:
    for name, opname in method_names().items():
        if name.endswith("_"):
            fn = INPLACE.get(name) or _inplace(OPS[opname], name)
        else:
            fn = _method(raw_function(name), name)
        setattr(Tensor, name, fn)
    for name, fn in EXTRA.items():
        setattr(Tensor, name, fn)
    for dunder, target in OPERATORS.items():
        setattr(Tensor, dunder, _operator(dunder, target))


_bind()
