"""Running an op: the NumPy forward, the tape node and the symbolic record.

``apply`` is the hot path of the eager engine: it runs the op's NumPy
forward, and only when an input requires grad (and grad mode is on) builds
the ``grad_fn`` node and saves what the op's entry says to save.
``apply_inplace`` does the same for ``x.op_(...)`` and bumps the version
counter of the storage it writes.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..ops.record import Record
from ..ops.registry import NONDIFF, VIEW, OpDef
from ..tape.grad_mode import STATE
from ..tape.saved import SavedTensor
from ..tape.storage import VersionCounter
from . import culprit as _culprit
from . import views as _views
from .inference import STATE as INFERENCE
from .taping import record, record_inputs, snapshot
from .tensor import Tensor, _init

_BY_NP = {d.np_dtype: d for d in dtypes.ALL}

try:  # ``np.errstate(all="ignore")`` without building a context manager per op
    from numpy._core._ufunc_config import _extobj_contextvar as _ERRSTATE
    from numpy._core._ufunc_config import _make_extobj
    _QUIET = _make_extobj(all="ignore")
except ImportError:  # pragma: no cover - other NumPy versions
    _ERRSTATE, _QUIET = None, None


def result_dtype(op: OpDef, inputs: tuple, attrs: dict) -> dtypes.DType:
    """The dtype of ``op``'s result under PyTorch's promotion rules."""
    rule = op.dtype_rule
    if rule == "bool":
        return dtypes.bool_
    if rule == "attr":
        return attrs["dtype"]
    # fast path: valued tensors of one floating dtype, with Python ints/floats
    same = None
    for x in inputs:
        if isinstance(x, Tensor):
            data = x._data
            if data is None:
                break
            dt = data.dtype
            if same is None:
                same = dt
            elif dt != same:
                break
        elif type(x) is not float and type(x) is not int:
            break
    else:
        if same is not None and same.kind == "f":
            return _BY_NP[same]
    first = None
    dims: list[dtypes.DType] = []
    zerodims: list[dtypes.DType] = []
    scalars: list[Any] = []
    for x in inputs:
        if isinstance(x, Tensor):
            d = _BY_NP[x._data.dtype] if x._data is not None else x._sym_dtype
            if first is None:
                first = d
            (dims if (x._data.ndim if x._data is not None else len(x.shape)) else zerodims).append(d)
        else:
            scalars.append(x)
    if rule == "same":
        return first if first is not None else dtypes.result_type([], [], scalars)
    if rule == "sum":  # sum and prod of bools and integers are int64 (torch.sum's rule)
        return first if first is not None and first.is_floating_point else dtypes.int64
    if rule == "where":  # the condition does not promote
        dims, zerodims = dims[1:] if dims and dims[0] is dtypes.bool_ else dims, zerodims
    out = dtypes.result_type(dims, zerodims, scalars)
    if (rule == "float" or rule == "true_divide") and not out.is_floating_point:
        out = dtypes.get_default_dtype()
    return out


def _forward(op: OpDef, inputs: tuple, attrs: dict) -> np.ndarray:
    arrays = [x._data if isinstance(x, Tensor) else x for x in inputs]
    if not attrs and len(arrays) <= 2 and _ERRSTATE is not None:  # the common case, lean
        token = _ERRSTATE.set(_QUIET)
        try:
            return op.forward(*arrays)
        except ValueError:
            pass  # report it below, with PyTorch's message
        finally:
            _ERRSTATE.reset(token)
    try:
        token = _ERRSTATE.set(_QUIET) if _ERRSTATE is not None else None
        try:
            if token is None:
                with np.errstate(all="ignore"):
                    out = op.forward(*arrays, **attrs)
            else:
                out = op.forward(*arrays, **attrs)
        finally:
            if token is not None:
                _ERRSTATE.reset(token)
    except ValueError as exc:
        shapes = [np.shape(a) for a in arrays]
        if "broadcast" in str(exc) and len(shapes) >= 2:
            raise RuntimeError(errors.size_mismatch(shapes[0], shapes[1], 0)) from None
        raise RuntimeError(f"{op.name}: {exc}") from None
    return out


def apply(op: OpDef, inputs: tuple, attrs: dict) -> Tensor:
    """Run ``op`` on ``inputs`` (tensors and Python numbers) and record it."""
    symbolic = False
    rg = False
    for x in inputs:
        if isinstance(x, Tensor):
            if x._data is None:
                symbolic = True
            if x._requires_grad:
                rg = True
    dtype = result_dtype(op, inputs, attrs)
    if symbolic:
        return _symbolic(op, inputs, attrs, dtype, rg)
    out = _forward(op, inputs, attrs)
    want = dtype.np_dtype
    if type(out) is not np.ndarray or out.dtype != want:
        out = np.asarray(out).astype(want, copy=False)
    r = Tensor.__new__(Tensor)
    if op.kind == VIEW:
        _init(r, out, inputs[0]._vc)
        _views.link(r, inputs[0], op, attrs)
    else:
        _init(r, out, VersionCounter())
    if rg and STATE.enabled and op.kind != NONDIFF:
        record(r, op, inputs, attrs)
    if _FORWARD_AD.active:
        _FORWARD_AD.hook(r, op, inputs, attrs)
    return r


class _ForwardAD:
    """Set by the forward-mode engine while dual tensors are alive."""

    active = False
    hook: Any = None


_FORWARD_AD = _ForwardAD()
FORWARD_AD_FLAGS = _FORWARD_AD  # set by the forward-mode engine (see symgrad.eager)


def _symbolic(op: OpDef, inputs: tuple, attrs: dict, dtype: dtypes.DType, rg: bool) -> Tensor:
    """A value-less result: only the record, for formulas."""
    r = Tensor.__new__(Tensor)
    _init(r, None, VersionCounter())
    r._sym_dtype = dtype
    r._requires_grad = rg and op.kind != NONDIFF
    r._record = Record(op, inputs, attrs)
    from ..symbolic.build import check_shape  # value-less tensors: SymPy is loaded already
    check_shape(r)  # bad shapes fail here, at the op, with PyTorch's message
    return r


def _dense(a: np.ndarray) -> bool:
    """PyTorch's ``is_non_overlapping_and_dense``: the elements fill a block of
    memory exactly, in some order of the axes."""
    dims = sorted((abs(st), n) for st, n in zip(a.strides, a.shape) if n != 1)
    expected = a.itemsize
    for st, n in dims:
        if st != expected:
            return False
        expected *= n
    return True


def _partial_overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """PyTorch's ``get_overlap_status(...) == Partial`` (``assert_no_partial_overlap``
    of an in-place op's output and an input): two dense arrays of the same memory whose
    byte ranges meet, unless they are the very same view."""
    if a.size == 0 or b.size == 0 or not np.may_share_memory(a, b):
        return False
    if not (_dense(a) and _dense(b)):
        return False  # PyTorch's "too hard": not checked
    a0 = a.__array_interface__["data"][0] + sum(min(0, st) * (n - 1)
                                                for st, n in zip(a.strides, a.shape))
    b0 = b.__array_interface__["data"][0] + sum(min(0, st) * (n - 1)
                                                for st, n in zip(b.strides, b.shape))
    a1, b1 = a0 + a.size * a.itemsize, b0 + b.size * b.itemsize
    if a0 == b0 and a1 == b1:
        return a.strides != b.strides
    return a0 < b1 and b0 < a1


def _saved_before_write(self: Tensor, old: Any) -> None:
    """An input that shares ``self``'s version counter (``b.mul_(b)``, a view of ``b``)
    was saved before the write, as PyTorch saves it: its saved version is the one
    before this op's bump, so backward finds it modified, as PyTorch does."""
    vc = self._vc
    for sv in self._grad_fn._saved.values():
        if type(sv) is SavedTensor and sv.vc is vc and sv.tensor is not old \
                and sv.tensor is not None and sv.grad_fn_name is None:
            sv.version = vc.version - 1


