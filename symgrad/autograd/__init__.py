"""``sg.autograd``: ``backward`` and ``grad``, PyTorch's entry points to the
engine (the work is in :mod:`symgrad.eager.backward`), custom ``Function`` s,
``functional`` (Jacobians, Hessians, VJPs, JVPs), ``gradcheck``, ``graph``
(saved-tensor hooks) and the ``forward_ad`` submodule.

>>> import symgrad as sg
>>> x = sg.tensor([1., 2.], requires_grad=True)
>>> sg.autograd.grad((x ** 3).sum(), x)
(tensor([ 3., 12.]),)
"""

from __future__ import annotations

from ..eager.backward import backward, grad
from ..eager.legacy import Variable
from . import forward_ad, function, functional, graph
from .function import Function, once_differentiable
from .jacobian_check import gradcheck, gradgradcheck

__all__ = ["Function", "Variable", "backward", "forward_ad", "function", "functional",
           "grad", "gradcheck", "gradgradcheck", "graph", "once_differentiable",
           "set_detect_anomaly"]


class set_detect_anomaly:
    """Accepted for compatibility; symgrad's version errors always name the culprit."""

    def __init__(self, mode: bool = True, check_nan: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        pass
