"""Matrix functions: ``trace``, ``det``, ``logdet``, ``slogdet``, ``inverse``,
``linalg.solve``, ``diagonal``/``diag_embed`` (and ``diag``), ``outer``,
``kron`` and ``linalg.vector_norm`` (the matrix norms are composed of it).

Each entry saves what PyTorch's ``derivatives.yaml`` saves and writes its
rules in the Matrix Cookbook's forms: ``d det(A) = det(A) * inv(A).mT``,
``d logdet(A) = inv(A).mT``, ``d inv(A) = -inv(A) @ dA @ inv(A)`` (forward)
and ``-inv(A).mT @ grad @ inv(A).mT`` (reverse), and ``solve``'s VJP is a
solve with the transpose. Leading dimensions are batches, as in PyTorch.

>>> OPS["linalg_det"].grad_fn_name((), {}), OPS["linalg_inv"].saves
('LinalgDetBackward0', {'result': ()})
>>> OPS["linalg_solve"].forward(np.eye(2) * 2, np.array([2., 4.])).tolist()
[1.0, 2.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import COMPOSITE, LINEAR, OPS, REDUCTION, defop
from .xp import normalize_dims


class LinAlgError(RuntimeError):
    """``torch.linalg.LinAlgError`` (``torch._C._LinAlgError``): a singular input."""


LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"

INV_SINGULAR = ("linalg.inv: {batch}The diagonal element {i} is zero, the inversion could not "
                "be completed because the input matrix is singular.")
SOLVE_SINGULAR = ("torch.linalg.solve: {batch}The solver failed because the input matrix is "
                  "singular.")


def _first_zero_pivot(a: np.ndarray) -> int:
    """LAPACK ``getrf``'s ``info``: the 1-based index of the first exactly zero
    pivot of ``a``'s LU factorisation with partial pivoting (0: none).

    >>> _first_zero_pivot(np.array([[1., 2.], [2., 4.]])), _first_zero_pivot(np.eye(2))
    (2, 0)
    """
    u = np.array(a, dtype=np.float64)
    n = u.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if u[p, k] == 0:
            return k + 1
        u[[k, p]] = u[[p, k]]
        u[k + 1:, k:] -= np.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return 0


def _singular(a: np.ndarray, message: str) -> None:
    """Raise PyTorch's ``LinAlgError`` if a matrix of the batch ``a`` is singular."""
    flat = np.reshape(a, (-1,) + a.shape[-2:])
    for b, m in enumerate(flat):
        i = _first_zero_pivot(m)
        if i:
            batch = f"(Batch element {b}): " if a.ndim > 2 else ""
            raise LinAlgError(message.format(batch=batch, i=i))


def _inv(a: np.ndarray) -> np.ndarray:
    _singular(a, INV_SINGULAR)
    return np.linalg.inv(a)


def _logdet(a: np.ndarray) -> np.ndarray:
    sign, logabs = np.linalg.slogdet(a)
    return np.where(sign < 0, np.nan, logabs)


def is_vector_rhs(a_shape: tuple, b_shape: tuple) -> bool:
    """PyTorch's rule: ``B`` is a (batch of) vector(s) when it is 1-D, or has one
    dimension less than ``A`` and ``A``'s batch shape.

    >>> is_vector_rhs((2, 2), (2,)), is_vector_rhs((3, 2, 2), (3, 2)), is_vector_rhs((2, 2), (2, 1))
    (True, True, False)
    """
    return len(b_shape) == 1 or (len(b_shape) == len(a_shape) - 1
                                 and tuple(b_shape) == tuple(a_shape[:-1]))


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    _singular(a, SOLVE_SINGULAR)
    if is_vector_rhs(a.shape, b.shape):
        return np.linalg.solve(a, b[..., None])[..., 0]
    return np.linalg.solve(a, b)


# ---------------------------------------------------------------- trace
defop("trace", "TraceBackward0", LINEAR, "self",
      forward=lambda x, shape=None: np.trace(x, axis1=-2, axis2=-1),
      vjp={"self": lambda xp, grad, s, a: grad * np.eye(a["shape"][-2], a["shape"][-1])},
      linear=True, sym=lambda S, x, shape=None: S.trace(x), dtype_rule="same",
      api=("function", "method"))


# -------------------------------------------------------- det, logdet, slogdet
def _mat(v: Any, xp: Any) -> Any:
    """A batch of scalars as a batch of 1x1 matrices (to scale matrices)."""
    return xp.unsqueeze(xp.unsqueeze(v, -1), -1)


def _inv_mT(xp: Any, x: Any) -> Any:
    return xp.mT(xp.op(OPS["linalg_inv"], x))


def _trace_inv_t(xp: Any, x: Any, t: Any) -> Any:
    """``trace(inv(x) @ t)`` per batch: the JVP of ``logdet``."""
    return xp.sum(_inv_mT(xp, x) * t, (-2, -1))


