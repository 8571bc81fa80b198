"""Connect the tape engine to the tensor type (the tape never imports it)."""

from __future__ import annotations

from . import grad_events as symbolic_hooks  # noqa: F401  (grad_formula bookkeeping)
from . import dispatch
from ..tape import engine, forward_ad
from .tensor import Tensor
from .xp import TensorXP

engine.configure(wrap=Tensor._wrap, tensor_xp=TensorXP, tensor_type=Tensor)
forward_ad.configure(flags=dispatch._FORWARD_AD, tensor_type=Tensor, tensor_xp=TensorXP)
