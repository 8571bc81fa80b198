"""The op table. Importing this package declares every op in :data:`OPS`.

>>> "sigmoid" in OPS and "matmul" in OPS
True
"""

from __future__ import annotations

from . import elementwise, inplace, linalg, reductions, shape  # noqa: F401  (declare ops)
from . import indexing, viewops  # noqa: F401  (declare ops)
from . import composite  # noqa: F401,E402  (logsumexp, softmax, losses)
from .broadcast import broadcast_shapes, sum_to
from .registry import OPS, OpDef, defop

__all__ = ["OPS", "OpDef", "defop", "sum_to", "broadcast_shapes"]
