"""``optim.SGD``: PyTorch's single-tensor update (the path it takes on CPU), with
momentum, dampening, Nesterov, weight decay and ``maximize``.

>>> import symgrad as torch
>>> w = torch.tensor([1., 2.], requires_grad=True)
>>> opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
>>> for _ in range(2):
...     opt.zero_grad()
...     (w * w).sum().backward()
...     opt.step()
>>> w
tensor([0.4600, 0.9200], requires_grad=True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import errors
from ..eager.tensor import Tensor
from . import arith
from .optimizer import Optimizer, _check_nonneg


class SGD(Optimizer):
    def __init__(self, params: Any, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        _check_nonneg("learning rate", lr)
        _check_nonneg("momentum value", momentum)
        _check_nonneg("weight_decay value", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(errors.NESTEROV)
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        value = p._value()
        if group["maximize"]:
            grad = -grad
        if group["weight_decay"] != 0:
            grad = arith.add(grad, value, alpha=group["weight_decay"])
        momentum = group["momentum"]
        if momentum != 0:
            state = self.state[p]
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = Tensor._wrap(grad.copy())
                state["momentum_buffer"] = buf
            else:
                b = arith.mul(buf._value(), momentum)
                buf._value()[...] = arith.add(b, grad, alpha=1 - group["dampening"])
            if group["nesterov"]:
                grad = arith.add(grad, buf._value(), alpha=momentum)
            else:
                grad = buf._value()
        return arith.add(value, grad, alpha=-group["lr"])
