"""Elementwise functions SymPy lacks (or has with other conventions).

Each is a ``sympy.Function`` applied elementwise to tensor symbols, with its
derivative in ``fdiff`` (PyTorch's conventions at kinks: ``relu'(0) = 0``,
``abs'(0) = sign(0) = 0``, a ``maximum``/``minimum`` tie gives each side
1/2, ``clamp`` passes the gradient at its bounds) and its NumPy meaning in
``numpy``. Their derivatives at kinks are step functions whose own
derivative is zero (as in PyTorch), not Dirac deltas.

A new function is one subclass here: it registers itself under its
``name`` (the class name in lower case unless given), which is what the
op table's ``S.<name>`` finds (:func:`lookup`, which also finds SymPy's own
functions) and what the text, LaTeX and 2-D printers show. Kernels print it
from one row of ``symgrad.kernels.known.FUNCTIONS``.

>>> import sympy
>>> from symgrad.symbolic.symbols import TensorSymbol
>>> a = TensorSymbol("a", (3,))
>>> sympy.diff(Sigmoid(a), a)
(1 - sigmoid(a))*sigmoid(a)
>>> sympy.diff(Relu(a), a), sympy.diff(Absolute(a), a)
(step(a), sign(a))
>>> Maximum(a, 0).numpy(np.array([-1., 0., 2.]), 0.0).tolist()
[0.0, 0.0, 2.0]
>>> lookup("sigmoid") is Sigmoid, lookup("asinh") is sympy.asinh, lookup("nope")
(True, True, None)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy
from sympy import Integer, Rational
from sympy.core.function import AppliedUndef

from ..ops import numerics
from .algebra import intern, node
from .nodebase import with_exp
from .symbols import Param

#: name -> class, every subclass of :class:`Elementwise` (filled as they are defined)
FUNCTIONS: dict[str, type[Elementwise]] = {}


class Elementwise(sympy.Function):
    """Base: an elementwise function; ``ntensor`` leading args are tensors
    (broadcast together), the rest are numbers or :class:`Param` attributes."""

    ntensor: int | None = None  # None: all args
    zero_derivative = False  # True: derivative zero everywhere (no template needed)
    is_commutative = True
    name = "f"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__.lower()
        FUNCTIONS.setdefault(cls.name, cls)
        if "_latex" in cls.__dict__:
            cls._latex = with_exp(cls.__dict__["_latex"])

    def _eval_is_real(self) -> bool:
        return True

    def tensor_args(self) -> tuple:
        return self.args if self.ntensor is None else self.args[:self.ntensor]

    def numpy(self, *vals: Any) -> Any:  # pragma: no cover - every subclass overrides
        raise NotImplementedError(type(self).__name__)

    def _sympystr(self, printer: Any) -> str:
        return f"{self.name}({', '.join(printer._print(a) for a in self.args)})"

    def _latex(self, printer: Any) -> str:
        args = ", ".join(printer._print(a) for a in self.args)
        return r"\operatorname{" + self.name.replace("_", r"\_") + r"}\left(" + args + \
            r"\right)"


def lookup(name: str) -> type[sympy.Function] | None:
    """The elementwise function called ``name``: one of ours (by its ``name``),
    else SymPy's (``sympy.<name>``, or ``sympy.codegen.cfunctions.<name>`` for
    ``log1p``, ``expm1``...), else ``None``."""
    cls = FUNCTIONS.get(name)
    if cls is not None:
        return cls
    found = getattr(sympy, name, None)
    if found is None:
        # log1p, expm1...: sympy.codegen loads only when asked for (3 ms)
        from sympy.codegen import cfunctions
        found = getattr(cfunctions, name, None)
    if isinstance(found, type) and issubclass(found, sympy.Function) \
            and found is not sympy.Function and not issubclass(found, AppliedUndef):
        return found
    return None


class Sigmoid(Elementwise):
    """``1/(1 + exp(-x))``; NumPy: a stable two-sided formula."""

    numpy = staticmethod(numerics.sigmoid)

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return self * (1 - self)


class LogAddExp(Elementwise):
    """``log(exp(x) + exp(y))``, without overflow; its partials are ``exp(x - self)``
    and ``exp(y - self)`` (a softmax of the two)."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.exp(self.args[argindex - 1] - self)

    def numpy(self, x: Any, y: Any) -> Any:
        return np.logaddexp(x, y)


class Step(Elementwise):
    """``step(x, h0)``: 1 where ``x > 0``, ``h0`` where ``x == 0``, else 0
    (arg layout: tensor ``x``, number ``h0``). Its derivative is zero."""

    zero_derivative = True
    ntensor = 1

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return Integer(0)

    def numpy(self, x: Any, h0: Any = 0) -> Any:
        return numerics.step(x, float(h0))

    def _sympystr(self, printer: Any) -> str:
        x = printer._print(self.args[0])
        return f"step({x})" if len(self.args) < 2 or self.args[1] == 0 else \
            f"step({x}, {printer._print(self.args[1])})"


