"""Shape ops. Those of kind ``view`` share storage and the version counter
with their input, as PyTorch's views do.

>>> OPS["permute"].kind, OPS["clone"].kind
('view', 'linear')
"""

from __future__ import annotations

import numpy as np

from .registry import LINEAR, OPS, VIEW, defop


def _inverse_perm(dims):
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return tuple(inv)


def _view_name(inputs, a) -> str:
    return a.get("grad_fn", "ViewBackward0")


defop("reshape", _view_name, VIEW, "self",
      forward=lambda x, shape, grad_fn=None, in_shape=None: np.reshape(x, shape),
      vjp={"self": lambda xp, grad, s, a: xp.reshape(grad, a["in_shape"])},
      jvp={"self": lambda xp, t, s, a: xp.reshape(t, a["shape"])},
      sym=lambda S, x, shape, grad_fn=None, in_shape=None: S.reshape(x, shape),
      api=("function", "method"), aliases=("flatten",), method_aliases=("view",),
      view_text=lambda a: ".view(" + ", ".join(str(n) for n in a["shape"]) + ")",
      put_sym=lambda S, base, new, a: S.reshape(new, tuple(a["in_shape"])))

defop("unsqueeze", "UnsqueezeBackward0", VIEW, "self",
      forward=lambda x, dim: np.expand_dims(x, dim),
      vjp={"self": lambda xp, grad, s, a: xp.squeeze(grad, a["dim"])},
      jvp={"self": lambda xp, t, s, a: xp.unsqueeze(t, a["dim"])},
      sym=lambda S, x, dim: S.unsqueeze(x, dim), api=("function", "method"),
      view_text=lambda a: f".unsqueeze({a['dim']})",
      put_sym=lambda S, base, new, a: S.squeeze(new, a["dim"]))

defop("squeeze", lambda inputs, a: "SqueezeBackward0" if a.get("dim") is None
      else "SqueezeBackward1", VIEW, "self",
      forward=lambda x, dim=None, in_shape=None: np.squeeze(x, dim) if dim is None or
      x.shape[dim] == 1 else x,
      vjp={"self": lambda xp, grad, s, a: xp.reshape(grad, a["in_shape"])},
      jvp={"self": lambda xp, t, s, a: xp.reshape(t, tuple(n for i, n in enumerate(a["in_shape"])
                                                  if n != 1 or (a.get("dim") is not None and
                                                                i != a["dim"] % len(a["in_shape"]))))},
      sym=lambda S, x, dim=None, in_shape=None: S.squeeze(x, dim), api=("function", "method"),
      view_text=lambda a: f".squeeze({'' if a.get('dim') is None else a['dim']})",
      put_sym=lambda S, base, new, a: S.reshape(new, tuple(a["in_shape"])))

defop("permute", lambda inputs, a: a.get("grad_fn", "PermuteBackward0"), VIEW, "self",
      forward=lambda x, dims, grad_fn=None: np.transpose(x, dims),
      vjp={"self": lambda xp, grad, s, a: xp.permute(grad, _inverse_perm(a["dims"]))},
      jvp={"self": lambda xp, t, s, a: xp.permute(t, a["dims"])},
      sym=lambda S, x, dims, grad_fn=None: S.permute(x, dims), api=("function", "method"),
      aliases=("transpose", "t", "swapaxes"),
      view_text=lambda a: ".permute(" + ", ".join(str(d) for d in a["dims"]) + ")",
      put_sym=lambda S, base, new, a: S.permute(new, _inverse_perm(a["dims"])))

defop("expand", "ExpandBackward0", VIEW, "self",
      forward=lambda x, shape, in_shape=None: np.broadcast_to(x, shape),
      vjp={"self": lambda xp, grad, s, a: xp.sum_to(grad, a["in_shape"])},
      jvp={"self": lambda xp, t, s, a: xp.expand(t, a["shape"])},
      sym=lambda S, x, shape, in_shape=None: S.expand(x, shape), api=("function", "method"))

defop("sum_to_size", "SumBackward1", LINEAR, "self",
      forward=lambda x, shape, in_shape=None: _sum_to(x, shape),
      vjp={"self": lambda xp, grad, s, a: xp.expand(grad, a["in_shape"])},
      jvp={"self": lambda xp, t, s, a: xp.sum_to(t, a["shape"])},
      sym=lambda S, x, shape, in_shape=None: S.sum_to(x, shape), api=("method",))

defop("clone", "CloneBackward0", LINEAR, "self",
      forward=lambda x: np.array(x, copy=True),
      vjp={"self": lambda xp, grad, s, a: grad},
      jvp={"self": lambda xp, t, s, a: t},
      sym=lambda S, x: x, api=("function", "method"))

defop("to_dtype", "ToCopyBackward0", LINEAR, "self",
      forward=lambda x, dtype, in_dtype=None: x.astype(dtype.np_dtype),
      vjp={"self": lambda xp, grad, s, a: grad},  # the engine casts grads to the input dtype
      jvp={"self": lambda xp, t, s, a: t},
      sym=lambda S, x, dtype, in_dtype=None: x,
      dtype_rule="attr")


def _sum_to(x, shape):
    from .broadcast import sum_to
    return sum_to(x, tuple(shape))

defop("detach", "", "nondiff", "self",
      forward=lambda x, how="detach": x,
      sym=lambda S, x, how="detach": S.detach(x), dtype_rule="same",
      doc="stop-gradient: detach() and .data; its derivative is zero")

defop("reshape_copy", "UnsafeViewBackward0", LINEAR, "self",
      forward=lambda x, shape, in_shape=None: np.array(np.reshape(x, shape), copy=True),
      vjp={"self": lambda xp, grad, s, a: xp.reshape(grad, a["in_shape"])},
      jvp={"self": lambda xp, t, s, a: xp.reshape(t, a["shape"])},
      sym=lambda S, x, shape, in_shape=None: S.reshape(x, shape),
      doc="reshape of a non-contiguous tensor: a copy, as PyTorch's _unsafe_view")
