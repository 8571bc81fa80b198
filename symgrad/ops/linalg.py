"""Products: ``dot``, ``mm``, ``mv`` and ``matmul`` (1-D, 2-D and batched).

One gradient rule serves all four: promote 1-D operands to matrices, take
``grad @ other.mT`` / ``self.mT @ grad``, sum broadcast batch dimensions
away and drop the promoted axes again.

>>> OPS["matmul"].grad_fn_name((np.ones(3), np.ones(3)), {})
'DotBackward0'
>>> OPS["matmul"].grad_fn_name((np.ones((2, 3, 3)), np.ones(3)), {})
'UnsafeViewBackward0'
"""

from __future__ import annotations

import numpy as np

from .. import errors
from .registry import LINEAR, OPS, defop
from .torch_float import products as _products


def _matmul_grad(xp, grad, s, which: int, attrs=None):
    """Cotangent of ``self`` (``which == 0``) or ``other`` at the broadcast batch shape.

    Only the other operand is saved (as PyTorch's mm saves); whether the
    operand we differentiate was 1-D follows from ``grad``'s rank, and the
    engine sums broadcast batch dimensions away (``sum_to``).
    """
    g = grad
    if which == 0:
        b = s.other
        a1d = g.ndim == (b.ndim - 1 if b.ndim >= 2 else 0)
        b2 = b if b.ndim > 1 else xp.unsqueeze(b, -1)
        if b.ndim == 1:
            g = xp.unsqueeze(g, -1)
        if a1d:
            g = xp.unsqueeze(g, -2)
        out = xp.matmul(g, xp.mT(b2))
        return xp.squeeze(out, -2) if a1d else out
    a = s.self
    if attrs and attrs.get("_fold"):
        # PyTorch folded the batch into the rows of one mm/mv (``should_fold``: other
        # requires grad), so other's gradient is one product over batch and rows
        rows = xp.reshape(a, (-1, a.shape[-1]))
        if g.ndim == a.ndim:
            return mm_mat2_grad(xp, xp.reshape(g, (-1, g.shape[-1])), rows, attrs or {})
        return xp.matmul(xp.mT(rows), xp.reshape(g, (-1,)))
    if a.ndim == 2 and g.ndim == 1:  # mv: ``self.t().mv(grad)``
        return xp.matmul(xp.mT(a), g)
    b1d = g.ndim == (a.ndim - 1 if a.ndim >= 2 else 0)
    a2 = a if a.ndim > 1 else xp.unsqueeze(a, 0)
    if b1d:
        g = xp.unsqueeze(g, -1)
    if a.ndim == 1:
        g = xp.unsqueeze(g, -2)
    out = xp.matmul(xp.mT(a2), g)
    return xp.squeeze(out, -1) if b1d else out


def column_major(x) -> bool:
    """PyTorch's test in ``mm_mat1_backward``/``mm_mat2_backward``: a matrix laid out
    column by column (strides ``(1, rows)``, in elements), such as ``w.t()``."""
    x = np.asarray(x) if x is not None else None
    if x is None or x.ndim != 2 or not x.itemsize:
        return False
    return x.strides[0] == x.itemsize and x.strides[1] == x.itemsize * x.shape[0]


def mm_layout(mat1, mat2) -> dict:
    """What the ``mm`` backward rules need to know of the inputs' layout."""
    return {"_mat1_cm": column_major(mat1), "_mat2_cm": column_major(mat2)}


def mm_mat1_grad(xp, grad, mat2, a) -> object:
    """``mm_mat1_backward``: ``grad @ mat2.T``, or ``(mat2 @ grad.T).T`` when mat1
    was column-major (the same numbers, added in the order PyTorch adds them)."""
    if a.get("_mat1_cm"):
        return xp.mT(xp.matmul(mat2, xp.mT(grad)))
    return xp.matmul(grad, xp.mT(mat2))


def mm_mat2_grad(xp, grad, mat1, a) -> object:
    """``mm_mat2_backward``: ``mat1.T @ grad``, or ``(grad.T @ mat1).T`` when mat2
    was column-major (``w.t()`` in ``F.linear``)."""
    if a.get("_mat2_cm"):
        return xp.mT(xp.matmul(xp.mT(grad), mat1))
    return xp.matmul(xp.mT(mat1), grad)


def _matmul_jvp(which: int):
    def jvp(xp, t, s, a):
        return xp.matmul(t, s.other) if which == 0 else xp.matmul(s.self, t)
    return jvp


def _matmul_forward(op: str):
    def forward(x, y):
        x, y = validate(op, x, y)
        try:
            return _products.matmul(x, y)
        except ValueError:
            raise RuntimeError(errors.matmul_shapes(op, x.shape, y.shape)) from None
    return forward


