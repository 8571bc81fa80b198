"""``clip_grad_norm_``, ``clip_grad_value_`` and ``get_total_norm`` (``torch.nn.utils``),
in PyTorch's steps: each gradient's norm, the norm of those norms, then every gradient
times ``clamp(max_norm / (total + 1e-6), max=1)``.

The per-gradient 2-norms are symgrad's ``linalg.vector_norm``: correct to float32
rounding, but not always PyTorch's last bit (its vectorised norm kernel is not
emulated), so a clipped gradient can differ from PyTorch's in the last place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ...eager.linalg_functions import vector_norm
from ...eager.subscript import stack
from ...eager.tensor import Tensor
from ...tape.grad_mode import no_grad
from .convert_parameters import _tensors

_NONFINITE = ("The total norm of order {order} for gradients from `parameters` is "
              "non-finite, so it cannot be clipped. To disable this error and scale the "
              "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")


def _order(norm_type: Any) -> float:
    return float(norm_type)  # 'inf' -> inf, as PyTorch's float(norm_type)


def get_total_norm(tensors: Any, norm_type: Any = 2.0, error_if_nonfinite: bool = False,
                   foreach: Any = None) -> Tensor:
    """The ``norm_type``-norm of the tensors' norms (``tensor(0.)`` for none)."""
    ts = [t for t in _tensors(tensors) if t is not None]
    order = _order(norm_type)
    if not ts:
        return Tensor._wrap(np.asarray(0.0, np.float32))  # torch.tensor(0.)
    with no_grad():
        norms = [vector_norm(t, order) for t in ts]
        total = vector_norm(stack(norms), order)
    if error_if_nonfinite and not math.isfinite(total.item()):
        raise RuntimeError(_NONFINITE.format(order=order))
    return total


def clip_grad_norm_(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                    norm_type: Any = 2.0, error_if_nonfinite: bool = False,
                    foreach: Any = None) -> Tensor:
    """Scale the gradients in place so their total norm is at most ``max_norm``;
    returns the total norm before clipping."""
    params = _tensors(parameters)
    grads = [p.grad for p in params if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    if not grads:
        return total
    with no_grad():
        coef = (float(max_norm) / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coef)
    return total


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float,
                     foreach: Any = None) -> None:
    """Clamp every gradient in place to ``[-clip_value, clip_value]``."""
    value = float(clip_value)
    with no_grad():
        for p in _tensors(parameters):
            if p.grad is not None:
                p.grad.clamp_(min=-value, max=value)


__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm"]
