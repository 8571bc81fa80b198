"""Matrix functions as structural nodes, each beside its derivative rules in
the Matrix Cookbook's forms: ``trace``, ``det``, ``logdet``, ``logabsdet``,
``inverse``, ``solve``, ``diagonal``, ``diag_embed``, ``outer``, ``kron``.

Leading dimensions are batches (as PyTorch's ``linalg`` functions take
them); the reverse rules take a cotangent with ``nb`` extra leading axes
(Jacobians) like every structural node.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> X, g = TensorSymbol("X", (3, 3)), TensorSymbol("g", (3, 3))
>>> Trace.new(X).vjp(1, 0)[0], Solve.new(X, g).tshape
(eye(3), (3, 3))
>>> type(LogDet.new(X).vjp(1, 0)[0].args[0]).__name__   # inverse(X).T
'Inverse'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from ..ops.matfun import diag_embed_np, diagonal_length, is_vector_rhs, svd_project
from .algebra import add, mul
from .nodebase import Structural
from .nodes_linalg import Diag, matprod
from .nodes_linear import Permute, Reshape, SumOver, Unsqueeze, fit, sum_to_b
from .shapes import broadcast, shape_of


def mT(x: sympy.Expr) -> sympy.Expr:
    """The transpose of the last two axes (``X.T`` for a matrix)."""
    r = len(shape_of(x))
    return Permute.new(x, tuple(range(r - 2)) + (r - 1, r - 2))


def as_matrices(v: sympy.Expr) -> sympy.Expr:
    """A batch of scalars as a batch of 1x1 matrices (``v[..., None, None]``)."""
    r = len(shape_of(v))
    return Unsqueeze.new(v, (r, r + 1)) if r else v


def _square(name: str, s: tuple) -> None:
    if len(s) < 2:
        raise ValueError(f"{name}: the input needs at least 2 dimensions, got shape {s}")
    if s[-1] is not None and s[-2] is not None and s[-1] != s[-2]:
        raise ValueError(f"{name}: needs square matrices, got {s[-2]} by {s[-1]}")


class Trace(Structural):
    """``trace(x)``: the sum of the diagonal of the last two axes. Layout ``(x,)``;
    NumPy ``np.trace(x, axis1=-2, axis2=-1)``. Linear: its adjoint is ``ct * eye``."""

    name = "trace"

    def shape_rule(self, xs: tuple) -> tuple:
        if len(xs) < 2:
            raise ValueError(f"trace: expected a matrix, got shape {xs}")
        return xs[:-2]

    def numpy(self, x: Any) -> Any:
        return np.trace(x, axis1=-2, axis2=-1)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        xs = shape_of(self.args[0])
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        if xs[-2] == xs[-1]:
            eye = Diag.new(1, (xs[-1],))
        else:  # a rectangular "identity": ones on the main diagonal
            eye = DiagEmbed.new(_ones(min(xs[-2:])), 0, 0, 1, xs[-2], xs[-1])
        return [mul(as_matrices(ct), eye)]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else Trace.new(fit(t[0], shape_of(self.args[0])))


def _ones(k: int) -> sympy.Expr:
    from .nodes_linear import BroadcastTo
    return BroadcastTo.new(1, (k,))


class Det(Structural):
    """``det(x)`` of a (batch of) square matrices. Layout ``(x,)``; NumPy
    ``np.linalg.det``. ``d det(X) = det(X) * inverse(X).T``."""

    name = "det"

    def shape_rule(self, xs: tuple) -> tuple:
        _square(self.name, xs)
        return xs[:-2]

    def numpy(self, x: Any) -> Any:
        return np.linalg.det(np.asarray(x, dtype=np.float64))

    def _grad(self) -> sympy.Expr:
        return mT(Inverse.new(self.args[0]))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [mul(as_matrices(mul(ct, self._scale())), self._grad())]

    def _scale(self) -> sympy.Expr:
        return self

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None:
            return None
        x = self.args[0]
        return mul(self._scale(), Trace.new(matprod(Inverse.new(x), fit(t[0], shape_of(x)))))


class LogDet(Det):
    """``logdet(x)``: ``log(det(x))``, ``nan`` where the determinant is negative
    (as PyTorch). Layout ``(x,)``. ``d logdet(X) = inverse(X).T``."""

    name = "logdet"

    def numpy(self, x: Any) -> Any:
        sign, logabs = np.linalg.slogdet(np.asarray(x, dtype=np.float64))
        return np.where(sign < 0, np.nan, logabs)

    def _scale(self) -> sympy.Expr:
        return sympy.Integer(1)


class LogAbsDet(LogDet):
    """``logabsdet(x)``: ``log|det(x)|`` (``slogdet(x).logabsdet``). Layout ``(x,)``."""

    name = "logabsdet"

    def numpy(self, x: Any) -> Any:
        return np.linalg.slogdet(np.asarray(x, dtype=np.float64))[1]


class Inverse(Structural):
    """``inverse(x)`` of a (batch of) square matrices. Layout ``(x,)``; NumPy
    ``np.linalg.inv``. ``d inverse(X) = -inverse(X) @ dX @ inverse(X)``."""

    name = "inverse"

    def shape_rule(self, xs: tuple) -> tuple:
        _square(self.name, xs)
        return xs

    def numpy(self, x: Any) -> Any:
        return np.linalg.inv(np.asarray(x, dtype=np.float64))

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        it = mT(self)
        return [mul(-1, matprod(matprod(it, ct), it))]

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is None:
            return None
        return mul(-1, matprod(matprod(self, fit(t[0], self.tshape)), self))


class Solve(Structural):
    """``solve(a, b)``: ``x`` with ``a @ x = b``; ``b`` a (batch of) vector(s) when
    PyTorch's rule says so, else of matrices. Layout ``(a, b)``; NumPy
    ``np.linalg.solve`` (vectors as one-column matrices). The cotangent of
    ``b`` is a solve with ``a.T``."""

    name, ntensor = "solve", 2

    def _vector(self) -> bool:
        return is_vector_rhs(shape_of(self.args[0]), shape_of(self.args[1]))

    def shape_rule(self, sa: tuple, sb: tuple) -> tuple:
        _square(self.name, sa)
        if is_vector_rhs(sa, sb):
            return broadcast(sa[:-2], sb[:-1]) + sa[-1:]
        return broadcast(sa[:-2], sb[:-2]) + sb[-2:]

    def numpy(self, a: Any, b: Any) -> Any:
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if is_vector_rhs(a.shape, b.shape):
            return np.linalg.solve(a, b[..., None])[..., 0]
        return np.linalg.solve(a, b)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        a, b = self.args
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        if self._vector():
            gb = _solve_vectors(mT(a), ct)
            x = self
            r = len(shape_of(gb))
            ga = mul(-1, Unsqueeze.new(gb, (r,)), Unsqueeze.new(x, (len(shape_of(x)) - 1,)))
        else:
            gb = Solve.new(mT(a), ct)
            ga = mul(-1, matprod(gb, mT(self)))
        return [sum_to_b(ga, shape_of(a), nb), sum_to_b(gb, shape_of(b), nb)]

    def jvp(self, t: list) -> sympy.Expr | None:
        a, b = self.args
        terms = []
        if t[0] is not None:
            terms.append(mul(-1, _solve_like(self, a, matprod(fit(t[0], shape_of(a)), self))))
        if t[1] is not None:
            terms.append(_solve_like(self, a, fit(t[1], shape_of(b))))
        return add(*terms) if terms else None


def _solve_vectors(a: sympy.Expr, v: sympy.Expr) -> sympy.Expr:
    """``solve(a, v)`` for a batch of vectors ``v`` of any leading shape."""
    sa, sv = shape_of(a), shape_of(v)
    if is_vector_rhs(sa, sv):
        return Solve.new(a, v)
    col = Unsqueeze.new(v, (len(sv),))
    from .nodes_linear import Squeeze
    return Squeeze.new(Solve.new(a, col), (len(sv),))


def _solve_like(node: Solve, a: sympy.Expr, rhs: sympy.Expr) -> sympy.Expr:
    return _solve_vectors(a, rhs) if node._vector() else Solve.new(a, rhs)


class Diagonal(Structural):
    """``diagonal(x, offset, dim1, dim2)``: the diagonal over two axes, as the
    last axis. Layout ``(x, Param(offset), Param(dim1), Param(dim2))``; NumPy
    ``np.diagonal``. Its adjoint is :class:`DiagEmbed`."""

    name, nparams = "diagonal", 3

    def shape_rule(self, xs: tuple) -> tuple:
        off, d1, d2 = (self.param(i) for i in range(3))
        m, n = xs[d1], xs[d2]
        k = None if m is None or n is None else diagonal_length(m, n, off)
        return tuple(s for i, s in enumerate(xs) if i not in (d1, d2)) + (k,)

    def numpy(self, x: Any) -> Any:
        return np.diagonal(x, *(self.param(i) for i in range(3)))

    def _attr_str(self, printer: Any) -> str:
        off, d1, d2 = (self.param(i) for i in range(3))
        parts = [f"offset={off}"] if off else []
        if (d1, d2) != (0, 1):
            parts.append(f"dim1={d1}, dim2={d2}")
        return ", ".join(parts)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        off, d1, d2 = (self.param(i) for i in range(3))
        xs = shape_of(self.args[0])
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [DiagEmbed.new(ct, off, d1 + nb, d2 + nb, xs[d1], xs[d2])]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            Diagonal.new(fit(t[0], shape_of(self.args[0])), *(self.param(i) for i in range(3)))


class DiagEmbed(Structural):
    """``diag_embed(v, offset, dim1, dim2, rows, cols)``: ``v``'s last axis on the
    ``offset`` diagonal of a ``rows x cols`` zero matrix at axes ``dim1``,
    ``dim2`` of the result. Layout ``(v, Param(offset), Param(dim1),
    Param(dim2), Param(rows), Param(cols))``; NumPy
    :func:`symgrad.ops.matfun.diag_embed_np`. Its adjoint is :class:`Diagonal`."""

    name, nparams = "diag_embed", 5

    def shape_rule(self, vs: tuple) -> tuple:
        d1, d2, rows, cols = (self.param(i) for i in range(1, 5))
        rest = iter(vs[:-1])
        out = []
        for i in range(len(vs) + 1):
            out.append(rows if i == d1 else cols if i == d2 else next(rest))
        return tuple(out)

    def numpy(self, v: Any) -> Any:
        v = np.asarray(v)
        if v.ndim == 0:
            v = np.broadcast_to(v, (diagonal_length(self.param(3), self.param(4),
                                                    self.param(0)),))
        return diag_embed_np(v, *(self.param(i) for i in range(5)))

    def _attr_str(self, printer: Any) -> str:
        off, d1, d2, rows, cols = (self.param(i) for i in range(5))
        return f"offset={off}, dim1={d1}, dim2={d2}, shape=({rows}, {cols})"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        off, d1, d2 = (self.param(i) for i in range(3))
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [sum_to_b(Diagonal.new(ct, off, d1 + nb, d2 + nb), shape_of(self.args[0]), nb)]

    def jvp(self, t: list) -> sympy.Expr | None:
        return None if t[0] is None else \
            DiagEmbed.new(fit(t[0], shape_of(self.args[0])), *(self.param(i) for i in range(5)))


class Outer(Structural):
    """``outer(a, b)``: ``a[:, None] * b[None, :]`` of two vectors. Layout ``(a, b)``;
    NumPy ``np.multiply.outer``."""

    name, ntensor = "outer", 2

    def shape_rule(self, sa: tuple, sb: tuple) -> tuple:
        return tuple(sa) + tuple(sb)

    def numpy(self, a: Any, b: Any) -> Any:
        return np.multiply.outer(a, b)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        a, b = self.args
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [matprod(ct, b), matprod(a, ct)]

    def jvp(self, t: list) -> sympy.Expr | None:
        a, b = self.args
        terms = []
        if t[0] is not None:
            terms.append(Outer.new(fit(t[0], shape_of(a)), b))
        if t[1] is not None:
            terms.append(Outer.new(a, fit(t[1], shape_of(b))))
        return add(*terms) if terms else None


class Kron(Structural):
    """``kron(a, b)``: the Kronecker product of two tensors of equal rank. Layout
    ``(a, b)``; NumPy ``np.kron``. Its adjoint reshapes the cotangent to
    ``(a1, b1, a2, b2, ...)`` and contracts it with the other factor."""

    name, ntensor = "kron", 2

    def shape_rule(self, sa: tuple, sb: tuple) -> tuple:
        if len(sa) != len(sb):
            raise ValueError(f"kron: operands of equal rank expected, got {sa} and {sb}")
        return tuple(None if x is None or y is None else x * y for x, y in zip(sa, sb))

    def numpy(self, a: Any, b: Any) -> Any:
        return np.kron(a, b)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        a, b = self.args
        sa, sb = shape_of(a), shape_of(b)
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        k = len(sa)
        g = Reshape.new(ct, shape_of(ct)[:nb] + tuple(n for p in zip(sa, sb) for n in p))
        out = []
        for which, other in ((0, b), (1, a)):
            spread = Unsqueeze.new(other, tuple(2 * i + which for i in range(k)))
            axes = tuple(nb + i for i in range(1 - which, 2 * k, 2))
            out.append(SumOver.new(mul(g, spread), axes, False) if axes else mul(g, spread))
        return out

    def jvp(self, t: list) -> sympy.Expr | None:
        a, b = self.args
        terms = []
        if t[0] is not None:
            terms.append(Kron.new(fit(t[0], shape_of(a)), b))
        if t[1] is not None:
            terms.append(Kron.new(a, fit(t[1], shape_of(b))))
        return add(*terms) if terms else None


class SVals(Structural):
    """``svdvals(x)``: the singular values of a (batch of) matrices, largest first.
    Layout ``(x,)``; NumPy ``np.linalg.svd(x, compute_uv=False)``. Its derivatives
    are :class:`SvdProject` (``U diag(ct) Vh`` and ``diag(U^T t V)``)."""

    name = "svdvals"

    def shape_rule(self, xs: tuple) -> tuple:
        if len(xs) < 2:
            raise ValueError(f"svdvals: expected matrices, got shape {xs}")
        m, n = xs[-2:]
        return xs[:-2] + (None if m is None or n is None else min(m, n),)

    def numpy(self, x: Any) -> Any:
        return np.linalg.svd(np.asarray(x, dtype=np.float64), compute_uv=False)

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        ct = fit(ct, shape_of(ct)[:nb] + self.tshape)
        return [SvdProject.new(self.args[0], ct, "vjp")]

    def jvp(self, t: list) -> sympy.Expr | None:
        x = self.args[0]
        return None if t[0] is None else SvdProject.new(x, fit(t[0], shape_of(x)), "jvp")


class SvdProject(Structural):
    """``svd_project(x, g, mode)``: with ``x = U diag(s) Vh``, ``U diag(g) Vh``
    (``"vjp"``) or ``diag(U^T g V)`` (``"jvp"``); linear in ``g`` (leading axes of
    ``g`` broadcast). Layout ``(x, g, Param(mode))``; NumPy
    :func:`symgrad.ops.matfun.svd_project`. The derivative through ``x`` (of the
    singular vectors) is not implemented: second derivatives of singular values raise."""

    name, ntensor, nparams = "svd_project", 2, 1

    def shape_rule(self, xs: tuple, gs: tuple) -> tuple:
        if self.param(0) == "vjp":
            return broadcast(xs[:-2], gs[:-1]) + xs[-2:]
        return broadcast(xs[:-2], gs[:-2]) + (None if None in xs[-2:] else min(xs[-2:]),)

    def numpy(self, x: Any, g: Any) -> Any:
        return svd_project(np.asarray(x, dtype=np.float64), np.asarray(g), self.param(0))

    def _sympystr(self, printer: Any) -> str:  # svdvals_vjp(X, g): U diag(g) Vh
        x, g = (printer._print(a) for a in self.args[:2])
        return f"svdvals_{self.param(0)}({x}, {g})"

    def vjp(self, ct: sympy.Expr, nb: int) -> list:
        raise NotImplementedError("second derivatives of singular values (svdvals, "
                                  "matrix_norm(ord=2 or 'nuc')) are not implemented")

    def jvp(self, t: list) -> sympy.Expr | None:
        if t[0] is not None:
            raise NotImplementedError("second derivatives of singular values (svdvals, "
                                      "matrix_norm(ord=2 or 'nuc')) are not implemented")
        if t[1] is None:
            return None
        x, g = self.args[:2]
        return SvdProject.new(x, fit(t[1], shape_of(g)), self.param(0))


MATFUN = (Trace, Det, LogDet, LogAbsDet, Inverse, Solve, Diagonal, DiagEmbed, Outer, Kron,
          SVals, SvdProject)
