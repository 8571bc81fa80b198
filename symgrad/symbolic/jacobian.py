"""Tensor-level Jacobians and Hessians.

The Jacobian of ``y`` (shape ``sy``) w.r.t. ``x`` (shape ``sx``) has shape
``sy + sx``: reverse mode seeded with ``eye(sy)`` as a cotangent with
``len(sy)`` batch axes, so the result stays one formula (``diag(...)``,
``W``...) rather than a grid of scalars. The Hessian is the Jacobian of the
gradient.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.algebra import power
>>> from symgrad.symbolic.nodes import SumOver, matprod, Sigmoid
>>> a, W = TensorSymbol("a", (3,)), TensorSymbol("W", (2, 3))
>>> hessian(SumOver.make(power(a, 3)), a)
6*diag(a)
>>> jacobian(matprod(W, a), a), jacobian(Sigmoid(a), a)
(W, diag((1 - sigmoid(a))*sigmoid(a)))
"""

from __future__ import annotations

import sympy

from .nodes_linalg import Diag, FullLike
from .reverse import gradient, to_shape, vjp
from .shapes import known, shape_of


def _ones(y: sympy.Expr, x: sympy.Expr, sy: tuple) -> sympy.Expr:
    """The diagonal of the seed ``eye(sy)``: ``1``, or, when a length of
    ``sy`` is known only at run time, ``ones_like`` of a tensor that has it
    (``x`` itself for a Hessian), so kernels can read the length off it."""
    if known(sy):
        return sympy.S.One
    return FullLike.new(x if shape_of(x) == sy else y, 1)


def jacobian(y: sympy.Expr, x: sympy.Expr) -> sympy.Expr:
    """d y / d x as one formula of shape ``y.shape + x.shape``."""
    sy, sx = shape_of(y), shape_of(x)
    if sy == ():
        return gradient(y, [x])[0]
    g = vjp(y, [x], Diag.new(_ones(y, x, sy), sy), len(sy))[0]
    return to_shape(g, sy + sx, x)


def hessian(y: sympy.Expr, x: sympy.Expr) -> sympy.Expr:
    """The Hessian of a scalar ``y``: shape ``x.shape + x.shape``."""
    if shape_of(y) != ():
        raise ValueError(f"hessian needs a scalar output, got shape {shape_of(y)}")
    return jacobian(gradient(y, [x])[0], x)