defop("linalg_det", "LinalgDetBackward0", COMPOSITE, "self",
      forward=np.linalg.det,
      vjp={"self": lambda xp, grad, s, a: _mat(grad * s.result, xp) * _inv_mT(xp, s.self)},
      jvp={"self": lambda xp, t, s, a: s.result * _trace_inv_t(xp, s.self, t)},
      saves={"self": (), "result": ()}, sym=lambda S, x: S.det(x), dtype_rule="same",
      public="det", api=("function", "method"))

defop("logdet", "WhereBackward0", COMPOSITE, "self",
      forward=_logdet,
      vjp={"self": lambda xp, grad, s, a: _mat(grad, xp) * _inv_mT(xp, s.self)},
      jvp={"self": lambda xp, t, s, a: _trace_inv_t(xp, s.self, t)},
      saves={"self": ()}, sym=lambda S, x: S.logdet(x), dtype_rule="same",
      api=("function", "method"))

defop("slogdet", "LinalgSlogdetBackward0", COMPOSITE, "self",
      forward=lambda x: np.linalg.slogdet(x)[1],
      vjp={"self": lambda xp, grad, s, a: _mat(grad, xp) * _inv_mT(xp, s.self)},
      jvp={"self": lambda xp, t, s, a: _trace_inv_t(xp, s.self, t)},
      saves={"self": ()}, sym=lambda S, x: S.logabsdet(x), dtype_rule="same",
      doc="``slogdet(A).logabsdet``: log |det A|.", api=("function", "method"))

# ------------------------------------------------------------- inverse, solve
defop("linalg_inv", "LinalgInvExBackward0", COMPOSITE, "self",
      forward=_inv,
      vjp={"self": lambda xp, grad, s, a:
           -xp.matmul(xp.matmul(xp.mT(s.result), grad), xp.mT(s.result))},
      jvp={"self": lambda xp, t, s, a: -xp.matmul(xp.matmul(s.result, t), s.result)},
      saves={"result": ()}, sym=lambda S, x: S.inverse(x), dtype_rule="same",
      public="inverse", api=("function", "method"))


def _solve_vjp_b(xp: Any, grad: Any, s: Any, a: Any) -> Any:
    """``solve(A.mT, grad)``: the cotangent of the right-hand side."""
    return xp.op(OPS["linalg_solve"], xp.mT(s.self), grad, vector=a["vector"])


def _solve_vjp_a(xp: Any, grad: Any, s: Any, a: Any) -> Any:
    """``-gB @ X.mT`` (``-outer(gB, X)`` for vectors), ``X`` the saved result."""
    gb = _solve_vjp_b(xp, grad, s, a)
    if a["vector"]:
        return -(xp.unsqueeze(gb, -1) * xp.unsqueeze(s.result, -2))
    return -xp.matmul(gb, xp.mT(s.result))


def _solve_jvp_a(xp: Any, t: Any, s: Any, a: Any) -> Any:
    x = s.result
    tx = xp.squeeze(xp.matmul(t, xp.unsqueeze(x, -1)), -1) if a["vector"] else xp.matmul(t, x)
    return -xp.op(OPS["linalg_solve"], s.self, tx, vector=a["vector"])


defop("linalg_solve", "LinalgSolveExBackward0", COMPOSITE, "self other",
      forward=lambda x, y, vector=None: _solve(x, y),
      vjp={"self": _solve_vjp_a, "other": _solve_vjp_b},
      jvp={"self": _solve_jvp_a,
           "other": lambda xp, t, s, a: xp.op(OPS["linalg_solve"], s.self, t,
                                              vector=a["vector"])},
      saves={"self": (), "result": ()}, sym=lambda S, x, y, vector=None: S.solve(x, y),
      dtype_rule="promote")


# ------------------------------------------------------ diagonal, diag_embed
def diag_embed_np(v: np.ndarray, offset: int, dim1: int, dim2: int, rows: int,
                  cols: int) -> np.ndarray:
    """``v``'s last axis on the ``offset`` diagonal of a ``rows x cols`` zero
    matrix placed at axes ``dim1``, ``dim2`` of the result (the adjoint of
    ``np.diagonal``).

    >>> diag_embed_np(np.array([1., 2.]), 1, 0, 1, 3, 3).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]
    """
    v = np.asarray(v)
    k = v.shape[-1]
    out = np.zeros(v.shape[:-1] + (rows, cols), dtype=v.dtype)
    i = np.arange(k)
    out[..., i + max(-offset, 0), i + max(offset, 0)] = v
    return np.moveaxis(out, (-2, -1), (dim1, dim2))


def diagonal_length(rows: int, cols: int, offset: int) -> int:
    """The length of the ``offset`` diagonal of a ``rows x cols`` matrix."""
    return max(0, min(rows - max(-offset, 0), cols - max(offset, 0)))


