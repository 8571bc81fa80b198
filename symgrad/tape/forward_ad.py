"""Forward-mode AD: dual numbers pushed through the NumPy ops by their JVP rules.

Inside ``dual_level()`` a tensor may carry a tangent (``make_dual``). While
a level is alive, ``dispatch.apply`` calls :func:`hook` after each op's
NumPy forward; the hook asks the op's JVP rules for the tangent of the
result from the inputs' tangents and primals, so the tangent is computed
alongside the primal, op by op. Nothing is recorded for a later sweep.

Levels nest (``jacfwd(jacfwd(f))``): a tangent at level ``k`` is computed
with ops that only levels below ``k`` see, so it carries the outer levels'
tangents (a tangent of a tangent) and none of its own. When nothing needs
recording (the innermost visible level, no input requiring grad) the rules
run on the raw arrays (``NumpyXP``); otherwise on tensors (``TensorXP``),
so tangents are themselves differentiable, forward or reverse.

The tensor type and tensor namespace are injected (``configure``), as for
the backward engine.

>>> import symgrad as sg
>>> fwAD = sg.autograd.forward_ad
>>> with fwAD.dual_level():
...     x = fwAD.make_dual(sg.tensor([0., 1.]), sg.tensor([1., 1.]))
...     y = (x * x).sin()
...     fwAD.unpack_dual(y).tangent
tensor([0.0000, 1.0806])
"""

from __future__ import annotations

import itertools
from typing import Any, NamedTuple

import numpy as np

from .. import errors
from ..ops.registry import NONDIFF, OpDef
from ..ops.xp import NumpyXP
from .grad_mode import STATE as GRAD
from .saved import Primals


class _Config:
    flags: Any = None        # dispatch's switch: ``.active`` and ``.hook``
    tensor_type: Any = None
    tensor_xp: Any = None


CONFIG = _Config()


class _Levels:
    ids: list[int] = []      # alive levels, outermost first (unique ids, never reused)
    visible: int = 0         # how many of them ops propagate (fewer inside a tangent computation)


LEVELS = _Levels()
_ids = itertools.count()


def configure(flags: Any, tensor_type: Any, tensor_xp: Any) -> None:
    """Connect the engine to dispatch's switch and the tensor type."""
    CONFIG.flags, CONFIG.tensor_type, CONFIG.tensor_xp = flags, tensor_type, tensor_xp
    flags.hook = hook


def live() -> bool:
    """Whether some dual level is alive."""
    return bool(LEVELS.ids)


def _set_visible(n: int) -> None:
    LEVELS.visible = n
    CONFIG.flags.active = n > 0


def tangent_of(t: Any, level_id: int) -> Any:
    """The tangent of ``t`` at ``level_id`` (a tensor) or ``None``."""
    ft = getattr(t, "_fw_tangent", None)
    return ft.get(level_id) if ft else None


# --------------------------------------------------------------------- engine
def hook(r: Any, op: OpDef, inputs: tuple, attrs: dict) -> None:
    """Give ``r = op(*inputs)`` its tangents (called by ``dispatch.apply``)."""
    for x in inputs:
        if getattr(x, "_fw_tangent", None):
            break
    else:
        return
    if op.kind == NONDIFF or r._data is None or r._data.dtype.kind != "f":
        return
    # outermost level first: an inner level's rule may use ``s.result``, whose
    # outer tangents must then already be in place
    for li in range(LEVELS.visible):
        lid = LEVELS.ids[li]
        tangents = [tangent_of(x, lid) for x in inputs]
        if any(t is not None for t in tangents):
            t = _push(r, op, inputs, attrs, tangents, li)
            r._fw_tangent = {**(r._fw_tangent or {}), lid: t}


def _needs_tensors(inputs: tuple, tangents: list, li: int) -> bool:
    if li > 0:
        return True
    if not GRAD.enabled:
        return False
    return any(getattr(x, "_requires_grad", False) for x in inputs) or \
        any(t is not None and t._requires_grad for t in tangents)


def _push(r: Any, op: OpDef, inputs: tuple, attrs: dict, tangents: list, li: int) -> Any:
    """The tangent of ``r`` at level ``li`` from the inputs' tangents."""
    names = op.args
    if not _needs_tensors(inputs, tangents, li):
        values = {n: getattr(x, "_data", x) for n, x in zip(names, inputs)}
        values["result"] = r._data
        s = Primals(values)
        total = None
        for k, t in enumerate(tangents):
            rule = None if t is None else _rule(op, k)
            if rule is None:
                continue
            c = np.asarray(rule(NumpyXP, t._data, s, attrs))
            total = c if total is None else total + c
        if total is None:
            total = np.zeros_like(r._data)
        if total.shape != r._data.shape:
            total = np.array(np.broadcast_to(total, r._data.shape))
        if total.dtype != r._data.dtype:
            total = total.astype(r._data.dtype)
        return CONFIG.tensor_type._wrap(total)
    xp = CONFIG.tensor_xp
    saved = LEVELS.visible
    _set_visible(li)  # the tangent computation is seen by the outer levels only
    try:
        values = dict(zip(names, inputs))
        values["result"] = r
        s = Primals(values)
        total = None
        for k, t in enumerate(tangents):
            rule = None if t is None else _rule(op, k)
            if rule is None:
                continue
            c = rule(xp, t, s, attrs)
            if not isinstance(c, CONFIG.tensor_type):
                c = CONFIG.tensor_type._wrap(np.asarray(c))
            total = c if total is None else total + c
        if total is None:
            return CONFIG.tensor_type._wrap(np.zeros_like(r._data))
        if tuple(total.shape) != tuple(r._data.shape):
            total = xp.expand(total, r._data.shape)
        if total._data.dtype != r._data.dtype:
            total = xp.cast(total, r._data.dtype)
        return total
    finally:
        _set_visible(saved)


