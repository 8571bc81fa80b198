"""``symgrad.autograd.forward_ad``: forward-mode AD with dual tensors, as
``torch.autograd.forward_ad``. The engine lives in :mod:`symgrad.tape.forward_ad`.

>>> import symgrad as sg
>>> import symgrad.autograd.forward_ad as fwAD
>>> x = sg.tensor([1., 2.])
>>> with fwAD.dual_level():
...     y = fwAD.make_dual(x, sg.ones(2)) ** 2
...     fwAD.unpack_dual(y).tangent
tensor([2., 4.])
"""

from __future__ import annotations

from ..tape.forward_ad import (
                               UnpackedDualTensor,
                               dual_level,
                               enter_dual_level,
                               exit_dual_level,
                               make_dual,
                               unpack_dual,
)

__all__ = ["UnpackedDualTensor", "dual_level", "enter_dual_level", "exit_dual_level",
           "make_dual", "unpack_dual"]
