"""Moved to :mod:`symgrad.symbolic.nodes_linear` (each linear node beside its
adjoint). This name stays only until ``symbolic/build.py`` imports from there.

>>> from symgrad.symbolic import nodes_linear
>>> BroadcastTo is nodes_linear.BroadcastTo
True
"""

from __future__ import annotations

from .nodes_linear import (BroadcastTo, Permute, Reshape, Squeeze, SumTo, Unsqueeze, fit,
                           sum_to_b, unreduce)

__all__ = ["BroadcastTo", "Permute", "Reshape", "Squeeze", "SumTo", "Unsqueeze", "fit",
           "sum_to_b", "unreduce"]
