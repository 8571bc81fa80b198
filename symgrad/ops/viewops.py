"""Writing through views: the ops behind PyTorch's ``CopySlices`` and the
regenerated ``AsStridedBackward0`` of a view whose base changed in place.

A view remembers its *chain*: the view ops (name, attrs) that lead from its
base to it, e.g. ``(("slice", {...}), ("select", {...}))`` for ``x[1:][0]``.
``replay`` runs a chain forward; ``put`` writes a value back through one.

- ``as_view(base, chain)`` is the view regenerated from its base (the base
  changed); its gradient scatters into zeros of the base's shape.
- ``view_scatter(grad, chain)`` is that scatter, the adjoint of ``as_view``.
- ``copy_slices(base, value, chain)`` is the base after ``value`` was written
  into its view: the formula the base gets from ``v.mul_(2)`` or ``x[1:] = y``.

>>> import numpy as np
>>> chain = (("slice", {"dim": 0, "start": 1, "end": 3, "step": 1, "in_shape": (4,)}),)
>>> replay(NUMPY, np.arange(4.), chain).tolist()
[1.0, 2.0]
>>> OPS["copy_slices"].forward(np.zeros(4), np.ones(2), chain=chain).tolist()
[0.0, 1.0, 1.0, 0.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .registry import LINEAR, OPS, VIEW, defop
from .xp import NumpyXP

Chain = tuple  # tuple[tuple[str, dict], ...]
NUMPY = NumpyXP


def replay(xp: Any, x: Any, chain: Chain) -> Any:
    """Apply the view ops of ``chain`` to ``x`` (arrays with NumpyXP, tensors with TensorXP)."""
    for name, attrs in chain:
        x = xp.op(OPS[name], x, **attrs)
    return x


def _put(base: np.ndarray, value: Any, chain: Chain) -> np.ndarray:
    out = np.array(base, copy=True)
    view = replay(NUMPY, out, chain)
    if not np.may_share_memory(view, out):  # pragma: no cover - a chain that copies
        raise RuntimeError("internal error: a view chain did not produce a view")
    view[...] = value
    return out


def _view_scatter(grad: np.ndarray, chain: Chain, in_shape: tuple[int, ...]) -> np.ndarray:
    return _put(np.zeros(tuple(in_shape), dtype=np.asarray(grad).dtype), grad, chain)


def _inverse_perm(dims: tuple[int, ...]) -> tuple[int, ...]:
    inv = [0] * len(dims)
    for i, d in enumerate(dims):
        inv[d] = i
    return tuple(inv)


def put_sym(S: Any, base: Any, value: Any, chain: Chain) -> Any:
    """The formula of ``base`` after writing ``value`` through ``chain`` (structural nodes
    only): each view entry's own ``put_sym`` says how to write through it."""
    if not chain:
        return value
    (name, a), rest = chain[0], chain[1:]
    op = OPS[name]
    if op.put_sym is None:
        raise NotImplementedError(f"cannot write through a {name} view (OPS[{name!r}] has "
                                  "no put_sym)")
    return op.put_sym(S, base, put_sym(S, op.sym(S, base, **a), value, rest), a)


defop("as_view", "AsStridedBackward0", VIEW, "self",
      forward=lambda x, chain, in_shape=None: replay(NUMPY, x, chain),
      vjp={"self": lambda xp, grad, s, a: xp.op(OPS["view_scatter"], grad, chain=a["chain"],
                                       in_shape=a["in_shape"])},
      jvp={"self": lambda xp, t, s, a: xp.op(OPS["as_view"], t, **a)},
      sym=lambda S, x, chain, in_shape=None: _replay_sym(S, x, chain),
      dtype_rule="same", doc="a view regenerated from its base after the base changed")

defop("view_scatter", "AsStridedBackwardBackward0", LINEAR, "grad",
      forward=_view_scatter,
      vjp={"grad": lambda xp, grad, s, a: xp.op(OPS["as_view"], grad, chain=a["chain"],
                                       in_shape=a["in_shape"])},
      jvp={"grad": lambda xp, t, s, a: xp.op(OPS["view_scatter"], t, **a)},
      sym=lambda S, g, chain, in_shape: put_sym(S, S.zeros(tuple(in_shape)), g, chain),
      dtype_rule="same", doc="zeros of the base's shape with grad written through the chain")

defop("copy_slices", "CopySlices", LINEAR, "self value",
      forward=lambda base, value, chain, in_shape=None: _put(base, value, chain),
      vjp={"self": lambda xp, grad, s, a: xp.op(OPS["copy_slices"], grad, 0.0, **a),
           "value": lambda xp, grad, s, a: xp.op(OPS["as_view"], grad, chain=a["chain"],
                                        in_shape=a.get("in_shape"))},
      jvp={"self": lambda xp, t, s, a: xp.op(OPS["copy_slices"], t, 0.0, **a),
           "value": lambda xp, t, s, a: xp.op(OPS["view_scatter"], t, chain=a["chain"],
                                     in_shape=a.get("in_shape"))},
      sym=lambda S, base, value, chain, in_shape=None: put_sym(S, base, value, chain),
      dtype_rule="same", doc="the base after value was written into its view (chain)")


def _replay_sym(S: Any, x: Any, chain: Chain) -> Any:
    for name, a in chain:
        x = OPS[name].sym(S, x, **a)
    return x
