"""Reductions over axes (mean, prod, amax, amin, logsumexp) and the
normalisations along one axis (softmax, log_softmax). ``sum`` and the base
:class:`~symgrad.symbolic.nodes_linear.Reduction` are linear and live with
their adjoints in :mod:`symgrad.symbolic.nodes_linear`.

Reduction layout: ``(x, Param(axes), Param(keepdim))`` with ``axes`` a sorted
tuple of non-negative axes of ``x``.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> a = TensorSymbol("a", (2, 3))
>>> SumOver.make(a), MeanOver.make(a, 1, True), SumOver.make(a, -1).tshape
(sum(a), mean(a, dim=1, keepdim=True), (2,))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from ..ops import numerics
from .algebra import call, mul, power, sub
from .elementwise import compare
from .nodebase import Structural
from .nodes_linear import Reduction, SumOver, fit, unreduce
from .shapes import known, shape_of


def _vec(f: Any, x: Any) -> Any:
    return np.vectorize(f, otypes=[object])(x)


class Numel(Reduction):
    """The number of elements reduced over ``axes`` (shape ``()``; for unknown lengths)."""

    name = "numel"

    def shape_rule(self, xs: tuple) -> tuple:
        return ()

    def numpy(self, x: Any) -> Any:
        return float(np.prod([np.shape(x)[a] for a in self.axes]))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [None]

    def jvp(self, t: list) -> None:
        return None


def count(x: sympy.Expr, axes: tuple[int, ...]) -> sympy.Expr:
    """How many elements a reduction over ``axes`` combines (a number when known)."""
    sizes = [shape_of(x)[a] for a in axes]
    if known(tuple(sizes)):
        return sympy.Integer(int(np.prod(sizes)))
    return Numel.new(x, axes, False)


class MeanOver(Reduction):
    """``np.mean(x, axis=axes, keepdims=keepdim)``."""

    name, np_func = "mean", staticmethod(np.mean)

    def numpy(self, x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.dtype == object:
            n = int(np.prod([x.shape[a] for a in self.axes]))
            return np.sum(x, axis=self.axes, keepdims=self.keepdim) / n
        return np.mean(x, axis=self.axes, keepdims=self.keepdim)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [mul(self._back(ct, nb), power(count(self.args[0], self.axes), -1))]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else self._same(fit(t[0], shape_of(self.args[0])))


class ProdOver(Reduction):
    """``np.prod(x, axis=axes, keepdims=keepdim)``; gradient ``prod/x`` (``x != 0``)."""

    name, np_func = "prod", staticmethod(np.prod)

    def _others(self) -> sympy.Expr:
        return ProdOthers.new(self.args[0], self.axes, True)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [mul(self._back(ct, nb), self._others())]

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None:
            return None
        return SumOver.new(fit(mul(self._others(), t[0]), shape_of(self.args[0])), self.axes,
                          self.keepdim)


def _prod_others(x: Any, axes: tuple) -> Any:
    """For each element, the product of the others along ``axes`` (zero-aware)."""
    if isinstance(x, np.ndarray) and x.dtype == object:
        return np.prod(x, axis=axes, keepdims=True) / x
    zero = x == 0
    nz = np.sum(zero, axis=axes, keepdims=True)
    safe = np.where(zero, 1.0, x)
    p = np.prod(safe, axis=axes, keepdims=True)
    return np.where(zero, np.where(nz == 1, p, 0.0), np.where(nz == 0, p / safe, 0.0))


class ProdOthers(Reduction):
    """For each element, the product of the *other* elements along ``axes``
    (exact with zeros; shape of ``x``). Layout as a reduction; ``keepdim`` is
    always True. NumPy: ``prod / x`` where no zero, else the zero-aware value."""

    name = "prod_others"

    def shape_rule(self, xs: tuple) -> tuple:
        return xs

    def numpy(self, x: Any) -> Any:
        return _prod_others(x, self.axes)


    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        # the Hessian of a product is symmetric: the VJP is the JVP along ct
        x = self.args[0]
        xb = fit(x, shape_of(ct)[:nb] + shape_of(x))
        ct = fit(ct, shape_of(xb))
        return [ProdOthersJvp.new(xb, ct, tuple(a + nb for a in self.axes))]

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None:
            return None
        x = self.args[0]
        return ProdOthersJvp.new(x, fit(t[0], shape_of(x)), self.axes)


def _last(v: Any, axes: tuple) -> tuple[Any, tuple]:
    """``v`` with ``axes`` moved last and flattened into one axis of length n."""
    v = np.moveaxis(np.asarray(v), axes, tuple(range(-len(axes), 0)))
    lead = v.shape[:v.ndim - len(axes)]
    return v.reshape(lead + (-1,)), v.shape


class ProdOthersJvp(Structural):
    """``out[k] = sum_{i != k} t[i] * prod_{j not in {i, k}} x[j]`` along ``axes``:
    the JVP of :class:`ProdOthers` along ``t`` (and its VJP with cotangent ``t``),
    exact with zeros. Layout ``(x, t, Param(axes))``, ``x`` and ``t`` of one shape;
    NumPy: leave-one-out products over an extra axis (O(n**2) per group)."""

    name, ntensor, nparams = "prod_others_jvp", 2, 1

    def shape_rule(self, xs: tuple, ts: tuple) -> tuple:
        return xs

    def numpy(self, x: Any, t: Any) -> Any:
        axes = tuple(self.param(0))
        obj = np.asarray(x).dtype == object or np.asarray(t).dtype == object
        xf, moved = _last(x, axes)
        tf, _ = _last(np.broadcast_to(t, np.shape(x)), axes)
        n = xf.shape[-1]
        eye = np.eye(n, dtype=bool)
        z = np.where(eye, 1, xf[..., None, :])          # row k: x with x[k] -> 1
        tm = np.where(eye, 0, tf[..., None, :])         # row k: t with t[k] -> 0
        po = _prod_others(z.astype(object if obj else float), (-1,))
        out = np.sum(tm * po, axis=-1).reshape(moved)
        return np.moveaxis(out, tuple(range(-len(axes), 0)), axes)

    def _attr_str(self, printer: Any) -> str:
        return f"dim={tuple(self.param(0))}"


class AmaxOver(Reduction):
    """``np.amax(x, axis=axes, keepdims=keepdim)``; tied maxima share the gradient."""

    name, np_func = "amax", staticmethod(np.amax)

    def _share(self) -> sympy.Expr:
        x = self.args[0]
        mask = compare("equal", x, unreduce(self, shape_of(x), self.axes, self.keepdim))
        return mul(mask, power(SumOver.new(mask, self.axes, True), -1))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [mul(self._back(ct, nb), self._share())]

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None:
            return None
        return SumOver.new(fit(mul(self._share(), t[0]), shape_of(self.args[0])), self.axes,
                          self.keepdim)


class AminOver(AmaxOver):
    """``np.amin(x, axis=axes, keepdims=keepdim)``; tied minima share the gradient."""

    name, np_func = "amin", staticmethod(np.amin)


class ShiftMax(Reduction):
    """The shift that makes ``logsumexp``/``softmax`` stable: ``amax(x, axes,
    keepdims=True)`` with non-finite maxima replaced by 0. A constant shift
    (the results do not depend on it), so its derivative is zero. Layout as a
    reduction; ``keepdim`` is always True. Kernels only (see
    ``symgrad.kernels.lower``)."""

    name = "shift_max"

    def numpy(self, x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.dtype == object:
            return np.zeros_like(np.sum(x, axis=self.axes, keepdims=True))
        return numerics.shift_max(x, self.axes)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [None]

    def jvp(self, t: list) -> None:
        return None


class LogSumExp(Reduction):
    """``log(sum(exp(x), axes, keepdim))``, computed stably."""

    name = "logsumexp"

    def numpy(self, x: Any) -> Any:
        if isinstance(x, np.ndarray) and x.dtype == object:
            return _vec(sympy.log, np.sum(_vec(sympy.exp, x), axis=self.axes,
                                          keepdims=self.keepdim))
        return numerics.logsumexp(x, self.axes, self.keepdim)

    def _soft(self) -> sympy.Expr:
        """d logsumexp / dx: ``softmax(x, dim)`` for one axis (a node the
        kernels compute from the same ``exp(x - max)`` as the value), else
        ``exp(x - logsumexp(x))``."""
        x = self.args[0]
        if len(self.axes) == 1:
            return Softmax.new(x, self.axes[0])
        return call(sympy.exp, sub(x, unreduce(self, shape_of(x), self.axes, self.keepdim)))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [mul(self._back(ct, nb), self._soft())]

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None:
            return None
        return SumOver.new(fit(mul(self._soft(), t[0]), shape_of(self.args[0])), self.axes,
                          self.keepdim)


class Softmax(Structural):
    """``softmax(x, dim)``: layout ``(x, Param(dim))``;
    NumPy ``e = exp(x - max); e / e.sum(dim, keepdims=True)``."""

    name, nparams = "softmax", 1

    def shape_rule(self, xs: tuple) -> tuple:
        return xs

    def _attr_str(self, printer: Any) -> str:
        return f"dim={self.param(0)}"

    def _latex(self, printer: Any) -> str:
        # over a vector's one axis the dim says nothing: ``softmax(z)``
        if len(self.tshape) == 1:
            return r"\operatorname{" + self.name.replace("_", r"\_") + r"}\left(" + \
                printer._print(self.args[0]) + r"\right)"
        return super()._latex(printer)

    def _axes(self, nb: int) -> tuple[int, ...]:
        d = self.param(0)
        r = len(self.tshape)
        return tuple(range(nb, nb + r)) if d is None else (d + nb,)

    def numpy(self, x: Any) -> Any:
        d = self.param(0)
        if isinstance(x, np.ndarray) and x.dtype == object:
            e = _vec(sympy.exp, x)
            return e / np.sum(e, axis=d, keepdims=True)
        return numerics.softmax(x, d)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        inner = SumOver.new(fit(mul(ct, self), shape_of(ct)), self._axes(nb), True)
        return [mul(self, sub(ct, inner))]

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None:
            return None
        tt = fit(t[0], self.tshape)
        inner = SumOver.new(fit(mul(self, tt), self.tshape), self._axes(0), True)
        return mul(self, sub(tt, inner))


class LogSoftmax(Softmax):
    """``log_softmax(x, dim)``: layout ``(x, Param(dim))``;
    NumPy ``x - logsumexp(x, dim, keepdims=True)``."""

    name = "log_softmax"

    def numpy(self, x: Any) -> Any:
        d = self.param(0)
        if isinstance(x, np.ndarray) and x.dtype == object:
            return x - _vec(sympy.log, np.sum(_vec(sympy.exp, x), axis=d, keepdims=True))
        return numerics.log_softmax(x, d)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        total = SumOver.new(ct, self._axes(nb), True)
        return [sub(ct, mul(call(sympy.exp, self), total))]

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None:
            return None
        tt = fit(t[0], self.tshape)
        inner = SumOver.new(fit(mul(call(sympy.exp, self), tt), self.tshape), self._axes(0), True)
        return sub(tt, inner)

