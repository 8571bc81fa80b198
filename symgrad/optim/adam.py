"""``optim.Adam`` and ``optim.AdamW``: PyTorch's single-tensor update (its CPU path):
``lerp`` for the first moment, ``mul_``/``addcmul_`` for the second, bias corrections
in double, ``addcdiv_`` for the step.

>>> import symgrad as torch
>>> w = torch.tensor([1., -2.], requires_grad=True)
>>> opt = torch.optim.Adam([w], lr=0.1)
>>> (w * w).sum().backward(); opt.step()
>>> w
tensor([ 0.9000, -1.9000], requires_grad=True)
>>> opt.state[w]["step"]
tensor(1.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import errors
from ..eager.tensor import Tensor
from . import arith
from .optimizer import Optimizer, _check_nonneg


class Adam(Optimizer):
    _decoupled = False

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        _check_nonneg("learning rate", lr)
        _check_nonneg("epsilon value", eps)
        for i, b in enumerate(betas):
            if not 0.0 <= b < 1.0:
                raise ValueError(errors.invalid_beta(i, b))
        _check_nonneg("weight_decay value", weight_decay)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay or self._decoupled}
        super().__init__(params, defaults)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        value = p._value()
        dt = value.dtype
        state = self.state[p]
        if not state:
            state["step"] = Tensor._wrap(np.array(0.0, np.float32))
            state["exp_avg"] = Tensor._wrap(np.zeros_like(value))
            state["exp_avg_sq"] = Tensor._wrap(np.zeros_like(value))
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = Tensor._wrap(np.zeros_like(value))
        if group["maximize"]:
            grad = -grad
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        wd = group["weight_decay"]
        step_t = state["step"]._value()
        step_t[...] = step_t + np.float32(1)
        if wd != 0:
            if group["decoupled_weight_decay"]:
                value = arith.mul(value, 1 - lr * wd)
            else:
                grad = arith.add(grad, value, alpha=wd)
        exp_avg, exp_avg_sq = state["exp_avg"]._value(), state["exp_avg_sq"]._value()
        exp_avg[...] = arith.lerp(exp_avg, grad, 1 - beta1)
        exp_avg_sq[...] = arith.addcmul(arith.mul(exp_avg_sq, beta2), grad, grad, 1 - beta2)
        step = float(step_t)
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        bc2_sqrt = bias_correction2 ** 0.5
        second = exp_avg_sq
        if group["amsgrad"]:
            mx = state["max_exp_avg_sq"]._value()
            mx[...] = np.maximum(mx, exp_avg_sq)
            second = mx
        denom = (arith.sqrt(second) / dt.type(bc2_sqrt)).astype(dt) + dt.type(eps)
        return arith.addcdiv(value, exp_avg, denom.astype(dt), -step_size)


class AdamW(Adam):
    """Adam with decoupled weight decay (default ``weight_decay=1e-2``)."""

    _decoupled = True

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused)
        for g in self.param_groups:
            g.pop("decoupled_weight_decay", None)
        self.defaults.pop("decoupled_weight_decay", None)

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        return super()._update(p, grad, dict(group, decoupled_weight_decay=True))