def apply_inplace(self: Tensor, op: OpDef, inputs: tuple, attrs: dict, method: str) -> Tensor:
    """``self.method(...)``: write ``op(self, ...)`` into ``self`` and bump its version."""
    enabled = STATE.enabled
    if self._inference and not INFERENCE.enabled:
        raise RuntimeError(errors.INFERENCE_INPLACE)
    if enabled and self._requires_grad and self._grad_fn is None and \
            (self._data is not None or self._record.op is None):  # value-less results are not leaves
        raise RuntimeError(errors.LEAF_INPLACE)
    rg = any(isinstance(x, Tensor) and x._requires_grad for x in inputs)
    base = self._base
    if enabled and base is not None:
        meta = self._creation_meta
        if meta is not None and (rg or base._requires_grad):
            raise RuntimeError(_views.creation_meta_error(self))
        if base._requires_grad and base._grad_fn is None:
            raise RuntimeError(errors.VIEW_OF_LEAF_INPLACE)
    track = rg and enabled and op.kind != NONDIFF
    keep_record = track or self._record.op is not None
    dtype = result_dtype(op, inputs, attrs)
    if self._data is None:
        old = snapshot(self, copy=False)
        r = _symbolic(op, (old,) + tuple(inputs[1:]), attrs, self.dtype, rg)
        self._record = r._record
        self._expr = None
        self._requires_grad = self._requires_grad or r._requires_grad
        return self
    mine = self.dtype
    if dtype.category > mine.category:
        raise RuntimeError(errors.inplace_dtype(_scalar_type_name(dtype), _scalar_type_name(mine)))
    out = np.asarray(_forward(op, inputs, attrs))
    if out.shape != self._data.shape:
        try:
            np.broadcast_to(out, self._data.shape)
        except ValueError:
            raise RuntimeError(errors.inplace_result_shape(out.shape, self._data.shape)) from None
    if not self._data.flags.writeable:
        raise RuntimeError(errors.INPLACE_OVERLAP)
    for x in inputs[1:]:
        if isinstance(x, Tensor) and x._data is not None and _partial_overlap(self._data, x._data):
            raise RuntimeError(errors.INPLACE_PARTIAL_OVERLAP)
    fw_old = None
    if _FORWARD_AD.active and any(getattr(x, "_fw_tangent", None) for x in inputs):
        fw_old = Tensor._wrap(self._data.copy())  # the primal before the write, for the JVP
        fw_old._fw_tangent = self._fw_tangent
    if base is not None and self._view_fn is not None and (track or base._record.op is not None):
        self._expr = None
        _views.write_through_view(self, op, inputs, attrs, out, track,
                                  _culprit.note_for(self, method))
        if fw_old is not None:
            _views.write_tangents(self, op, fw_old, inputs, attrs)
        return self
    old = None
    if keep_record:
        needs_self_value = track and "self" in op.saves
        old = snapshot(self, copy=needs_self_value)
    np.copyto(self._data, out, casting="unsafe")
    if fw_old is not None:
        _views.write_tangents(self, op, fw_old, inputs, attrs)
    self._expr = None
    self._vc.bump(_culprit.note_for(self, method))
    if self._grad_owner is not None:
        owner = self._grad_owner()
        if owner is not None:
            owner._grad_events = [] if method == "zero_" else None
    if track:
        record(self, op, (old,) + tuple(inputs[1:]), attrs)
        _saved_before_write(self, old)
    elif keep_record:
        self._record = Record(op, record_inputs((old,) + tuple(inputs[1:]), Tensor), attrs)
    if self._retains_grad and self._grad_fn is not None:
        self._grad_fn._retain = weakref.ref(self)
    root = base if base is not None else self
    if root._views:
        _views.regenerate(root)
    return self


def _scalar_type_name(d: dtypes.DType) -> str:
    return {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}[d.name]
