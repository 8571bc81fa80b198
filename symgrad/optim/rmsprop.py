"""``optim.RMSprop``: PyTorch's single-tensor update (momentum, centered, weight decay).

>>> import symgrad as torch
>>> w = torch.tensor([1., -2.], requires_grad=True)
>>> opt = torch.optim.RMSprop([w], lr=0.01)
>>> (w * w).sum().backward(); opt.step()
>>> w
tensor([ 0.9000, -1.9000], requires_grad=True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..eager.tensor import Tensor
from . import arith
from .optimizer import Optimizer, _check_nonneg


class RMSprop(Optimizer):
    def __init__(self, params: Any, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False,
                 capturable: bool = False, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False) -> None:
        _check_nonneg("learning rate", lr)
        _check_nonneg("epsilon value", eps)
        _check_nonneg("momentum value", momentum)
        _check_nonneg("weight_decay value", weight_decay)
        _check_nonneg("alpha value", alpha)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay,
                    "capturable": capturable, "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        value = p._value()
        dt = value.dtype
        state = self.state[p]
        if not state:
            state["step"] = Tensor._wrap(np.array(0.0, np.float32))
            state["square_avg"] = Tensor._wrap(np.zeros_like(value))
            if group["momentum"] > 0:
                state["momentum_buffer"] = Tensor._wrap(np.zeros_like(value))
            if group["centered"]:
                state["grad_avg"] = Tensor._wrap(np.zeros_like(value))
        if group["maximize"]:
            grad = -grad
        step = state["step"]._value()
        step[...] = step + np.float32(1)
        if group["weight_decay"] != 0:
            grad = arith.add(grad, value, alpha=group["weight_decay"])
        alpha = group["alpha"]
        sq = state["square_avg"]._value()
        sq[...] = arith.addcmul(arith.mul(sq, alpha), grad, grad, 1 - alpha)
        if group["centered"]:
            ga = state["grad_avg"]._value()
            ga[...] = arith.lerp(ga, grad, 1 - alpha)
            avg = arith.sqrt(arith.addcmul(sq, ga, ga, -1))
        else:
            avg = arith.sqrt(sq)
        avg = (avg + dt.type(group["eps"])).astype(dt)
        if group["momentum"] > 0:
            buf = state["momentum_buffer"]._value()
            buf[...] = arith.addcdiv(arith.mul(buf, group["momentum"]), grad, avg, 1.0)
            return arith.add(value, buf, alpha=-group["lr"])
        return arith.addcdiv(value, grad, avg, -group["lr"])