class Relu(Elementwise):
    """``max(x, 0)``; derivative ``step(x)`` (0 at 0, as PyTorch)."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return Step(self.args[0], Integer(0))

    def numpy(self, x: Any) -> Any:
        return np.maximum(x, 0.0)


class Sign(Elementwise):
    """``np.sign``; derivative zero."""

    zero_derivative = True

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return Integer(0)

    def numpy(self, x: Any) -> Any:
        return np.sign(x)


class Absolute(Elementwise):
    """``|x|``; derivative ``sign(x)`` (0 at 0, as PyTorch)."""

    name = "abs"

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return Sign(self.args[0])

    def numpy(self, x: Any) -> Any:
        return np.abs(x)

    def _latex(self, printer: Any) -> str:
        return r"\left|" + printer._print(self.args[0]) + r"\right|"


class Maximum(Elementwise):
    """``np.maximum(x, y)``; a tie gives each side half the gradient."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        x, y = self.args
        return Step(x - y, Rational(1, 2)) if argindex == 1 else Step(y - x, Rational(1, 2))

    def numpy(self, x: Any, y: Any) -> Any:
        return np.maximum(x, y)


class Minimum(Elementwise):
    """``np.minimum(x, y)``; a tie gives each side half the gradient."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        x, y = self.args
        return Step(y - x, Rational(1, 2)) if argindex == 1 else Step(x - y, Rational(1, 2))

    def numpy(self, x: Any, y: Any) -> Any:
        return np.minimum(x, y)


class Clamp(Elementwise):
    """``np.clip(x, lo, hi)`` (arg layout: tensor ``x``, numbers ``lo``, ``hi``,
    ``-oo``/``oo`` for a missing bound); gradient 1 on ``[lo, hi]`` inclusive."""

    ntensor = 1

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        x, lo, hi = self.args
        out: sympy.Expr = Integer(1)
        if lo.is_finite:
            out = out * Step(x - lo, Integer(1))
        if hi.is_finite:
            out = out * Step(hi - x, Integer(1))
        return out

    def numpy(self, x: Any, lo: Any, hi: Any) -> Any:
        lo = None if not np.isfinite(float(lo)) else float(lo)
        hi = None if not np.isfinite(float(hi)) else float(hi)
        out = x
        if lo is not None:
            out = np.maximum(out, lo)
        if hi is not None:
            out = np.minimum(out, hi)
        return out


class Where(Elementwise):
    """``np.where(c, x, y)``; no derivative through the condition ``c``."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        c = self.args[0]
        if argindex == 1:
            return Integer(0)
        return Where(c, 1, 0) if argindex == 2 else Where(c, 0, 1)

    def numpy(self, c: Any, x: Any, y: Any) -> Any:
        return np.where(np.asarray(c, dtype=bool), x, y)


_COMPARE = {"greater": (np.greater, ">"), "less": (np.less, "<"),
            "greater_equal": (np.greater_equal, ">="), "less_equal": (np.less_equal, "<="),
            "equal": (np.equal, "=="), "not_equal": (np.not_equal, "!="),
            "logical_and": (np.logical_and, "&"), "logical_or": (np.logical_or, "|"),
            "logical_not": (np.logical_not, "~")}


class Compare(Elementwise):
    """A boolean elementwise NumPy function (arg layout: ``Param(name)``, then
    one or two tensors), e.g. ``Compare(Param("greater"), x, y)`` is ``x > y``.
    Derivative zero."""

    zero_derivative = True

    def tensor_args(self) -> tuple:
        return self.args[1:]

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return Integer(0)

    def numpy(self, op: Any, *xs: Any) -> Any:
        return _COMPARE[op][0](*xs)

    def _sympystr(self, printer: Any) -> str:
        op = _COMPARE[self.args[0].value][1]
        xs = [printer.parenthesize(a, 0) for a in self.args[1:]]
        return f"~{xs[0]}" if len(xs) == 1 else f"({xs[0]} {op} {xs[1]})"


class Detach(Elementwise):
    """Stop-gradient (``detach()`` / ``.data``): the value of ``x``, derivative zero."""

    zero_derivative = True

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return Integer(0)

    def numpy(self, x: Any) -> Any:
        return x


def compare(name: str, *xs: Any) -> Compare:
    """``Compare`` for a NumPy function name (``greater``, ``logical_not``...)."""
    if name not in _COMPARE:
        raise NotImplementedError(f"symbolic comparison {name!r} is not supported")
    return node(Compare, intern(Param(name)), *[intern(x) for x in xs])


ELEMENTWISE_CLASSES = tuple(FUNCTIONS.values())


Elementwise._latex = with_exp(Elementwise._latex)  # type: ignore[method-assign]