def _diagonal_np(x: np.ndarray, offset: int = 0, dim1: int = 0, dim2: int = 1,
                 shape: Any = None, copy: bool = False) -> np.ndarray:
    return np.diagonal(x, offset, dim1, dim2).copy()


defop("diagonal", lambda inputs, a: "DiagonalBackward0_copy" if a.get("copy")
      else "DiagonalBackward0", LINEAR, "self",
      forward=_diagonal_np,
      vjp={"self": lambda xp, grad, s, a: xp.op(
          OPS["diag_embed"], grad, offset=a["offset"], dim1=a["dim1"], dim2=a["dim2"],
          rows=a["shape"][a["dim1"]], cols=a["shape"][a["dim2"]])},
      linear=True, dtype_rule="same",
      sym=lambda S, x, offset=0, dim1=0, dim2=1, shape=None, copy=False:
          S.diagonal(x, offset, dim1, dim2),
      api=("function", "method"))

defop("diag_embed", "DiagEmbedBackward0", LINEAR, "self",
      forward=diag_embed_np,
      vjp={"self": lambda xp, grad, s, a: xp.op(
          OPS["diagonal"], grad, offset=a["offset"], dim1=a["dim1"], dim2=a["dim2"])},
      linear=True, dtype_rule="same",
      sym=lambda S, v, offset, dim1, dim2, rows, cols: S.diag_embed(v, offset, dim1, dim2,
                                                                    rows, cols),
      api=("function", "method"), aliases=("diag",))


# ---------------------------------------------------------------- outer, kron
defop("outer", "MulBackward0", COMPOSITE, "self other",
      forward=lambda x, y: np.multiply.outer(x, y),
      vjp={"self": lambda xp, grad, s, a: xp.matmul(grad, s.other),
           "other": lambda xp, grad, s, a: xp.matmul(s.self, grad)},
      jvp={"self": lambda xp, t, s, a: xp.unsqueeze(t, -1) * s.other,
           "other": lambda xp, t, s, a: xp.unsqueeze(s.self, -1) * t},
      saves={"self": (1,), "other": (0,)}, sym=lambda S, x, y: S.outer(x, y),
      api=("function", "method"), aliases=("ger",))


def _interleaved(sa: tuple, sb: tuple) -> tuple:
    return tuple(n for pair in zip(sa, sb) for n in pair)


def _kron_vjp(which: int):
    """``grad`` of ``kron(a, b)`` (equal ranks) reshaped to ``(a1, b1, a2, b2...)``,
    times the other factor, summed over the other factor's axes."""
    def vjp(xp: Any, grad: Any, s: Any, a: Any) -> Any:
        sa, sb = a["shapes"]
        k = len(sa)
        g = xp.reshape(grad, _interleaved(sa, sb))
        other = s.other if which == 0 else s.self
        for i in range(k):  # the other factor on the odd (b) or even (a) axes
            other = xp.unsqueeze(other, 2 * i + which)
        axes = tuple(range(1 - which, 2 * k, 2))
        return xp.sum(g * other, axes) if axes else g * other
    return vjp


def _kron_jvp(which: int):
    def jvp(xp: Any, t: Any, s: Any, a: Any) -> Any:
        x, y = (t, s.other) if which == 0 else (s.self, t)
        return xp.op(OPS["kron"], x, y, shapes=a["shapes"])
    return jvp


defop("kron", "UnsafeViewBackward0", COMPOSITE, "self other",
      forward=lambda x, y, shapes=None: np.kron(x, y),
      vjp={"self": _kron_vjp(0), "other": _kron_vjp(1)},
      jvp={"self": _kron_jvp(0), "other": _kron_jvp(1)},
      saves={"self": (1,), "other": (0,)}, sym=lambda S, x, y, shapes=None: S.kron(x, y),
      api=("function", "method"))


# ------------------------------------------------------------ singular values
def svd_project(x: np.ndarray, g: np.ndarray, mode: str = "vjp") -> np.ndarray:
    """With ``x = U diag(s) Vh``: ``U diag(g) Vh`` (``"vjp"``: the cotangent of ``x``
    for a cotangent ``g`` of ``s``) or ``diag(U^T g V)`` (``"jvp"``: the tangent of
    ``s`` for a tangent ``g`` of ``x``). Leading axes of ``g`` broadcast.

    >>> svd_project(np.diag([3., 2.]), np.array([1., 0.])).tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    u, _, vh = np.linalg.svd(x, full_matrices=False)
    if mode == "vjp":
        return u @ (np.expand_dims(g, -1) * vh)
    return np.sum(u * (g @ np.swapaxes(vh, -1, -2)), axis=-2)


SVD_SECOND = ("second derivatives of singular values (svdvals, matrix_norm(ord=2, -2 or "
              "'nuc')) are not implemented: differentiate them once, without create_graph")


def _svd_rule(mode: str):
    """svdvals' VJP (``U diag(grad) Vh``) or JVP (``diag(U^T t V)``), on arrays only."""
    def rule(xp: Any, g: Any, s: Any, a: Any) -> Any:
        if xp.is_tensor:  # create_graph: the singular vectors' derivative is not written
            raise NotImplementedError(SVD_SECOND)
        return svd_project(s.self, g, mode)
    return rule


