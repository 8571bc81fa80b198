"""Every node class of the symbolic IR, in one namespace.

Elementwise functions (``symgrad.symbolic.elementwise``) are SymPy functions
with ``fdiff``; structural nodes (``nodes_linear``, ``nodes_reduce``,
``nodes_linalg``, ``nodes_index``) document their arg layout, shape rule and
NumPy meaning, and carry their own ``vjp``/``jvp`` rules. A printer that emits
NumPy (``symgrad.kernels``) can dispatch on these class names.

>>> sorted(c.__name__ for c in STRUCTURAL)[:4]
['AmaxOver', 'AminOver', 'BroadcastTo', 'Cat']
"""

from __future__ import annotations

from .elementwise import (
                          ELEMENTWISE_CLASSES,
                          Absolute,
                          Clamp,
                          Compare,
                          Detach,
                          Elementwise,
                          Maximum,
                          Minimum,
                          Relu,
                          Sigmoid,
                          Sign,
                          Step,
                          Where,
                          compare,
)
from .nodebase import Structural
from .nodes_index import Cat, Gather, Index, IndexPut, ScatterAdd, Stack, norm_key
from .nodes_linalg import CopyTo, Diag, FullLike, MatProd, ZerosLike, diag_times, matprod
from .nodes_onehot import OneHot  # noqa: F401
from .nodes_matfun import (MATFUN, Det, DiagEmbed, Diagonal, Inverse, Kron, LogAbsDet,  # noqa: F401
                           LogDet, Outer, Solve, SvdProject, SVals, Trace)
from .nodes_linear import (
                          BroadcastTo,
                          Permute,
                          Reduction,
                          Reshape,
                          Squeeze,
                          SumOver,
                          SumTo,
                          Unsqueeze,
                          fit,
                          norm_axes,
                          sum_to_b,
                          unreduce,
)
from .nodes_reduce import (
                          AmaxOver,
                          AminOver,
                          LogSoftmax,
                          LogSumExp,
                          MeanOver,
                          Numel,
                          ProdOthers,
                          ProdOthersJvp,
                          ProdOver,
                          ShiftMax,
                          Softmax,
)
from .symbols import Param, TensorConstant, TensorSymbol

STRUCTURAL = (SumOver, MeanOver, ProdOver, ProdOthers, ProdOthersJvp, AmaxOver, AminOver, Numel,
              LogSumExp, Softmax, LogSoftmax, MatProd, Reshape, Permute, BroadcastTo, SumTo,
              Unsqueeze, Squeeze, Index, IndexPut, Cat, Stack, Gather, ScatterAdd, Diag,
              ZerosLike, FullLike, CopyTo, ShiftMax, OneHot) + MATFUN

__all__ = ["Absolute", "AmaxOver", "AminOver", "BroadcastTo", "Cat", "Clamp", "Compare",
           "CopyTo", "Detach", "Diag", "ELEMENTWISE_CLASSES", "Elementwise", "FullLike",
           "Gather", "Index", "IndexPut", "LogSoftmax", "LogSumExp", "MatProd", "Maximum",
           "MeanOver", "Minimum", "Numel", "Param", "Permute", "ProdOthers", "ProdOthersJvp",
           "ProdOver", "Reduction", "Relu", "Reshape", "STRUCTURAL", "ScatterAdd", "ShiftMax",
           "Sigmoid", "Sign", "Softmax", "Squeeze", "Stack", "Step", "Structural", "SumOver",
           "SumTo", "TensorConstant", "TensorSymbol", "Unsqueeze", "Where", "ZerosLike",
           "compare", "diag_times", "fit", "matprod", "norm_axes", "norm_key", "sum_to_b",
           "unreduce"]
