"""The base of structural nodes (ops that mix elements) and the helpers their
derivative rules share.

A structural node is a ``sympy.Function`` whose leading args are tensors and
whose trailing ``nparams`` args are :class:`Param` attributes. Each node
class documents its arg layout and NumPy meaning and defines:

- ``shape_rule(*tensor_shapes)`` -> its shape;
- ``numpy(*tensor_values)`` -> its value (attributes from ``self.param``);
- ``vjp(ct, nb)`` -> one cotangent (or ``None`` for zero) per tensor arg, for a
  cotangent ``ct`` of shape ``batch + self.shape`` with ``nb`` leading batch
  dims (``nb > 0`` when building Jacobians); ``ct`` may be smaller and
  broadcast (``fit`` makes it exact);
- ``jvp(tangents)`` -> the tangent of the node (``None`` for zero) from one
  tangent (or ``None``) per tensor arg.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.nodes import SumOver
>>> s = SumOver.new(TensorSymbol("a", (2, 3)), (1,), False)
>>> s, s.tensor_args(), s.param(0)
(sum(a, dim=1), (a,), (1,))
"""

from __future__ import annotations

from typing import Any

import sympy

from .algebra import intern, node
from .shapes import shape_of
from .symbols import Param, as_number


def with_exp(latex: Any) -> Any:
    """A node's ``_latex`` made to take SymPy's ``exp=`` (a power of the node:
    ``sympy.latex(f**2)`` passes the exponent to a function base)."""
    if getattr(latex, "_takes_exp", False):
        return latex

    def _latex(self: Any, printer: Any, exp: Any = None, **kwargs: Any) -> str:
        text = latex(self, printer)
        return text if exp is None else r"\left(" + text + r"\right)^{" + str(exp) + "}"

    _latex._takes_exp = True  # type: ignore[attr-defined]
    _latex.__doc__ = latex.__doc__
    return _latex


class Structural(sympy.Function):
    """Base class of the nodes that mix elements (see the module docstring)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_latex" in cls.__dict__:
            cls._latex = with_exp(cls.__dict__["_latex"])

    ntensor: int | None = 1  # None: all args but the trailing ``nparams``
    nparams: int = 0
    is_commutative = True
    name = "node"

    @classmethod
    def new(cls, *args: Any) -> sympy.Expr:
        """Build without evaluation: tensors first, then raw attribute values."""
        nt = len(args) - cls.nparams
        tensors = [intern(as_number(a)) for a in args[:nt]]
        params = [intern(a if isinstance(a, Param) else Param(a)) for a in args[nt:]]
        return node(cls, *tensors, *params)

    def tensor_args(self) -> tuple:
        if self.ntensor is None:
            return self.args[:len(self.args) - self.nparams]
        return self.args[:self.ntensor]

    def param(self, i: int) -> Any:
        """The value of attribute ``i``."""
        return self.args[len(self.args) - self.nparams + i].value

    @property
    def tshape(self) -> tuple:
        return shape_of(self)

    def _eval_is_real(self) -> bool:
        return True

    def _eval_derivative(self, s: Any) -> Any:
        raise NotImplementedError(f"{self.name}: use symgrad.diff for tensor-level derivatives")

    def _attr_str(self, printer: Any) -> str:  # pragma: no cover - overridden
        return ""

    def _sympystr(self, printer: Any) -> str:
        parts = [printer._print(a) for a in self.tensor_args()]
        extra = self._attr_str(printer)
        if extra:
            parts.append(extra)
        return f"{self.name}({', '.join(parts)})"

    def _latex(self, printer: Any) -> str:
        parts = [printer._print(a) for a in self.tensor_args()]
        extra = self._attr_str(printer)
        if extra:
            parts.append(r"\mathtt{" + extra.replace("_", r"\_") + "}")
        return r"\operatorname{" + self.name.replace("_", r"\_") + r"}\left(" + \
            ", ".join(parts) + r"\right)"

    def shape_rule(self, *shapes: tuple) -> tuple:  # pragma: no cover - overridden
        raise NotImplementedError(self.name)

    def numpy(self, *vals: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError(self.name)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        raise NotImplementedError(f"no reverse-mode rule for {self.name}")

    def jvp(self, tangents: list) -> sympy.Expr | None:
        raise NotImplementedError(f"no forward-mode rule for {self.name}")


Structural._latex = with_exp(Structural._latex)  # type: ignore[method-assign]
