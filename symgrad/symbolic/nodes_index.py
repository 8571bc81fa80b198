"""Indexing and its adjoints: ``x[key]``, ``index_put``, cat/stack, gather and
its adjoint ``scatter_add``.

A key is a tuple of ints, slices, ``None``, ``Ellipsis`` and NumPy int or
bool arrays, exactly as NumPy reads it.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> a = TensorSymbol("a", (4, 3))
>>> i = Index.new(a, (slice(1, 3), 0))
>>> i, i.tshape, Cat.new(a, a, 0).tshape, Stack.new(a, a, 1).tshape
(a[1:3, 0], (2,), (8, 3), (4, 2, 3))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .nodebase import Structural
from .nodes_linear import BroadcastTo, fit, sum_to_b
from .shapes import shape_of
from .symbols import _fmt

_BIG = 2 ** 40  # stands for an unknown length while computing an index's shape


def norm_key(key: Any) -> tuple:
    """A key as a tuple; lists and bool/int tensors become NumPy arrays."""
    if not isinstance(key, tuple):
        key = (key,)
    out = []
    for k in key:
        if isinstance(k, list):
            k = np.asarray(k)
        if isinstance(k, np.ndarray) and k.dtype.kind not in "bi":
            raise IndexError("tensors used as indices must be long, int or bool tensors")
        if isinstance(k, np.integer):
            k = int(k)
        out.append(k)
    return tuple(out)


def _value_shape(shape: tuple) -> tuple:
    return tuple(_BIG if d is None else d for d in shape)


def _back_shape(shape: tuple) -> tuple:
    return tuple(None if d > _BIG // 2 else d for d in shape)


def _batch_key(key: tuple, nb: int) -> tuple:
    return (slice(None),) * nb + tuple(key)


class Index(Structural):
    """``x[key]``: layout ``(x, Param(key))``; NumPy basic/advanced indexing."""

    name, nparams = "index", 1

    def shape_rule(self, xs: tuple) -> tuple:
        probe = np.broadcast_to(np.empty((), dtype=np.int8), _value_shape(xs))
        return _back_shape(probe[self.param(0)].shape)

    def numpy(self, x: Any) -> Any:
        return np.asarray(x)[self.param(0)]

    def _sympystr(self, printer: Any) -> str:
        key = ", ".join(_fmt(k) for k in self.param(0))
        return f"{printer.parenthesize(self.args[0], 999)}[{key}]"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        base = BroadcastTo.new(0, shape_of(ct)[:nb] + shape_of(self.args[0]))
        return [IndexPut.new(base, ct, _batch_key(self.param(0), nb), True)]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            Index.new(fit(t[0], shape_of(self.args[0])), self.param(0))


class IndexPut(Structural):
    """``x`` with ``x[key] = v`` (or ``+= v`` when ``accumulate``, duplicates
    adding up). Layout ``(x, v, Param(key), Param(accumulate))``; NumPy
    ``out = x.copy(); out[key] = v`` or ``np.add.at(out, key, v)``."""

    name, ntensor, nparams = "index_put", 2, 2

    def shape_rule(self, xs: tuple, vs: tuple) -> tuple:
        return xs

    def numpy(self, x: Any, v: Any) -> Any:
        x = np.asarray(x)
        out = np.array(x, dtype=object if x.dtype == object or np.asarray(v).dtype == object
                       else np.result_type(x.dtype, np.float64), copy=True)
        if self.param(1):
            np.add.at(out, self.param(0), v)
        else:
            out[self.param(0)] = v
        return out

    def _sympystr(self, printer: Any) -> str:
        key = ", ".join(_fmt(k) for k in self.param(0))
        op = "+=" if self.param(1) else "="
        return f"index_put({printer._print(self.args[0])}, [{key}] {op} " \
               f"{printer._print(self.args[1])})"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        key = _batch_key(self.param(0), nb)
        dx = ct if self.param(1) else IndexPut.new(ct, 0, key, False)
        dv = sum_to_b(Index.new(ct, key), shape_of(self.args[1]), nb)
        return [dx, dv]

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None and t[1] is None:
            return None
        tx = fit(t[0], self.tshape) if t[0] is not None else BroadcastTo.new(0, self.tshape)
        tv = t[1] if t[1] is not None else 0
        return IndexPut.new(tx, tv, self.param(0), self.param(1))


def _slices(xs: tuple, dim: int) -> list[tuple[int, int]]:
    out, o = [], 0
    for x in xs:
        n = shape_of(x)[dim]
        if n is None:
            raise NotImplementedError("cat: the derivative needs the lengths along dim")
        out.append((o, o + n))
        o += n
    return out


class Cat(Structural):
    """``cat(xs, dim)``: layout ``(*xs, Param(dim))``; NumPy ``np.concatenate``."""

    name, ntensor, nparams = "cat", None, 1

    def shape_rule(self, *shapes: tuple) -> tuple:
        d = self.param(0)
        n = [s[d] for s in shapes]
        total = None if any(v is None for v in n) else sum(n)
        return shapes[0][:d] + (total,) + shapes[0][d + 1:]

    def numpy(self, *xs: Any) -> Any:
        return np.concatenate([np.asarray(x) for x in xs], axis=self.param(0))

    def _attr_str(self, printer: Any) -> str:
        return f"dim={self.param(0)}"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        pre = (slice(None),) * (self.param(0) + nb)
        return [Index.new(ct, pre + (slice(a, b),))
                for a, b in _slices(self.tensor_args(), self.param(0))]

    def jvp(self, t: list) -> sympy.Expr | None:
        if all(v is None for v in t):
            return None
        xs = self.tensor_args()
        parts = [fit(v, shape_of(x)) if v is not None else BroadcastTo.new(0, shape_of(x))
                 for v, x in zip(t, xs)]
        return type(self).new(*parts, self.param(0))


class Stack(Cat):
    """``stack(xs, dim)``: layout ``(*xs, Param(dim))``; NumPy ``np.stack``."""

    name = "stack"

    def shape_rule(self, *shapes: tuple) -> tuple:
        d = self.param(0)
        return shapes[0][:d] + (len(shapes),) + shapes[0][d:]

    def numpy(self, *xs: Any) -> Any:
        return np.stack([np.asarray(x) for x in xs], axis=self.param(0))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        pre = (slice(None),) * (self.param(0) + nb)
        return [Index.new(ct, pre + (i,)) for i in range(len(self.tensor_args()))]


def _full_index(index: np.ndarray, shape: tuple, dim: int) -> tuple:
    """NumPy index tuple picking ``index`` along ``dim`` (index broadcast to
    leading batch axes of ``shape``)."""
    extra = len(shape) - index.ndim
    idx = np.broadcast_to(index, tuple(shape[:extra]) + index.shape)
    grids = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
    grids[dim] = idx
    return tuple(grids)


class Gather(Structural):
    """``gather(x, dim, index)`` (``torch.gather``): layout
    ``(x, Param(dim), Param(index))``; NumPy: ``x[..., index, ...]`` along
    ``dim`` over an open grid of ``index``'s shape (``index`` broadcasts over
    leading batch axes of ``x``)."""

    name, nparams = "gather", 2

    def shape_rule(self, xs: tuple) -> tuple:
        idx = self.param(1)
        return tuple(xs[:len(xs) - idx.ndim]) + idx.shape

    def numpy(self, x: Any) -> Any:
        x = np.asarray(x)
        idx = self.param(1)
        extra = x.ndim - idx.ndim
        return x[_full_index(idx, x.shape[:extra] + idx.shape, self.param(0))]

    def _attr_str(self, printer: Any) -> str:
        return f"dim={self.param(0)}, index={_fmt(self.param(1))}"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        out = shape_of(ct)[:nb] + shape_of(self.args[0])
        return [ScatterAdd.new(ct, self.param(0) + nb, self.param(1), out)]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            Gather.new(fit(t[0], shape_of(self.args[0])), self.param(0), self.param(1))


class ScatterAdd(Structural):
    """The adjoint of :class:`Gather`: zeros of ``shape`` with ``src`` added at
    ``index`` along ``dim``. Layout ``(src, Param(dim), Param(index), Param(shape))``."""

    name, nparams = "scatter_add", 3

    def shape_rule(self, ss: tuple) -> tuple:
        return tuple(self.param(2))

    def numpy(self, src: Any) -> Any:
        src = np.asarray(src)
        out = np.zeros(tuple(self.param(2)), dtype=object if src.dtype == object else float)
        np.add.at(out, _full_index(self.param(1), src.shape, self.param(0)), src)
        return out

    def _attr_str(self, printer: Any) -> str:
        return f"dim={self.param(0)}, index={_fmt(self.param(1))}"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [Gather.new(ct, self.param(0) + nb, self.param(1))]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else ScatterAdd.new(
            fit(t[0], shape_of(self.args[0])), self.param(0), self.param(1), self.param(2))



