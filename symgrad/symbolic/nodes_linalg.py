"""Products and filled tensors: matmul (NumPy semantics, 1-D and batched),
``Diag`` (Jacobians and Hessians), ``zeros_like``/``full_like``/``copy_to``.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> W, x = TensorSymbol("W", (2, 3)), TensorSymbol("x", (3,))
>>> m = matprod(W, x)
>>> m, m.tshape, m.vjp(TensorSymbol("g", (2,)), 0)[1]
(W @ x, (2,), W.T @ g)
>>> Diag.new(1, (3,)), Diag.new(x, (3,)).tshape
(eye(3), (3, 3))
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .algebra import add, as_number, intern, mul, node
from .nodebase import Structural
from .nodes_linear import Permute, Squeeze, SumOver, Unsqueeze, fit, lengths_lost, sum_to_b
from .shapes import broadcast, shape_of


def _mT(x: sympy.Expr) -> sympy.Expr:
    r = len(shape_of(x))
    return Permute.new(x, tuple(range(r - 2)) + (r - 1, r - 2))


def _is_eye(e: sympy.Expr) -> bool:
    return isinstance(e, Diag) and e.args[0] == 1 and len(e.param(0)) == 1


def matprod(a: Any, b: Any) -> sympy.Expr:
    """``a @ b``, with ``eye @ b`` -> ``b`` and ``a @ eye`` -> ``a``."""
    a, b = intern(as_number(a)), intern(as_number(b))
    if _is_eye(a) and len(shape_of(b)) >= 1:
        return b
    if _is_eye(b) and len(shape_of(a)) >= 1:
        return a
    return node(MatProd, a, b)


class MatProd(Structural):
    """``a @ b`` with NumPy/PyTorch ``matmul`` semantics (1-D operands are
    promoted and the promoted axis dropped; batch axes broadcast).
    Layout ``(a, b)``; NumPy ``np.matmul``."""

    name, ntensor = "matmul", 2
    # `@` binds like `*` and associates left: `x*(y @ z)` needs its parentheses
    precedence = 49

    def shape_rule(self, sa: tuple, sb: tuple) -> tuple:
        if not sa or not sb:
            raise ValueError("matmul: both arguments need at least one dimension")
        k1, k2 = sa[-1], (sb[0] if len(sb) == 1 else sb[-2])
        if k1 is not None and k2 is not None and k1 != k2:
            raise ValueError(f"matmul: shapes {sa} and {sb} do not match ({k1} vs {k2})")
        if len(sa) == 1 and len(sb) == 1:
            return ()
        if len(sb) == 1:
            return sa[:-1]
        if len(sa) == 1:
            return sb[:-2] + sb[-1:]
        return broadcast(sa[:-2], sb[:-2]) + (sa[-2], sb[-1])

    def numpy(self, a: Any, b: Any) -> Any:
        return np.matmul(a, b)

    def _sympystr(self, printer: Any) -> str:
        a, b = self.args
        # SymPy's parenthesize: non-strict adds parentheses at equal precedence,
        # which the right operand needs (`x @ (y*z)`); the left one does not
        # (`@` and `*` associate left: `A @ B @ C`, `x*y @ z`)
        return f"{printer.parenthesize(a, 49, strict=True)} @ {printer.parenthesize(b, 50)}"

    def _latex(self, printer: Any) -> str:
        # an explicit product (``x B`` would read as a scalar times a matrix)
        a, b = self.args
        return rf"{printer.parenthesize(a, 49, strict=True)} \cdot {printer.parenthesize(b, 50)}"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        a, b = self.args
        sa, sb = shape_of(a), shape_of(b)
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        if len(sa) == 1 and len(sb) == 1:
            cu = Unsqueeze.new(ct, (nb,)) if nb else ct
            return [mul(cu, b), mul(cu, a)]
        if len(sa) == 2 and len(sb) == 1:
            da = mul(Unsqueeze.new(ct, (nb + 1,)), b)
            db = matprod(_mT(a), ct) if nb == 0 else matprod(ct, a)
            return [da, db]
        if len(sa) == 1 and len(sb) == 2:
            da = matprod(b, ct) if nb == 0 else matprod(ct, _mT(b))
            db = mul(Unsqueeze.new(a, (1,)), Unsqueeze.new(ct, (nb,)))
            return [da, db]
        if len(sa) == 2 and len(sb) == 2:
            return [matprod(ct, _mT(b)), matprod(_mT(a), ct)]
        return self._vjp_batched(ct, nb)

    def _vjp_batched(self, ct: sympy.Expr, nb: int) -> list:
        a, b = self.args
        sa, sb = shape_of(a), shape_of(b)
        a2 = a if len(sa) > 1 else Unsqueeze.new(a, (0,))
        b2 = b if len(sb) > 1 else Unsqueeze.new(b, (1,))
        g = ct
        if len(sb) == 1:
            g = Unsqueeze.new(g, (len(shape_of(g)),))
        if len(sa) == 1:
            g = Unsqueeze.new(g, (len(shape_of(g)) - 1,))
        da = sum_to_b(matprod(g, _mT(b2)), shape_of(a2), nb)
        db = sum_to_b(matprod(_mT(a2), g), shape_of(b2), nb)
        if len(sa) == 1:
            da = Squeeze.new(da, (nb,))
        if len(sb) == 1:
            db = Squeeze.new(db, (nb + 1,))
        return [da, db]

    def jvp(self, t: list) -> sympy.Expr | None:
        a, b = self.args
        terms = []
        if t[0] is not None:
            terms.append(matprod(fit(t[0], shape_of(a)), b))
        if t[1] is not None:
            terms.append(matprod(a, fit(t[1], shape_of(b))))
        return add(*terms) if terms else None


class Diag(Structural):
    """``diag(v)`` of shape ``s + s`` with ``out[i..., j...] = (i == j) * v[i...]``
    (``v`` broadcast to ``s``). Layout ``(v, Param(s))``; NumPy: ``np.diag`` of
    the flattened ``v``, reshaped. ``Diag(1, s)`` is the identity, ``eye``."""

    name, nparams = "diag", 1

    def shape_rule(self, vs: tuple) -> tuple:
        s = tuple(self.param(0))
        return s + s

    def numpy(self, v: Any) -> Any:
        s = tuple(self.param(0))
        n = int(np.prod(s)) if s else 1
        flat = np.broadcast_to(v, s).reshape(n)
        out = np.zeros((n, n), dtype=object if flat.dtype == object else np.float64)
        out[np.arange(n), np.arange(n)] = flat
        return out.reshape(s + s)

    def _sympystr(self, printer: Any) -> str:
        v, s = self.args[0], tuple(self.param(0))
        dims = ", ".join("?" if d is None else str(d) for d in s)
        if v == 1:
            return f"eye({dims})"
        if _ones_like(v) is not None:
            x = _ones_like(v)
            return (f"eye(len({printer._print(x)}))" if len(s) == 1
                    else f"diag(ones_like({printer._print(x)}))")
        if shape_of(v) == s:
            return f"diag({printer._print(v)})"
        return f"diag({printer._print(v)}, shape=({dims}{',' if len(s) == 1 else ''}))"

    def _latex(self, printer: Any) -> str:
        v = self.args[0]
        if v == 1 or _ones_like(v) is not None:
            return "I"
        return r"\operatorname{diag}\left(" + printer._print(v) + r"\right)"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        # the diagonal of ct: sum_j ct[..., i, j] * eye[i, j], summed back to v's shape
        s = tuple(self.param(0))
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        r = len(shape_of(ct))
        part = SumOver.new(mul(ct, Diag.new(1, s)), tuple(range(r - len(s), r)), False) \
            if s else ct
        return [sum_to_b(part, shape_of(self.args[0]), nb)]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else Diag.new(t[0], self.param(0))


def diag_times(ct: sympy.Expr, p: sympy.Expr) -> sympy.Expr | None:
    """``ct * p`` as a ``c*diag(v*p)`` when ``ct`` is ``c*diag(v)`` and ``p``
    broadcasts to the diagonal's shape; else None."""
    c, d = (ct.args[0], ct.args[1]) if (ct.is_Mul and len(ct.args) == 2
                                        and ct.args[0].is_Number) else (1, ct)
    if not isinstance(d, Diag):
        return None
    s = tuple(d.param(0))
    ps = shape_of(p)
    try:
        if len(ps) > len(s) or broadcast(ps, s) != s:
            return None
    except ValueError:
        return None
    vp = p if _ones_like(d.args[0]) is not None and ps == s else mul(d.args[0], p)
    coeff, rest = (vp.args[0], mul(*vp.args[1:])) if vp.is_Mul and vp.args[0].is_Number \
        else ((vp, 1) if vp.is_Number else (1, vp))
    return mul(c, coeff, Diag.new(rest, s))


