"""Reductions: sum, mean, prod, max/min (with and without ``dim``), amax/amin.

Ties follow PyTorch: ``max()``/``amax`` share the gradient evenly between
tied elements; ``max(dim)`` gives it to the index it returns.

>>> OPS["sum"].grad_fn_name((), {"dim": None}), OPS["sum"].grad_fn_name((), {"dim": 0})
('SumBackward0', 'SumBackward1')
"""

from __future__ import annotations

import numpy as np

from . import torch_float as _tf
from .registry import OPS, REDUCTION, defop
from .xp import kept_shape, normalize_dims


def _axes(x: np.ndarray, dim) -> tuple[int, ...] | None:
    return None if dim is None else normalize_dims(dim, x.ndim)


def _by_dim(full: str, with_dim: str):
    return lambda inputs, a: full if a.get("dim") is None else with_dim


def _numel(shape, dim) -> int:
    dims = normalize_dims(dim, len(shape))
    return int(np.prod([shape[d] for d in dims])) if shape else 1


defop("sum", _by_dim("SumBackward0", "SumBackward1"), REDUCTION, "self",
      forward=lambda x, dim=None, keepdim=False, shape=None: _tf.cascade_sum(x, _axes(x, dim), keepdim),
      vjp={"self": lambda xp, grad, s, a:
          xp.unreduce(grad, a["shape"], a.get("dim"), a.get("keepdim", False))},
      jvp={"self": lambda xp, t, s, a: xp.sum(t, a.get("dim"), a.get("keepdim", False))},
      sym=lambda S, x, dim=None, keepdim=False, shape=None: S.sum(x, dim, keepdim),
      dtype_rule="sum", api=("function", "method"))

defop("mean", _by_dim("MeanBackward0", "MeanBackward1"), REDUCTION, "self",
      forward=lambda x, dim=None, keepdim=False, shape=None: _tf.cascade_mean(x, _axes(x, dim), keepdim),
      vjp={"self": lambda xp, grad, s, a:
          xp.unreduce(grad, a["shape"], a.get("dim"), a.get("keepdim", False))
      / _numel(a["shape"], a.get("dim"))},
      jvp={"self": lambda xp, t, s, a: xp.sum(t, a.get("dim"), a.get("keepdim", False))
      / _numel(a["shape"], a.get("dim"))},
      sym=lambda S, x, dim=None, keepdim=False, shape=None: S.mean(x, dim, keepdim),
      dtype_rule="float", api=("function", "method"))


def _prod_grad(xp, grad, s, a):
    """d prod / dx_i = product of the others, exact when some x are zero."""
    shape, dim, keepdim = a["shape"], a.get("dim"), a.get("keepdim", False)
    x = s.self
    zero = x == 0
    nzeros = xp.unreduce(xp.sum(zero * 1, dim, keepdim), shape, dim, keepdim)
    safe = xp.where(zero, 1.0 + 0 * x, x)
    prod_nonzero = xp.unreduce(_prod(xp, safe, dim, keepdim), shape, dim, keepdim)
    others = xp.where(zero, prod_nonzero * (nzeros == 1),
                      xp.unreduce(s.result, shape, dim, keepdim) / safe)
    return xp.unreduce(grad, shape, dim, keepdim) * others


def _prod(xp, x, dim, keepdim):
    if xp.is_tensor:
        return x.prod() if dim is None else x.prod(dim, keepdim)
    return np.prod(x, axis=None if dim is None else dim, keepdims=keepdim)


defop("prod", _by_dim("ProdBackward0", "ProdBackward1"), REDUCTION, "self",
      forward=lambda x, dim=None, keepdim=False, shape=None: np.prod(x, axis=_axes(x, dim), keepdims=keepdim),
      vjp={"self": _prod_grad},
      jvp={"self": lambda xp, t, s, a: xp.sum(_prod_grad(xp, xp.ones_like(s.result), s, a) * t,
                                     a.get("dim"), a.get("keepdim", False))},
      saves={"self": (), "result": ()},
      sym=lambda S, x, dim=None, keepdim=False, shape=None: S.prod(x, dim, keepdim),
      dtype_rule="sum", api=("function", "method"))


def _even_share(xp, grad, s, a):
    """Gradient of max()/amax: split evenly between the elements equal to the max."""
    shape, dim, keepdim = a["shape"], a.get("dim"), a.get("keepdim", False)
    mask = (s.self == xp.unreduce(s.result, shape, dim, keepdim)) * 1.0
    count = xp.unreduce(xp.sum(mask, dim, keepdim), shape, dim, keepdim)
    return xp.unreduce(grad, shape, dim, keepdim) * mask / count


def _even_share_jvp(xp, t, s, a):
    share = _even_share(xp, xp.ones_like(s.result), s, a)
    return xp.sum(share * t, a.get("dim"), a.get("keepdim", False))


for _name, _np, _grad_fn in (("amax", np.amax, "AmaxBackward0"), ("amin", np.amin, "AminBackward0"),
                             ("max_all", np.amax, "MaxBackward1"),
                             ("min_all", np.amin, "MinBackward1")):
    defop(_name, _grad_fn, REDUCTION, "self",
          forward=(lambda f: lambda x, dim=None, keepdim=False, shape=None:
                   f(x, axis=_axes(x, dim), keepdims=keepdim))(_np),
          vjp={"self": _even_share}, jvp={"self": _even_share_jvp},
          saves={"self": (), "result": ()},
          sym=(lambda n: lambda S, x, dim=None, keepdim=False, shape=None:
               S.amax(x, dim, keepdim) if n in ("amax", "max_all") else S.amin(x, dim, keepdim))(_name),
          dtype_rule="same", kinks=True, api=("function", "method"),
          public={"max_all": "max", "min_all": "min"}.get(_name, ""))


def _select_forward(x, dim, keepdim=False, indices=None, shape=None):
    """Values of ``max(dim)``/``min(dim)`` at the (precomputed) ``indices``."""
    if np.ndim(x) == 0:  # a 0-d tensor is its own max over dim 0
        return np.array(x, copy=True)
    idx = indices if keepdim else np.expand_dims(indices, dim)
    vals = np.take_along_axis(x, idx, axis=dim)
    return vals if keepdim else np.squeeze(vals, dim)


def _select_grad(xp, grad, s, a):
    if not a["shape"]:
        return grad
    return xp.scatter_index(grad, s.indices, a["dim"] % len(a["shape"]), a["shape"],
                            a.get("keepdim", False))


def _select_jvp(xp, t, s, a):
    shape, keepdim = a["shape"], a.get("keepdim", False)
    if not shape:
        return t
    onehot = xp.scatter_index(xp.ones_like(s.result), a["indices"], a["dim"] % len(shape),
                              shape, keepdim)
    return xp.sum(onehot * t, a["dim"], keepdim)


# max(dim)/min(dim) return (values, indices); the op's result is the values and
# the indices ride along in attrs; they are saved (and freed) as PyTorch saves them.
for _name, _grad_fn, _symf in (("max_dim", "MaxBackward0", "amax"),
                               ("min_dim", "MinBackward0", "amin")):
    defop(_name, _grad_fn, REDUCTION, "self", forward=_select_forward,
          vjp={"self": _select_grad}, jvp={"self": _select_jvp}, saves={"indices": ()},
          sym=(lambda n: lambda S, x, dim, keepdim=False, shape=None, indices=None:
               getattr(S, n)(x, dim, keepdim))(_symf),
          dtype_rule="same", kinks=True)

__all__ = ["OPS", "kept_shape"]
