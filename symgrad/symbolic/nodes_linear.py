"""The linear structural nodes, each beside its adjoint: each linear node and
its adjoint live in this file.

Broadcasting (``broadcast_to``) is undone by ``sum_to`` and by ``sum`` over
axes (:class:`SumOver`, whose adjoint ``unreduce`` broadcasts back);
``unsqueeze`` and ``squeeze`` undo each other; ``permute`` and ``reshape``
are undone by themselves. Here too: the base of every reduction
(:class:`Reduction`, with ``norm_axes``) and the helpers every rule uses
(``fit``, ``sum_to_b``, ``unreduce``).

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> W = TensorSymbol("W", (2, 3))
>>> Permute.new(W, (1, 0)), Reshape.new(W, (6,)).tshape, BroadcastTo.new(1, (3,))
(W.T, (6,), ones(3))
>>> BroadcastTo.new(W, (4, 2, 3)).vjp(TensorSymbol("g", (4, 2, 3)), 0)
[sum_to(g, (2, 3))]
>>> SumOver.make(W, 1), SumOver.make(W, 1).vjp(TensorSymbol("g", (2,)), 0)
(sum(W, dim=1), [unsqueeze(g, dim=1)])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .nodebase import Structural
from .shapes import shape_of

# ------------------------------------------------------------------- helpers


def fit(e: sympy.Expr | None, shape: tuple) -> sympy.Expr | None:
    """``e`` broadcast to exactly ``shape`` (unchanged when it already has it)."""
    if e is None:
        return None
    return e if shape_of(e) == tuple(shape) else BroadcastTo.new(e, tuple(shape))


def lengths_lost(have: tuple, want: tuple) -> bool:
    """Whether broadcasting a value of shape ``have`` to ``want`` would have to read an
    unspecified length of ``want`` from an axis ``have`` does not have (or has as 1)."""
    lead = len(want) - len(have)
    return any(w is None and (i < lead or have[i - lead] is not None)
               for i, w in enumerate(want))


def sum_to_b(e: sympy.Expr, shape: tuple, nb: int = 0) -> sympy.Expr:
    """Sum ``e`` (shape ``batch + s``) down to ``batch + shape`` (unbroadcasting
    the ``len(s) - len(shape)`` extra axes that follow the ``nb`` batch axes)."""
    shape = tuple(shape)
    es = shape_of(e)
    batch = es[:nb]
    extra = len(es) - nb - len(shape)
    if extra > 0 and nb > 0:
        e = SumOver.new(e, tuple(range(nb, nb + extra)), False)
        es = shape_of(e)
    target = batch + shape
    if es == target:
        return e
    return SumTo.new(e, target)


def unreduce(ct: sympy.Expr, in_shape: tuple, axes: tuple, keepdim: bool,
             nb: int = 0) -> sympy.Expr:
    """Cotangent of a reduction over ``axes``, broadcastable to ``batch + in_shape``."""
    cs = shape_of(ct)
    if keepdim or (nb == 0 and cs == ()) or not axes:
        return ct
    out = tuple(n for i, n in enumerate(in_shape) if i not in axes)
    if len(cs) != nb + len(out):
        ct = BroadcastTo.new(ct, cs[:nb] + out)
    return Unsqueeze.new(ct, tuple(a + nb for a in axes))


def norm_axes(dim: Any, ndim: int) -> tuple[int, ...]:
    """``dim`` (None, an int or ints, maybe negative) as sorted non-negative axes.

    >>> norm_axes(-1, 3), norm_axes(None, 2), norm_axes((2, 0), 3)
    ((2,), (0, 1), (0, 2))
    """
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        dim = (int(dim),)
    return tuple(sorted({int(d) % ndim if ndim else 0 for d in dim}))


def _fmt_shape(shape: tuple) -> str:
    return ", ".join("?" if d is None else str(d) for d in shape)


# --------------------------------------------------------------------- nodes


class Reshape(Structural):
    """``reshape(x, shape)``: args ``(x, Param(shape))``; NumPy ``np.reshape``."""

    name, nparams = "reshape", 1

    def shape_rule(self, xs: tuple) -> tuple:
        return tuple(self.param(0))

    def numpy(self, x: Any) -> Any:
        return np.reshape(x, tuple(-1 if d is None else d for d in self.param(0)))

    def _attr_str(self, printer: Any) -> str:
        return f"({_fmt_shape(self.param(0))}{',' if len(self.param(0)) == 1 else ''})"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [Reshape.new(ct, shape_of(ct)[:nb] + shape_of(self.args[0]))]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            Reshape.new(fit(t[0], shape_of(self.args[0])), self.param(0))


class Permute(Structural):
    """``permute(x, dims)``: args ``(x, Param(dims))``; NumPy ``np.transpose``.
    Prints ``x.T`` for a reversed 2-D permutation."""

    name, nparams = "permute", 1

    def shape_rule(self, xs: tuple) -> tuple:
        return tuple(xs[d] for d in self.param(0))

    def numpy(self, x: Any) -> Any:
        return np.transpose(x, self.param(0))

    def _sympystr(self, printer: Any) -> str:
        if tuple(self.param(0)) == (1, 0):  # a call needs no parentheses: ``inverse(X).T``
            return printer.parenthesize(self.args[0], 70, strict=True) + ".T"
        return super()._sympystr(printer)

    def _latex(self, printer: Any) -> str:
        if tuple(self.param(0)) == (1, 0):
            return "{" + printer.parenthesize(self.args[0], 70, strict=True) + r"}^{\top}"
        return super()._latex(printer)

    def _attr_str(self, printer: Any) -> str:
        return str(tuple(self.param(0)))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        perm = self.param(0)
        inv = [0] * len(perm)
        for i, d in enumerate(perm):
            inv[d] = i
        return [Permute.new(ct, tuple(range(nb)) + tuple(i + nb for i in inv))]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            Permute.new(fit(t[0], shape_of(self.args[0])), self.param(0))


class BroadcastTo(Structural):
    """``broadcast_to(x, shape)``: args ``(x, Param(shape))``; NumPy
    ``np.broadcast_to`` (a ``None`` length is taken from ``x``). A number
    broadcast prints as ``ones(3)``/``zeros(3)``/``full((3,), c)``."""

    name, nparams = "broadcast_to", 1

    def shape_rule(self, xs: tuple) -> tuple:
        return tuple(self.param(0))

    def numpy(self, x: Any) -> Any:
        shape = list(self.param(0))
        xs = np.shape(x)
        for i in range(len(shape)):
            if shape[i] is None:
                j = i - (len(shape) - len(xs))
                shape[i] = xs[j] if j >= 0 else 1
        return np.broadcast_to(x, tuple(shape))

    def _sympystr(self, printer: Any) -> str:
        x, shape = self.args[0], self.param(0)
        if x.is_Number:
            s = _fmt_shape(shape)
            if x == 1:
                return f"ones({s})"
            if x == 0:
                return f"zeros({s})"
            return f"full(({s}{',' if len(shape) == 1 else ''}), {printer._print(x)})"
        return f"broadcast_to({printer._print(x)}, ({_fmt_shape(shape)}" \
               f"{',' if len(shape) == 1 else ''}))"

    def _latex(self, printer: Any) -> str:
        # a number broadcast: the vector (matrix) of ones, zeros, c ones; else as is
        x, shape = self.args[0], self.param(0)
        if not x.is_Number:
            return printer._print(x)
        sub = "_{" + r" \times ".join("n" if d is None else str(d) for d in shape) + "}"
        if x == 0:
            return r"\mathbf{0}" + sub
        one = r"\mathbf{1}" + sub
        return one if x == 1 else printer._print(x) + " " + one

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [sum_to_b(ct, shape_of(self.args[0]), nb)]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else BroadcastTo.new(t[0], self.param(0))


class SumTo(Structural):
    """``sum_to(x, shape)``: the adjoint of broadcasting; args ``(x, Param(shape))``;
    NumPy: sum the leading extra axes and the axes where ``shape`` has 1."""

    name, nparams = "sum_to", 1

    def shape_rule(self, xs: tuple) -> tuple:
        return tuple(self.param(0))

    def numpy(self, x: Any) -> Any:
        shape = tuple(self.param(0))
        lead = np.ndim(x) - len(shape)
        if lead:
            x = np.sum(x, axis=tuple(range(lead)))
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and np.shape(x)[i] != 1)
        if axes:
            x = np.sum(x, axis=axes, keepdims=True)
        return x

    def _attr_str(self, printer: Any) -> str:
        s = self.param(0)
        return f"({_fmt_shape(s)}{',' if len(s) == 1 else ''})"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        extra = len(shape_of(self.args[0])) - len(self.tshape)
        if nb and extra:
            ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
            ct = Unsqueeze.new(ct, tuple(range(nb, nb + extra)))
        return [ct]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            SumTo.new(fit(t[0], shape_of(self.args[0])), self.param(0))


class Unsqueeze(Structural):
    """``unsqueeze(x, dims)``: args ``(x, Param(dims))``, ``dims`` the sorted
    positions of the new size-1 axes in the result; NumPy ``np.expand_dims``."""

    name, nparams = "unsqueeze", 1

    def shape_rule(self, xs: tuple) -> tuple:
        out, it = [], iter(xs)
        for i in range(len(xs) + len(self.param(0))):
            out.append(1 if i in self.param(0) else next(it))
        return tuple(out)

    def numpy(self, x: Any) -> Any:
        return np.expand_dims(x, tuple(self.param(0)))

    def _attr_str(self, printer: Any) -> str:
        d = self.param(0)
        return f"dim={d[0]}" if len(d) == 1 else f"dim={tuple(d)}"

    def _latex(self, printer: Any) -> str:
        # a textbook's vectors are columns: ``unsqueeze(x, 1)`` is ``x``, ``unsqueeze(x, 0)``
        # the row ``x^T``; otherwise the layout is left to broadcasting, unwritten
        x = self.args[0]
        if len(shape_of(x)) == 1 and tuple(self.param(0)) == (0,):
            return "{" + printer.parenthesize(x, 70, strict=True) + r"}^{\top}"
        return printer._print(x)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [Squeeze.new(ct, tuple(d + nb for d in self.param(0)))]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            Unsqueeze.new(fit(t[0], shape_of(self.args[0])), self.param(0))


class Squeeze(Structural):
    """``squeeze(x, dims)``: args ``(x, Param(dims))``, ``dims`` the sorted
    size-1 axes of ``x`` to drop; NumPy ``np.squeeze(x, dims)``."""

    name, nparams = "squeeze", 1

    def shape_rule(self, xs: tuple) -> tuple:
        return tuple(n for i, n in enumerate(xs) if i not in self.param(0))

    def numpy(self, x: Any) -> Any:
        return np.squeeze(x, tuple(self.param(0)))

    def _attr_str(self, printer: Any) -> str:
        d = self.param(0)
        return f"dim={d[0]}" if len(d) == 1 else f"dim={tuple(d)}"

    def _latex(self, printer: Any) -> str:
        return printer._print(self.args[0])  # dropping a size-1 axis: layout only

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [Unsqueeze.new(ct, tuple(d + nb for d in self.param(0)))]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            Squeeze.new(fit(t[0], shape_of(self.args[0])), self.param(0))


# ------------------------------------------------------------------ reductions


class Reduction(Structural):
    """Base of the reductions: layout ``(x, Param(axes), Param(keepdim))``
    with ``axes`` a sorted tuple of non-negative axes of ``x``."""

    nparams = 2
    np_func: Any = None

    @classmethod
    def make(cls, x: Any, dim: Any = None, keepdim: bool = False) -> sympy.Expr:
        """The reduction of ``x`` over ``dim`` (None: all axes)."""
        return cls.new(x, norm_axes(dim, len(shape_of(x))), bool(keepdim))

    @property
    def axes(self) -> tuple[int, ...]:
        return tuple(self.param(0))

    @property
    def keepdim(self) -> bool:
        return bool(self.param(1))

    def shape_rule(self, xs: tuple) -> tuple:
        if self.keepdim:
            return tuple(1 if i in self.axes else n for i, n in enumerate(xs))
        return tuple(n for i, n in enumerate(xs) if i not in self.axes)

    def numpy(self, x: Any) -> Any:
        return self.np_func(x, axis=self.axes, keepdims=self.keepdim)

    def _attr_str(self, printer: Any) -> str:
        x = self.args[0]
        parts = []
        if self.axes != tuple(range(len(shape_of(x)))) or self.keepdim:
            parts.append(f"dim={self.axes[0]}" if len(self.axes) == 1 else f"dim={self.axes}")
        if self.keepdim:
            parts.append("keepdim=True")
        return ", ".join(parts)

    def _back(self, ct: sympy.Expr, nb: int) -> sympy.Expr:
        """``ct`` made broadcastable to ``batch + x.shape``."""
        return unreduce(ct, shape_of(self.args[0]), self.axes, self.keepdim, nb)

    def _same(self, x: sympy.Expr) -> sympy.Expr:
        return type(self).new(x, self.axes, self.keepdim)


class SumOver(Reduction):
    """``np.sum(x, axis=axes, keepdims=keepdim)``; adjoint: ``unreduce`` (a broadcast)."""

    name, np_func = "sum", staticmethod(np.sum)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [self._back(ct, nb)]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else self._same(fit(t[0], shape_of(self.args[0])))
