"""Views on the tape: shared storage, a shared version counter, and history
that is rebased when someone writes through a view (PyTorch's ``CopySlices``).

Every view knows its root ``_base`` and its *chain* ``_view_fn``: the view
ops from the base to it. A base keeps weak references to its views. When
``v = x[1:]`` is written in place (``v.mul_(2)``, ``x[1:] = y``):

- the op's node ``fn`` is built as if for ``v`` alone (``MulBackward0``);
- the base gets a :class:`CopySlices` node wrapping ``fn``: its gradient is
  the incoming one with the view's region replaced by ``fn``'s gradient for
  the old view value; ``fn``'s other inputs get theirs directly;
- every live view of the base (``v`` included) is regenerated as a view of
  the new base (``AsStridedBackward0``), as PyTorch does lazily.

An in-place op on the base itself regenerates its views the same way.

>>> import symgrad as sg
>>> a = sg.tensor([1., 2., 3.], requires_grad=True)
>>> x = a * 1
>>> v = x[1:]
>>> v.mul_(2)
tensor([4., 6.], grad_fn=<AsStridedBackward0>)
>>> x.grad_fn.name(), x._version, v._version
('torch::autograd::CopySlices', 1, 1)
>>> x.sum().backward(); a.grad
tensor([1., 2., 2.])
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from .. import errors
from ..ops import OPS
from ..ops.record import NO_RECORD, Record
from ..ops.registry import OpDef
from ..ops.viewops import Chain
from ..tape import forward_ad
from ..tape.grad_mode import STATE
from ..tape.node import Node
from .taping import record, snapshot
from .tensor import Tensor, _init

AS_VIEW = OPS["as_view"]
COPY_SLICES = OPS["copy_slices"]


# ``_creation_meta`` (PyTorch's ``CreationMeta``) of views that must not be written in place
# with grad mode on: made under ``no_grad``, or an output of ``unbind`` (and their views)
NO_GRAD_MODE = "no_grad"
MULTI_OUTPUT_NODE = "multi_output"


def link(r: Tensor, src: Tensor, op: OpDef, attrs: dict) -> None:
    """Make ``r`` (the output of view op ``op`` on ``src``) a view of ``src``'s base.

    ``r`` inherits ``src``'s creation meta (PyTorch's ``CreationMeta``), or gets
    :data:`NO_GRAD_MODE` if grad mode is off; and, if ``src``'s tangent is not a
    view of its base's (``make_dual``), ``r`` is a forward view of ``src``.
    """
    base = src._base
    step = ((op.name, attrs),)
    if base is None:
        base, chain = src, step
    elif src._view_fn is None:  # pragma: no cover - every alias is made by a view op
        r._base = base
        return
    else:
        chain = src._view_fn + step
    r._base = base
    r._view_fn = chain
    meta = src._creation_meta
    r._creation_meta = meta if meta is not None else None if STATE.enabled else NO_GRAD_MODE
    _remember(base, r)
    fv = src._fw_view
    if fv is not None:  # src is, or is a view of, a forward root that is a view
        r._fw_view = (src, step) if not fv else (fv[0], fv[1] + step)
        _remember(r._fw_view[0], r)


def _remember(base: Tensor, view: Tensor) -> None:
    views = base._views
    if views is None:
        base._views = views = []
    elif len(views) > 32:
        views[:] = [w for w in views if w() is not None]
    views.append(weakref.ref(view))


def creation_meta_error(view: Tensor) -> str:
    """PyTorch's message for an in-place op on ``view`` that its creation forbids."""
    if view._creation_meta == NO_GRAD_MODE:
        return errors.VIEW_NO_GRAD_INPLACE
    name, attrs = view._view_fn[-1]
    fn = view._grad_fn.name() if view._grad_fn is not None else OPS[name].grad_fn
    if isinstance(fn, str) and fn.endswith("Backward0"):
        fn = fn[:-len("Backward0")]
    return errors.view_multi_output_inplace(attrs["index"] if name == "unbind" else 0, fn)


class CopySlices(Node):
    """The base's node after a write through one of its views (wraps the op's node)."""

    __slots__ = ("fn", "chain", "in_shape")

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def apply(self, grad: Any, xp: Any, as_tensor: bool) -> list[Any]:
        """The base's gradient with the view's region replaced by ``fn``'s gradient
        for the overwritten values; ``fn``'s other inputs get their gradients."""
        attrs = {"chain": self.chain, "in_shape": self.in_shape}
        view_grad = xp.op(AS_VIEW, grad, **attrs)
        res = self.fn.apply(view_grad, xp, as_tensor)
        out: list[Any] = [None]
        if self.next_functions[0][0] is not None:
            inner = res[0] if res[0] is not None else 0.0
            out[0] = xp.op(COPY_SLICES, grad, inner, **attrs)
        out.extend(res[1:])
        return out

    def free_saved(self) -> None:
        self.fn.free_saved()


def set_view_history(t: Tensor, base: Tensor, chain: Chain) -> None:
    """Give ``t`` the history of ``replay(base, chain)`` (an ``AsStridedBackward0``)."""
    attrs = {"chain": chain, "in_shape": tuple(base.shape)}
    if base._requires_grad:
        record(t, AS_VIEW, (base,), attrs)
        if t._retains_grad:
            t._grad_fn._retain = weakref.ref(t)
    else:
        t._grad_fn, t._requires_grad = None, False
        if base._record.op is not None:
            t._record = Record(AS_VIEW, (base,), attrs)
        else:
            t._record = NO_RECORD
    t._expr = None


