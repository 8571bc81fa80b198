"""Whole training loops, as tutorials write them: a model, a loss, an optimizer, and
``loss.item()`` after every step. ``python -m tests.nn.record_training`` records
PyTorch's traces; ``test_training_traces.py`` replays them through symgrad.

Each case is a function of the library (``torch`` or ``symgrad``) returning the
losses of every step and the final parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

STEPS = 40


def _loop(T: Any, model: Any, opt: Any, batch: Callable[[], tuple], loss_fn: Callable,
          steps: int = STEPS) -> dict[str, Any]:
    losses = []
    for _ in range(steps):
        x, y = batch()
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    params = {n: p.detach().numpy().copy() for n, p in model.named_parameters()}
    return {"losses": losses, "params": params}


def tanh_mse_sgd_momentum(T: Any) -> dict[str, Any]:
    T.manual_seed(0)
    model = T.nn.Sequential(T.nn.Linear(13, 32), T.nn.Tanh(), T.nn.Linear(32, 17),
                            T.nn.ReLU(), T.nn.Linear(17, 3))
    x, y = T.randn(64, 13), T.randn(64, 3)
    opt = T.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    return _loop(T, model, opt, lambda: (x, y), T.nn.functional.mse_loss)


def relu_l1_adam(T: Any) -> dict[str, Any]:
    T.manual_seed(1)
    model = T.nn.Sequential(T.nn.Linear(5, 16), T.nn.ReLU(), T.nn.Linear(16, 1))
    x = T.rand(100, 5) * 4 - 2
    y = (x * x).sum(1, keepdim=True)
    opt = T.optim.Adam(model.parameters(), lr=0.01)
    return _loop(T, model, opt, lambda: (x, y), T.nn.L1Loss())


def sigmoid_cross_entropy_sgd_nesterov(T: Any) -> dict[str, Any]:
    T.manual_seed(2)
    model = T.nn.Sequential(T.nn.Linear(4, 10), T.nn.Sigmoid(), T.nn.Linear(10, 3))
    x = T.randn(30, 4)
    y = T.randint(0, 3, (30,))
    opt = T.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True,
                      weight_decay=1e-3)
    return _loop(T, model, opt, lambda: (x, y), T.nn.CrossEntropyLoss())


def logistic_bce_rmsprop(T: Any) -> dict[str, Any]:
    T.manual_seed(3)
    model = T.nn.Linear(6, 1)
    x = T.randn(50, 6)
    y = (x[:, :1] + x[:, 1:2] > 0).float()
    opt = T.optim.RMSprop(model.parameters(), lr=0.01)
    return _loop(T, model, opt, lambda: (x, y), T.nn.BCEWithLogitsLoss())


def gelu_smooth_l1_adamw(T: Any) -> dict[str, Any]:
    T.manual_seed(4)
    model = T.nn.Sequential(T.nn.Linear(3, 12), T.nn.GELU(), T.nn.Linear(12, 2))
    x = T.randn(20, 3)
    y = T.randn(20, 2)
    opt = T.optim.AdamW(model.parameters(), lr=0.02)
    return _loop(T, model, opt, lambda: (x, y), T.nn.SmoothL1Loss())


def batched_linear_minibatches(T: Any) -> dict[str, Any]:
    """A 3-D input through ``nn.Linear`` (flattened around ``addmm``) and
    mini-batches drawn with ``randperm``."""
    T.manual_seed(5)
    model = T.nn.Sequential(T.nn.Linear(7, 9), T.nn.SiLU(), T.nn.Linear(9, 4))
    data, target = T.randn(40, 3, 7), T.randn(40, 3, 4)
    order = T.randperm(40)
    state = {"i": 0}

    def batch():
        idx = order[state["i"] % 4 * 10:(state["i"] % 4 + 1) * 10]
        state["i"] += 1
        return data[idx], target[idx]
    opt = T.optim.SGD(model.parameters(), lr=0.05)
    return _loop(T, model, opt, batch, T.nn.MSELoss())


def manual_two_layer_net(T: Any) -> dict[str, Any]:
    """The "Learning PyTorch with Examples" style: tensors, ``mm``, ``clamp`` and a
    hand-written update under ``no_grad``."""
    T.manual_seed(6)
    x, y = T.randn(64, 100), T.randn(64, 10)
    w1 = T.randn(100, 50, requires_grad=True)
    w2 = T.randn(50, 10, requires_grad=True)
    losses = []
    for _ in range(STEPS):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with T.no_grad():
            w1 -= 1e-6 * w1.grad
            w2 -= 1e-6 * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return {"losses": losses, "params": {"w1": w1.detach().numpy().copy(),
                                         "w2": w2.detach().numpy().copy()}}


CASES: dict[str, Callable[[Any], dict[str, Any]]] = {
    f.__name__: f for f in (tanh_mse_sgd_momentum, relu_l1_adam,
                            sigmoid_cross_entropy_sgd_nesterov, logistic_bce_rmsprop,
                            gelu_smooth_l1_adamw, batched_linear_minibatches,
                            manual_two_layer_net)}


def digest(result: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: the losses as floats and each parameter's float32 bits as hex."""
    return {"losses": [float(v) for v in result["losses"]],
            "params": {n: np.ascontiguousarray(a).tobytes().hex()
                       for n, a in sorted(result["params"].items())}}