def _rule(op: OpDef, k: int) -> Any | None:
    """The JVP rule of ``op`` for input ``k``; an error naming both if there is none."""
    if op.variadic:
        rule = op.input_jvps[0]
        if rule is None:
            raise NotImplementedError(errors.jvp_not_defined(op.name, op.args[0]))
        return lambda xp, t, s, a: rule(xp, t, s, a, k)
    rule = op.input_jvps[k] if k < len(op.input_jvps) else None
    if rule is None:
        arg = op.args[k] if k < len(op.args) else str(k)
        if arg in op.no_edge:  # not differentiable by design (where's condition)
            return None
        raise NotImplementedError(errors.jvp_not_defined(op.name, arg))
    return rule


def linear_tangent(op: OpDef, tangents: tuple, level_id: int, **attrs: Any) -> Any:
    """``op(*tangents, **attrs)`` for a linear op on tangents of level ``level_id``
    (on arrays, or recorded on tensors when the tangents must stay differentiable)."""
    li = LEVELS.ids.index(level_id)
    if li == 0 and not (GRAD.enabled and any(t._requires_grad for t in tangents)):
        return CONFIG.tensor_type._wrap(np.asarray(op.forward(*(t._data for t in tangents),
                                                              **attrs)))
    saved = LEVELS.visible
    _set_visible(li)  # seen by the outer levels only, as in ``_push``
    try:
        return CONFIG.tensor_xp.op(op, *tangents, **attrs)
    finally:
        _set_visible(saved)


# ------------------------------------------------------------------ user API
class dual_level:
    """Context manager: a forward-AD level; tangents of that level vanish on exit.

    ``__enter__`` returns the level's index (0 for the outermost).

    >>> with dual_level() as lvl:
    ...     lvl
    0
    """

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: object) -> None:
        exit_dual_level()


def enter_dual_level() -> int:
    """Open a new (innermost) level and return its index."""
    LEVELS.ids = LEVELS.ids + [next(_ids)]
    _set_visible(len(LEVELS.ids))
    return len(LEVELS.ids) - 1


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the innermost level (``level``, if given, must be it)."""
    if not LEVELS.ids:
        raise RuntimeError(errors.FW_NO_LEVEL_TO_EXIT)
    if level is not None and level != len(LEVELS.ids) - 1:
        raise RuntimeError(errors.FW_EXIT_NOT_INNERMOST)
    LEVELS.ids = LEVELS.ids[:-1]
    _set_visible(len(LEVELS.ids))


def _level_id(level: int | None) -> int:
    if not LEVELS.ids:
        raise RuntimeError(errors.FW_NO_LEVEL)
    if level is None:
        return LEVELS.ids[-1]
    if not 0 <= level < len(LEVELS.ids):
        raise RuntimeError(errors.FW_BAD_LEVEL.format(level=level))
    return LEVELS.ids[level]


def make_dual(tensor: Any, tangent: Any, *, level: int | None = None) -> Any:
    """A view of ``tensor`` whose tangent at ``level`` (innermost) is ``tangent``.

    >>> import symgrad as sg
    >>> with dual_level():
    ...     make_dual(sg.tensor([1., 2.]), sg.tensor([0., 1.]))
    tensor([1., 2.], tangent=tensor([0., 1.]))
    """
    lid = _level_id(level)
    T = CONFIG.tensor_type
    if not isinstance(tangent, T):
        tangent = T(tangent)
    if not tensor.dtype.is_floating_point:
        raise ValueError(errors.FW_PRIMAL_NOT_FLOAT.format(dtype=tensor.dtype))
    if not tangent.dtype.is_floating_point:
        raise ValueError(errors.FW_TANGENT_NOT_FLOAT.format(dtype=tangent.dtype))
    if tuple(tangent.shape) != tuple(tensor.shape):
        raise RuntimeError(errors.fw_tangent_size(tensor.shape, tangent.shape))
    if tangent._data.dtype != tensor._data.dtype:
        tangent = CONFIG.tensor_xp.cast(tangent, tensor._data.dtype)
    d = CONFIG.tensor_xp.alias(tensor)
    d._fw_tangent = {**(tensor._fw_tangent or {}), lid: tangent}
    d._fw_view = ()  # a view of ``tensor`` whose tangent is its own
    return d


class UnpackedDualTensor(NamedTuple):
    """``unpack_dual``'s result: the primal (a view, without this level's tangent)
    and the tangent (``None`` if there is none)."""

    primal: Any
    tangent: Any


def unpack_dual(tensor: Any, *, level: int | None = None) -> UnpackedDualTensor:
    """Split a dual tensor into its primal and its tangent at ``level``."""
    if not LEVELS.ids:
        return UnpackedDualTensor(tensor, None)
    lid = _level_id(level)
    ft = tensor._fw_tangent
    tangent = ft.get(lid) if ft else None
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    primal = CONFIG.tensor_xp.alias(tensor)
    rest = {k: v for k, v in ft.items() if k != lid and k in LEVELS.ids}
    primal._fw_tangent = rest or None
    primal._fw_view = ()
    return UnpackedDualTensor(primal, tangent)


def tangents_for_repr(tensor: Any) -> Any:
    """The innermost live tangent of ``tensor`` (for ``repr``), or ``None``."""
    ft = tensor._fw_tangent
    if not ft or not LEVELS.ids:
        return None
    return ft.get(LEVELS.ids[-1])


__all__ = ["dual_level", "enter_dual_level", "exit_dual_level", "make_dual", "unpack_dual",
           "UnpackedDualTensor"]