defop("linalg_svdvals", "LinalgSvdBackward0", COMPOSITE, "self",
      forward=lambda x: np.linalg.svd(x, compute_uv=False),
      vjp={"self": _svd_rule("vjp")}, jvp={"self": _svd_rule("jvp")},
      saves={"self": ()}, sym=lambda S, x: S.svdvals(x), dtype_rule="same", kinks=True,
      doc="``linalg.svdvals(A)``: the singular values, largest first (kinks where two tie "
          "or one is zero); first derivatives only.")


# --------------------------------------------------------------------- norms
def vector_norm_np(x: np.ndarray, ord: float = 2, dim: Any = None, keepdim: bool = False,
                   shape: Any = None) -> np.ndarray:
    """``torch.linalg.vector_norm`` in NumPy.

    >>> float(vector_norm_np(np.array([3., -4.]))), float(vector_norm_np(np.array([3., -4.]), 1))
    (5.0, 7.0)
    """
    axes = None if dim is None else normalize_dims(dim, x.ndim)
    ax = np.abs(x)
    if ord == np.inf:
        return np.amax(ax, axis=axes, keepdims=keepdim)
    if ord == -np.inf:
        return np.amin(ax, axis=axes, keepdims=keepdim)
    if ord == 0:
        return np.sum(ax != 0, axis=axes, keepdims=keepdim).astype(x.dtype)
    if ord == 1:
        return np.sum(ax, axis=axes, keepdims=keepdim)
    if ord == 2:
        return np.sqrt(np.sum(ax * ax, axis=axes, keepdims=keepdim))
    return np.sum(ax ** ord, axis=axes, keepdims=keepdim) ** (1.0 / ord)


def _norm_weights(xp: Any, s: Any, a: Any) -> Any:
    """d norm / d x, of ``x``'s shape (PyTorch's ``norm_backward``: zero where the norm is)."""
    x, p = s.self, a["ord"]
    r = xp.unreduce(s.result, a["shape"], a["dim"], a["keepdim"])
    if p == 1:
        return xp.sign(x)
    if p in (np.inf, -np.inf):
        hit = xp.where(xp.sign(x) * x == r, 1.0, 0.0)
        count = xp.unreduce(xp.sum(hit, a["dim"], a["keepdim"]), a["shape"], a["dim"],
                            a["keepdim"])
        return xp.sign(x) * hit / count
    if p == 2:
        return xp.where(r == 0, 0.0, x / xp.where(r == 0, 1.0, r))
    ax = xp.sign(x) * x
    return xp.where(r == 0, 0.0, xp.sign(x) * ax ** (p - 1) / xp.where(r == 0, 1.0, r) ** (p - 1))


def _norm_sym(S: Any, x: Any, ord: float = 2, dim: Any = None, keepdim: bool = False,
              shape: Any = None) -> Any:
    if ord == 2:
        return S.sqrt(S.sum(x * x, dim, keepdim))
    ax = S.abs(x)
    if ord == 1:
        return S.sum(ax, dim, keepdim)
    if ord == np.inf:
        return S.amax(ax, dim, keepdim)
    if ord == -np.inf:
        return S.amin(ax, dim, keepdim)
    if ord == 0:
        return S.sum(S.sign(ax), dim, keepdim)
    import sympy  # the formula side only
    inv = sympy.Rational(1, int(ord)) if float(ord).is_integer() else 1.0 / ord
    return S.sum(ax ** ord, dim, keepdim) ** inv


defop("linalg_vector_norm", "LinalgVectorNormBackward0", REDUCTION, "self",
      forward=vector_norm_np,
      vjp={"self": lambda xp, grad, s, a: None if a["ord"] == 0 else
           xp.unreduce(grad, a["shape"], a["dim"], a["keepdim"]) * _norm_weights(xp, s, a)},
      jvp={"self": lambda xp, t, s, a: None if a["ord"] == 0 else
           xp.sum(t * _norm_weights(xp, s, a), a["dim"], a["keepdim"])},
      saves={"self": (), "result": ()}, sym=_norm_sym, dtype_rule="same", kinks=True,
      public="norm", api=("function", "method"))

__all__ = ["LinAlgError", "diag_embed_np", "diagonal_length", "is_vector_rhs", "svd_project",
           "vector_norm_np"]
