"""``sg.linalg``: PyTorch's ``torch.linalg`` names for the matrix functions.

Each is the function of :mod:`symgrad.eager.linalg_functions` (so it works
on valued and on symbolic tensors, and records PyTorch's ``grad_fn``).

>>> import symgrad as sg
>>> A = sg.tensor([[2., 0.], [0., 4.]], requires_grad=True)
>>> sg.linalg.inv(A)
tensor([[0.5000, 0.0000],
        [0.0000, 0.2500]], grad_fn=<LinalgInvExBackward0>)
>>> sg.linalg.slogdet(A)
torch.return_types.linalg_slogdet(
sign=tensor(1.),
logabsdet=tensor(2.0794, grad_fn=<LinalgSlogdetBackward0>))
"""

from __future__ import annotations

from .eager.linalg_functions import (
    LinalgSlogdetResult,
    det,
    diagonal,
    inverse,
    linalg_norm,
    matrix_norm,
    solve,
    svdvals,
    vector_norm,
)
from .eager.linalg_functions import slogdet as _slogdet
from .eager.tensor import Tensor
from .ops.matfun import LinAlgError

inv = inverse
norm = linalg_norm


def slogdet(A: Tensor) -> LinalgSlogdetResult:
    """``(sign, logabsdet)`` of ``det(A)``, as ``torch.return_types.linalg_slogdet``."""
    return LinalgSlogdetResult(*_slogdet(A))


__all__ = ["LinAlgError", "det", "diagonal", "inv", "matrix_norm", "norm", "slogdet", "solve",
           "svdvals", "vector_norm"]
