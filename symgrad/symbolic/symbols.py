"""Tensor-valued symbols and the atoms that hold non-tensor attributes.

A :class:`TensorSymbol` is one SymPy symbol standing for a whole tensor
(real-valued, elementwise algebra): ``a*a`` is ``a**2`` and ``sympy.diff``
does the elementwise calculus. Its ``shape`` (ints, or ``None`` for an
unspecified length), ``dtype`` and ``requires_grad`` ride along and take part
in equality through the shape only.

>>> import sympy
>>> a = TensorSymbol("a", (3,))
>>> a * a, sympy.diff(a**3, a), a.shape
(a**2, 3*a**2, (3,))
>>> c = TensorConstant("W", np.eye(2))
>>> c.shape, c.requires_grad, float(c.value[0, 0])
((2, 2), False, 1.0)
>>> as_number(2.0), as_number(0.1), as_number(0.123456)
(2, 1/10, 0.123456000000000)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from sympy.core.basic import Basic

Shape = tuple  # of int | None
_MAX_DIM = 2**63 - 1  # NumPy's largest length


def dims(shape: Any) -> tuple:
    """``shape`` as a tuple of validated dimensions: non-negative ``int`` (NumPy
    integers become ``int``) or ``None`` for an unspecified length. Anything else
    (text, floats, bools, negative or huge numbers) is refused, so a printed
    shape can never carry code.

    >>> dims((None, 3)), dims([np.int64(2)])
    ((None, 3), (2,))
    >>> dims((None, "3"))
    Traceback (most recent call last):
    ...
    TypeError: symbol(): shape must be a tuple of non-negative ints or None (an unspecified length), but found '3' of type str
    """
    from .. import errors
    out = []
    for d in tuple(shape):
        if d is None:
            out.append(None)
            continue
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)):
            raise TypeError(errors.symbol_bad_dim(repr(d)[:40], type(d).__name__))
        if not 0 <= int(d) <= _MAX_DIM:
            raise ValueError(errors.symbol_bad_dim(repr(int(d))[:40], "int out of range"))
        out.append(int(d))
    return tuple(out)


class TensorSymbol(sympy.Symbol):
    """A symbol for a whole tensor of ``shape`` (real, elementwise algebra)."""

    __slots__ = ("shape", "dtype", "requires_grad")

    shape: Shape
    dtype: Any
    requires_grad: bool

    def __new__(cls, name: str, shape: Shape = (), dtype: Any = None,
                requires_grad: bool = True) -> TensorSymbol:
        if not isinstance(name, str):
            raise TypeError(f"symbol name must be a str, not {type(name).__name__}")
        obj = sympy.Symbol.__xnew__(cls, name, real=True)
        obj.shape = dims(shape)
        obj.dtype = dtype
        obj.requires_grad = bool(requires_grad)
        return obj

    def __getnewargs_ex__(self) -> tuple:
        return (self.name, self.shape, self.dtype, self.requires_grad), {}

    def __getstate__(self) -> dict:
        return {}

    def _hashable_content(self) -> tuple:
        return super()._hashable_content() + (self.shape,)


class TensorConstant(TensorSymbol):
    """A named tensor that does not require grad; ``value`` is its NumPy array
    (shared with the tensor, as the tape shares storage)."""

    __slots__ = ("value",)

    value: np.ndarray

    def __new__(cls, name: str, value: Any, dtype: Any = None) -> TensorConstant:
        arr = np.asarray(value)
        obj = TensorSymbol.__new__(cls, name, arr.shape, dtype, False)
        obj.value = arr
        return obj

    def __getnewargs_ex__(self) -> tuple:
        return (self.name, self.value, self.dtype), {}

    def _hashable_content(self) -> tuple:
        # two constants are the same only if they hold the same array
        return super()._hashable_content() + (id(self.value),)


def _freeze(v: Any) -> Any:
    """A hashable, order-stable key for a Python attribute value."""
    if isinstance(v, np.ndarray):
        return ("array", v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, (tuple, list)):
        return (type(v).__name__,) + tuple(_freeze(x) for x in v)
    if isinstance(v, slice):
        return ("slice", _freeze(v.start), _freeze(v.stop), _freeze(v.step))
    if v is Ellipsis:
        return ("...",)
    if isinstance(v, (np.integer, np.bool_, np.floating)):
        v = v.item()
    if isinstance(v, (bool, int, float)):
        return (type(v).__name__, v)  # keep 0, False and 0.0 apart
    return v


def _fmt(v: Any) -> str:
    if isinstance(v, np.ndarray):
        return np.array2string(v, separator=", ", threshold=8).replace("\n", "")
    if isinstance(v, slice):
        parts = ["" if v.start is None else str(v.start), "" if v.stop is None else str(v.stop)]
        if v.step is not None:
            parts.append(str(v.step))
        return ":".join(parts)
    if v is Ellipsis:
        return "..."
    if isinstance(v, tuple):
        return "(" + ", ".join(_fmt(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return str(v)


class Param(sympy.Atom):
    """A non-tensor attribute of a node (axes, a shape, an index key, a flag).

    >>> Param((0, 1)) == Param((0, 1)), Param(slice(1, None))
    (True, 1:)
    """

    __slots__ = ("value", "_key")

    is_commutative = True

    def __new__(cls, value: Any) -> Param:
        obj = Basic.__new__(cls)
        obj.value = value
        obj._key = _freeze(value)
        return obj

    def __getnewargs__(self) -> tuple:
        return (self.value,)

    def _hashable_content(self) -> tuple:
        return (self._key,)

    def _sympystr(self, printer: Any) -> str:
        return _fmt(self.value)

    def _latex(self, printer: Any) -> str:
        return r"\mathtt{" + _fmt(self.value).replace("_", r"\_") + "}"

    def fmt(self) -> str:
        """The attribute as Python source would show it."""
        return _fmt(self.value)


def as_number(x: Any) -> sympy.Expr:
    """A SymPy number for a Python/NumPy number: integral floats become Integers,
    short fractions that round-trip Rationals (``0.1`` -> ``1/10``), others Floats."""
    if isinstance(x, Basic):
        return x
    if isinstance(x, (bool, np.bool_)):
        return sympy.Integer(int(x))
    if isinstance(x, (int, np.integer)):
        return sympy.Integer(int(x))
    f = float(x)
    if f != f:
        return sympy.nan
    if f in (float("inf"), float("-inf")):
        return sympy.oo if f > 0 else -sympy.oo
    if f.is_integer():
        return sympy.Integer(int(f))
    fr = Fraction(f).limit_denominator(1024)
    if float(fr) == f and fr.denominator <= 1024:
        return sympy.Rational(fr.numerator, fr.denominator)
    return sympy.Float(f)