def _ones_like(v: Any) -> Any:
    """``x`` when ``v`` is ``full_like(x, 1)`` (a diagonal of ones whose
    length is read off ``x`` at run time), else None."""
    if isinstance(v, FullLike) and v.param(0) == 1:
        return v.args[0]
    return None


class ZerosLike(Structural):
    """``zeros_like(x)``: layout ``(x,)``; NumPy ``np.zeros(np.shape(x))``."""

    name = "zeros_like"

    def shape_rule(self, xs: tuple) -> tuple:
        return xs

    def numpy(self, x: Any) -> Any:
        return np.zeros(np.shape(x))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        return [None]

    def jvp(self, t: list) -> None:
        return None


class FullLike(ZerosLike):
    """``full_like(x, value)``: layout ``(x, Param(value))``; NumPy ``np.full``."""

    name, nparams = "full_like", 1

    def numpy(self, x: Any) -> Any:
        return np.full(np.shape(x), float(self.param(0)))

    def _attr_str(self, printer: Any) -> str:
        return str(self.param(0))


class CopyTo(Structural):
    """``copy_to(x, src)``: ``x.copy_(src)``, the value of ``src`` broadcast to
    ``x``'s shape (no gradient to ``x``). Layout ``(x, src)``."""

    name, ntensor = "copy_to", 2

    def shape_rule(self, xs: tuple, ss: tuple) -> tuple:
        return xs

    def numpy(self, x: Any, src: Any) -> Any:
        return np.array(np.broadcast_to(src, np.shape(x)))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [None, sum_to_b(ct, shape_of(self.args[1]), nb)]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[1] is None else fit(t[1], self.tshape)


def fit_like(e: sympy.Expr | None, shape: tuple, like: sympy.Expr) -> sympy.Expr | None:
    """``fit(e, shape)``, except that a length left unspecified (``None``) that ``e``
    cannot supply is taken from ``like`` (a formula of ``shape``), as
    ``e * full_like(like, 1)``: a kernel never reads it off a constant."""
    shape = tuple(shape)
    if e is not None and shape_of(e) != shape and lengths_lost(shape_of(e), shape) \
            and shape_of(like) == shape:
        return mul(e, FullLike.new(like, 1))
    return fit(e, shape)
