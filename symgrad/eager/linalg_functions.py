"""The matrix functions (``sg.trace``, ``sg.det``, ``sg.inverse``, ``sg.diag``,
``sg.outer``, ``sg.kron``, ``sg.norm``, ``sg.eye`` and ``sg.linalg.*``), each a
thin call of its op-table entry (:mod:`symgrad.ops.matfun`) with PyTorch's
argument checks and messages; they work on valued and on symbolic tensors.

>>> import symgrad as sg
>>> X = sg.tensor([[2., 1.], [0.5, 3.]], requires_grad=True)
>>> sg.det(X), sg.trace(X)
(tensor(5.5000, grad_fn=<LinalgDetBackward0>), tensor(5., grad_fn=<TraceBackward0>))
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .. import dtypes
from ..ops import OPS
from ..ops.matfun import is_vector_rhs
from ..tape.grad_mode import no_grad
from .dispatch import _scalar_type_name, apply
from .tensor import Tensor, _wrap_dim

__all__ = ["det", "diag", "diag_embed", "diagonal", "eye", "inverse", "kron", "logdet",
           "matrix_norm", "norm", "outer", "slogdet", "solve", "svdvals", "trace", "vector_norm"]


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _float(name: str, x: Tensor) -> None:
    if not x.dtype.is_floating_point:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_scalar_type_name(x.dtype)}")


def _square(name: str, x: Tensor) -> None:
    """PyTorch's checks of a (batch of) square matrices ``A``."""
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    m, n = x.shape[-2], x.shape[-1]
    if m is not None and n is not None and m != n:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are "
                           f"{m} by {n} matrices")
    _float(name, x)


def _shape(x: Tensor) -> tuple | None:
    return tuple(x._data.shape) if x._data is not None else None


# ------------------------------------------------------------ scalar functions
def trace(input: Tensor) -> Tensor:
    """The sum of the diagonal of a matrix (``TraceBackward0``).

    >>> import symgrad as sg
    >>> sg.trace(sg.tensor([[1., 2.], [3., 4.]]))
    tensor(5.)
    """
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return apply(OPS["trace"], (input,), {"shape": tuple(input.shape)})


def det(input: Tensor) -> Tensor:
    """The determinant of a (batch of) square matrices (``LinalgDetBackward0``).

    >>> import symgrad as sg
    >>> sg.det(sg.tensor([[2., 0.], [0., 3.]]))
    tensor(6.)
    """
    _square("linalg.det", input)
    return apply(OPS["linalg_det"], (input,), {})


def logdet(input: Tensor) -> Tensor:
    """``log(det(A))``; ``nan`` where the determinant is negative, as PyTorch.

    >>> import symgrad as sg
    >>> sg.logdet(sg.tensor([[1., 0.], [0., -1.]]))
    tensor(nan)
    """
    _square("logdet", input)
    return apply(OPS["logdet"], (input,), {})


class SlogdetResult(NamedTuple):
    """``torch.return_types.slogdet``: ``(sign, logabsdet)``."""

    sign: Tensor
    logabsdet: Tensor

    def __repr__(self) -> str:
        return (f"torch.return_types.{self._kind}(\nsign={self.sign!r},\n"
                f"logabsdet={self.logabsdet!r})")

    _kind = "slogdet"


class LinalgSlogdetResult(SlogdetResult):
    """``torch.return_types.linalg_slogdet``."""

    _kind = "linalg_slogdet"


def slogdet(input: Tensor) -> SlogdetResult:
    """``(sign, log|det A|)``; the sign has a zero derivative.

    >>> import symgrad as sg
    >>> sg.slogdet(sg.tensor([[-2., 0.], [0., 1.]])).logabsdet
    tensor(0.6931)
    """
    _square("linalg.slogdet", input)
    from .functions import sign
    with no_grad():  # the sign has no derivative (PyTorch: None)
        s = sign(det(input))
    return SlogdetResult(s.detach(), apply(OPS["slogdet"], (input,), {}))