def regenerate(base: Tensor) -> None:
    """Rebuild the history of every live view of ``base`` from the base's current one."""
    views = base._views
    if not views:
        return
    now = snapshot(base, copy=False)
    live = []
    for w in views:
        v = w()
        if v is not None and v._base is base:
            live.append(w)
            if v._requires_grad and v._grad_fn is None and not base._requires_grad:
                continue  # a view made a leaf by requires_grad_(): it keeps its own history
            set_view_history(v, now, v._view_fn)
    views[:] = live


def write_through_view(self: Tensor, op: OpDef, inputs: tuple, attrs: dict, out: np.ndarray,
                       track: bool, note: Any) -> Tensor:
    """``self.op_(...)`` where ``self`` is a view: write, bump, and rebase the base."""
    base, chain = self._base, self._view_fn
    # the base before the write: a leaf constant keeps its old values for formulas
    old_base = snapshot(base, copy=base._record.op is None and base._grad_fn is None)
    needs_self = track and "self" in op.saves
    old_view = Tensor._wrap(self._data.copy() if needs_self else self._data)
    set_view_history(old_view, old_base, chain)
    old_view._fw_tangent = self._fw_tangent  # forward AD through the saved old value
    np.copyto(self._data, out, casting="unsafe")
    self._vc.bump(note)
    new_value = Tensor.__new__(Tensor)
    _init(new_value, self._data, self._vc)
    operands = (old_view,) + tuple(inputs[1:])
    if track:
        record(new_value, op, operands, attrs)
        fn = new_value._grad_fn
        cs = CopySlices()
        cs._op, cs._saved = COPY_SLICES, {}  # informational: apply() is CopySlices' own
        cs._attrs = {"chain": chain, "in_shape": tuple(base.shape)}
        cs.fn, cs.chain, cs.in_shape = fn, chain, tuple(base.shape)
        first = base._grad_fn
        if first is None and base._requires_grad:
            first = base._accumulator()
        cs.next_functions = ((first, 0),) + tuple(fn.next_functions[1:])
        cs._meta = ((base._data.shape, base._data.dtype),) + tuple(fn._meta[1:])
        base._grad_fn = cs
        base._requires_grad = True
        if base._retains_grad:
            cs._retain = weakref.ref(base)
    else:  # history kept for formulas only (e.g. under no_grad)
        new_value._record = Record(op, operands, attrs)
    base._record = Record(COPY_SLICES, (old_base, new_value),
                          {"chain": chain, "in_shape": tuple(base.shape)})
    base._expr = None
    regenerate(base)
    return self


# ------------------------------------------------------------- forward mode
def forward_base(t: Tensor) -> tuple[Tensor, Chain] | None:
    """The tensor whose tangent ``t``'s tangent is a view of, and the chain from it.

    That is ``t``'s base, except for the results of ``make_dual`` and
    ``unpack_dual``: views of their input whose tangent is their own (``None``
    here), as in PyTorch; their views are forward views of them.
    """
    fv = t._fw_view
    if fv is None:
        return (t._base, t._view_fn) if t._view_fn is not None else None
    return fv or None


def _forward_views(root: Tensor) -> list[tuple[Tensor, Chain]]:
    out = []
    for w in root._views or ():
        v = w()
        if v is not None and forward_base(v) is not None:
            b, chain = forward_base(v)
            if b is root:
                out.append((v, chain))
    return out


def write_tangents(t: Tensor, op: OpDef, old: Tensor, inputs: tuple, attrs: dict) -> None:
    """After ``t.op_(...)`` under forward AD: the new tangent of ``t`` goes into its
    forward base's tangent (``copy_slices``, zeros if it had none), and every live
    forward view of that base gets the matching view of it, as PyTorch's views of
    a dual tensor do. ``old`` is ``t``'s value before the write, with its tangents.

    >>> import symgrad as sg
    >>> fwAD = sg.autograd.forward_ad
    >>> with fwAD.dual_level():
    ...     x = sg.zeros(3)
    ...     _ = x[1:].add_(fwAD.make_dual(sg.tensor([1., 2.]), sg.tensor([3., 4.])))
    ...     fwAD.unpack_dual(x).tangent
    tensor([0., 3., 4.])
    """
    new_value = Tensor._wrap(t._data)
    forward_ad.hook(new_value, op, (old,) + tuple(inputs[1:]), attrs)
    tangents = new_value._fw_tangent
    if not tangents:
        return
    fb = forward_base(t)
    root, chain = (t, None) if fb is None else fb
    views = _forward_views(root)
    for lid, tangent in tangents.items():
        if chain is not None:
            zero = forward_ad.tangent_of(root, lid)
            if zero is None:
                zero = Tensor._wrap(np.zeros_like(root._data))
            tangent = forward_ad.linear_tangent(COPY_SLICES, (zero, tangent), lid,
                                                chain=chain, in_shape=tuple(root.shape))
        root._fw_tangent = {**(root._fw_tangent or {}), lid: tangent}
        for v, vchain in views:
            v._fw_tangent = {**(v._fw_tangent or {}), lid: forward_ad.linear_tangent(
                AS_VIEW, (tangent,), lid, chain=vchain, in_shape=tuple(root.shape))}