def validate(op: str, x, y) -> tuple[np.ndarray, np.ndarray]:
    """``x`` and ``y`` as arrays, after PyTorch's shape and dtype checks for ``op``."""
    x, y = np.asarray(x), np.asarray(y)
    _check_shapes(op, x.shape, y.shape)
    if x.dtype != y.dtype:
        raise RuntimeError(errors.matmul_dtypes(op, x.shape, y.shape, x.dtype.name,
                                                y.dtype.name))
    return x, y


def _check_shapes(op: str, a: tuple, b: tuple) -> None:
    if op == "dot" and (len(a) != 1 or len(b) != 1):
        raise RuntimeError(f"1D tensors expected, but got {len(a)}D and {len(b)}D tensors")
    if op == "mm":
        if len(a) != 2:
            raise RuntimeError("self must be a matrix")
        if len(b) != 2:
            raise RuntimeError("mat2 must be a matrix")
    if op == "mv" and (len(a) != 2 or len(b) != 1):
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {len(a)}, {len(b)}")
    if len(a) == 0 or len(b) == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {len(a)}D and {len(b)}D")
    if a[-1] != (b[0] if len(b) == 1 else b[-2]):
        raise RuntimeError(errors.matmul_shapes(op, a, b))
    if len(a) > 2 and len(b) > 2 or (len(a) <= 2 and len(b) > 2 and len(a) > 1):
        if errors.broadcast_batch(a[:-2], b[:-2]) is None:
            raise RuntimeError(errors.size_mismatch(a[:-2], b[:-2], 0))


def _shape_error(op: str, shapes: list[tuple]) -> str:
    """PyTorch's message for operands whose shapes do not multiply (lengths may be
    ``None``, unknown, in symbolic calls; they match anything)."""
    a, b = shapes
    if not a or not b:
        return ("both arguments to matmul need to be at least 1D, but they are "
                f"{len(a)}D and {len(b)}D")
    k1, k2 = a[-1], (b[0] if len(b) == 1 else b[-2])
    if k1 is not None and k2 is not None and k1 != k2:
        return errors.matmul_shapes(op, a, b)
    known = [tuple(1 if n is None else n for n in s[:-2]) for s in (a, b)]
    return errors.size_mismatch(known[0], known[1], 0)


def _matmul_name(inputs, attrs) -> str:
    """PyTorch's grad_fn for matmul depends on what it dispatched to."""
    na, nb = inputs[0].ndim, inputs[1].ndim
    if na == 1 and nb == 1:
        return "DotBackward0"
    if na == 2 and nb == 2:
        return "MmBackward0"
    if na == 2 and nb == 1:
        return "MvBackward0"
    if na == 1 and nb == 2:
        return "SqueezeBackward4"
    return "UnsafeViewBackward0"


_GRADS = {"self": lambda xp, grad, s, a: _matmul_grad(xp, grad, s, 0, a),
          "other": lambda xp, grad, s, a: _matmul_grad(xp, grad, s, 1, a)}
_MM_GRADS = {"self": lambda xp, grad, s, a: mm_mat1_grad(xp, grad, s.other, a)
             if grad.ndim == 2 and s.other.ndim == 2 else _matmul_grad(xp, grad, s, 0),
             "other": lambda xp, grad, s, a: mm_mat2_grad(xp, grad, s.self, a)
             if grad.ndim == 2 and s.self.ndim == 2 else _matmul_grad(xp, grad, s, 1, a)}


def _mm_layout(inputs: tuple) -> dict:
    """The layout facts of a ``matmul``: column-major operands (``mm``), and whether
    a batched ``self`` times a matrix or vector was folded into one ``mm``/``mv``
    (PyTorch's ``should_fold``, which folds whenever ``other`` requires grad)."""
    x, y = inputs
    xd, yd = getattr(x, "ndim", 0), getattr(y, "ndim", 0)
    out = mm_layout(x, y) if yd == 2 and xd >= 2 else {}
    if xd >= 3 and yd in (1, 2):
        out["_fold"] = True
    return out

for _name, _grad_fn in (("matmul", _matmul_name), ("dot", "DotBackward0"),
                        ("mm", "MmBackward0"), ("mv", "MvBackward0")):
    defop(_name, _grad_fn, LINEAR, "self other", forward=_matmul_forward(_name),
          vjp=_MM_GRADS if _name in ("matmul", "mm") else _GRADS,
          layout=_mm_layout if _name in ("matmul", "mm") else None, jvp={"self": _matmul_jvp(0), "other": _matmul_jvp(1)},
          saves={"other": (0,), "self": (1,)},
          sym=lambda S, x, y: S.matmul(x, y), api=("function", "method"),
          shape_error=_shape_error)
