"""The op table. Importing this package declares every op in :data:`OPS`.

>>> "sigmoid" in OPS and "matmul" in OPS
True
"""

from __future__ import annotations

from . import (  # noqa: F401  (declare ops)  # noqa: F401  (declare ops)
    activations,  # noqa: F401  (silu, elu, softplus, leaky_relu, hardtanh, robust losses)
    composite,  # noqa: F401,E402  (logsumexp, softmax, losses)
    elementwise,
    indexing,
    inplace,
    layers,  # noqa: F401  (addmm, what nn.Linear runs)
    linalg,
    matfun,  # noqa: F401  (trace, det, inverse, solve, diag, outer, kron, norms)
    reductions,
    shape,
    viewops,
)
from .broadcast import broadcast_shapes, sum_to
from .registry import OPS, OpDef, defop

__all__ = ["OPS", "OpDef", "defop", "sum_to", "broadcast_shapes"]