def inverse(input: Tensor) -> Tensor:
    """The inverse of a (batch of) square matrices (``LinalgInvExBackward0``); a singular
    matrix raises ``torch.linalg.LinAlgError`` with PyTorch's message.

    >>> import symgrad as sg
    >>> sg.inverse(sg.tensor([[2., 0.], [0., 4.]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    _square("linalg.inv", input)
    return apply(OPS["linalg_inv"], (input,), {})


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """``X`` with ``A @ X = B`` (``left=False``: ``X @ A = B``); ``B`` is a (batch of)
    vector(s) when PyTorch's rule says so (:func:`symgrad.ops.matfun.is_vector_rhs`).

    >>> import symgrad as sg
    >>> sg.linalg.solve(sg.tensor([[2., 0.], [0., 4.]]), sg.tensor([2., 4.]))
    tensor([1., 1.])
    """
    A, B = _t(A), _t(B)
    if not left:
        return solve(A.mT, B.mT).mT
    _square("linalg.solve", A)
    if B.ndim == 0:
        raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
    vector = is_vector_rhs(tuple(A.shape), tuple(B.shape))
    n = B.shape[-1] if vector else B.shape[-2]
    if n is not None and A.shape[-1] is not None and n != A.shape[-1]:
        got = "x".join(str(d) for d in ((B.shape[-1], 1) if vector else B.shape[-2:]))
        m = A.shape[-1]
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"AX = B ({m}x{m} and {got})")
    return apply(OPS["linalg_solve"], (A, B), {"vector": vector})


# ------------------------------------------------------------------- diagonals
def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The ``offset`` diagonal over ``dim1``, ``dim2``, as the last dimension.

    >>> import symgrad as sg
    >>> sg.diagonal(sg.tensor([[1., 2.], [3., 4.]]))
    tensor([1., 4.])
    """
    d1, d2 = _wrap_dim(dim1, input.ndim), _wrap_dim(dim2, input.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return apply(OPS["diagonal"], (input,), {"offset": int(offset), "dim1": d1, "dim2": d2,
                                             "shape": tuple(input.shape)})


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A (batch of) matrices with ``input``'s last dimension on the ``offset`` diagonal.

    >>> import symgrad as sg
    >>> sg.diag_embed(sg.tensor([1., 2.]))
    tensor([[1., 0.],
            [0., 2.]])
    """
    r = input.ndim + 1
    d1, d2 = _wrap_dim(dim1, r), _wrap_dim(dim2, r)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    k = input.shape[-1] if input.ndim else 1
    n = None if k is None else k + abs(int(offset))
    return apply(OPS["diag_embed"], (input,), {"offset": int(offset), "dim1": d1, "dim2": d2,
                                               "rows": n, "cols": n})


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A vector's diagonal matrix, or a matrix's diagonal (PyTorch's ``torch.diag``).

    >>> import symgrad as sg
    >>> sg.diag(sg.tensor([[1., 2.], [3., 4.]]), 1)
    tensor([2.])
    """
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim == 2:
        return apply(OPS["diagonal"], (input,), {"offset": int(diagonal), "dim1": 0, "dim2": 1,
                                                 "shape": tuple(input.shape), "copy": True})
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


# --------------------------------------------------------------- outer, kron
def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """``input[:, None] * vec2[None, :]`` (``ger`` is the same).

    >>> import symgrad as sg
    >>> sg.outer(sg.tensor([1., 2.]), sg.tensor([3., 4.]))
    tensor([[3., 4.],
            [6., 8.]])
    """
    input, vec2 = _t(input), _t(vec2)
    for what, x in (("self", input), ("vec2", vec2)):
        if x.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {what}, but got {x.ndim}-D")
    return apply(OPS["outer"], (input, vec2), {})


ger = outer


def kron(input: Tensor, other: Tensor) -> Tensor:
    """The Kronecker product; the smaller rank is padded with leading ones.

    >>> import symgrad as sg
    >>> sg.kron(sg.tensor([1., 2.]), sg.tensor([1., 10.]))
    tensor([ 1., 10.,  2., 20.])
    """
    input, other = _t(input), _t(other)
    r = max(input.ndim, other.ndim)
    a, b = (x if x.ndim == r else x.reshape((1,) * (r - x.ndim) + tuple(x.shape))
            for x in (input, other))
    return apply(OPS["kron"], (a, b), {"shapes": (tuple(a.shape), tuple(b.shape))})


# ------------------------------------------------------------------- norms
def _ord_value(ord: Any) -> float:
    if isinstance(ord, str):
        raise TypeError("linalg_vector_norm(): argument 'ord' (position 2) must be Number, "
                        "not str")
    return float(ord)


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """``sum(|x|**ord) ** (1/ord)`` over ``dim`` (all by default); ``ord`` may be
    ``inf``, ``-inf`` or 0 (``LinalgVectorNormBackward0``).

    >>> import symgrad as sg
    >>> sg.linalg.vector_norm(sg.tensor([3., -4.]))
    tensor(5.)
    """
    p = _ord_value(ord)
    if dtype is not None:
        x = x.to(dtype)
    _float("linalg.vector_norm", x)
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        dim = tuple(_wrap_dim(d, x.ndim) for d in dims) if x.ndim else None
    p = int(p) if p.is_integer() else p
    return apply(OPS["linalg_vector_norm"], (x,),
                 {"ord": p, "dim": dim, "keepdim": bool(keepdim), "shape": _shape(x)})


def matrix_norm(A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """The Frobenius norm (``'fro'``), the induced 1, inf and 2 norms (and ``-1``,
    ``-inf``, ``-2``) and the nuclear norm (``'nuc'``), composed as PyTorch composes
    them: ``amax(vector_norm(A, 1, dim=0))`` for ``ord=1``, ``amax(svdvals(A))`` for 2.

    >>> import symgrad as sg
    >>> sg.linalg.matrix_norm(sg.tensor([[1., -2.], [3., 4.]]), 1)
    tensor(6.)
    """
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    d = tuple(_wrap_dim(i, A.ndim) for i in dim)
    if ord == "fro":
        return vector_norm(A, 2, d, keepdim, dtype=dtype)
    if ord in ("nuc", 2, -2):  # of the singular values: their sum, max or min
        from .functions import amax, amin, permute, sum
        sv = svdvals(permute(A, _last(A.ndim, d)) if d != (A.ndim - 2, A.ndim - 1) else A)
        out = sum(sv, -1) if ord == "nuc" else (amax if ord == 2 else amin)(sv, -1)
        return out.unsqueeze(-1).unsqueeze(-1) if keepdim else out
    if isinstance(ord, str) or abs(float(ord)) not in (1.0, np.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    inner, outer_ = d if abs(float(ord)) == 1 else d[::-1]  # inf: the 1-norm of A.mT
    if not keepdim and inner < outer_:
        outer_ -= 1  # the vector norm's axis is gone
    from .functions import amax, amin
    s = vector_norm(A, 1, inner, keepdim, dtype=dtype)
    return (amax if float(ord) > 0 else amin)(s, outer_, keepdim)


def _last(ndim: int, d: tuple) -> tuple:
    """The permutation that moves axes ``d`` to the end."""
    return tuple(i for i in range(ndim) if i not in d) + tuple(d)


def svdvals(A: Tensor) -> Tensor:
    """The singular values of a (batch of) matrices, largest first
    (``LinalgSvdBackward0``).

    >>> import symgrad as sg
    >>> sg.linalg.svdvals(sg.tensor([[3., 0.], [0., -4.]]))
    tensor([4., 3.])
    """
    if A.ndim < 2:
        raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
    _float("linalg.svd", A)
    return apply(OPS["linalg_svdvals"], (A,), {})


def linalg_norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False, *,
                dtype: Any = None) -> Tensor:
    """``torch.linalg.norm``: a vector norm or a matrix norm, chosen by ``ord`` and ``dim``.

    >>> import symgrad as sg
    >>> sg.linalg.norm(sg.tensor([[1., 2.], [2., 4.]]))
    tensor(5.)
    """
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 2 and ord is not None:
            return matrix_norm(A, ord, dims, keepdim, dtype=dtype)
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if A.ndim == 2 or isinstance(ord, str):
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
    if A.ndim != 1:
        raise RuntimeError("linalg.norm: If dim is not specified but ord is, the input must "
                           f"be 1D or 2D. Got {A.ndim}D.")
    return vector_norm(A, ord, None, keepdim, dtype=dtype)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False,
         dtype: Any = None) -> Tensor:
    """``torch.norm`` and ``Tensor.norm``: ``p='fro'`` (default) is the 2-norm of
    all entries (or over ``dim``), a number ``p`` a vector norm, ``'nuc'`` the
    nuclear norm.

    >>> import symgrad as sg
    >>> sg.tensor([3., 4.]).norm(), sg.tensor([3., -4.]).norm(p=1)
    (tensor(5.), tensor(7.))
    """
    if p == "nuc":
        return matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim)
    if p == "fro" or p is None:
        p = 2
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


# -------------------------------------------------------------------- creation
def eye(n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False,
        device: Any = None) -> Tensor:
    """The ``n x m`` identity (``m = n`` by default).

    >>> import symgrad as sg
    >>> sg.eye(2, 3)
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """
    for v in (n, m):
        if v is not None and v < 0:
            raise RuntimeError(f"n must be greater or equal to 0, got {v}")
    d = dtypes.as_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    t = Tensor._wrap(np.eye(n, n if m is None else m, dtype=d.np_dtype))
    if requires_grad:
        t.requires_grad_(True)
    return t

