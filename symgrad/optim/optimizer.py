"""``optim.Optimizer``: parameter groups, per-parameter state, ``zero_grad``,
``state_dict``/``load_state_dict`` and PyTorch's ``repr``.

The updates run on the parameters' NumPy values with PyTorch's float arithmetic
(its fused multiply-adds included, see :mod:`.arith`), then are written back as an
in-place op (the version counter is bumped, as PyTorch's ``add_`` does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .. import errors
from ..eager.autograd_methods import zero_grads
from ..eager.tensor import Tensor
from ..tape.grad_mode import enable_grad, no_grad


class _Required:
    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class: holds ``param_groups`` (dicts with ``params`` and the options) and
    ``state`` (a dict per parameter)."""

    def __init__(self, params: Any, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(errors.optim_params_type(f"torch.{params.dtype.tensor_type}"))
        groups = list(params)
        if not groups:
            raise ValueError(errors.EMPTY_PARAMS)
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for g in groups:
            self.add_param_group(g)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        group = dict(param_group)
        params = group["params"]
        if isinstance(params, Tensor):
            group["params"] = [params]
        else:
            group["params"] = list(params)
        for p in group["params"]:
            if not isinstance(p, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + type(p).__name__)
            if not p.is_leaf:
                raise ValueError(errors.NON_LEAF_PARAM)
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in group["params"]):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients: ``None`` (the default) or zeros."""
        zero_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter with a gradient; returns ``closure()``'s loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    new = self._update(p, np.asarray(p.grad._value()), group)
                    with no_grad():
                        p.copy_(Tensor._wrap(new))
        return loss

    def _update(self, p: Tensor, grad: np.ndarray, group: dict[str, Any]) -> np.ndarray:
        raise NotImplementedError

    # ------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        index: dict[int, int] = {}
        groups = []
        for g in self.param_groups:
            packed = {k: v for k, v in g.items() if k != "params"}
            ids = []
            for p in g["params"]:
                index.setdefault(id(p), len(index))
                ids.append(index[id(p)])
            packed["params"] = ids
            groups.append(packed)
        state = {index[id(p)]: dict(s) for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        by_id = {}
        for g, s in zip(self.param_groups, saved):
            if len(g["params"]) != len(s["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 "match the size of optimizer's group")
            by_id.update(zip(s["params"], g["params"]))
            for k, v in s.items():
                if k != "params":
                    g[k] = v
        self.state = defaultdict(dict)
        for k, st in state_dict["state"].items():
            p = by_id[k]
            self.state[p] = {name: (v.to(p.dtype) if isinstance(v, Tensor) and name != "step"
                                    and v.dtype.is_floating_point else v)
                             for name, v in st.items()}

    def __repr__(self) -> str:
        out = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            out += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    out += f"    {key}: {group[key]}\n"
        return out + ")"

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}


def _check_nonneg(what: str, value: Any) -> None:
    if not 0.0 <= value:
        raise ValueError(errors.invalid_hyper(what, value))


def params_list(params: Iterable[Any]) -> Any:
    return params
