"""``symgrad.Tensor``: a NumPy value, its place on the tape, and the record
from which its SymPy tree is built on demand.

>>> import symgrad as sg
>>> a = sg.tensor([1., 2., 3.], requires_grad=True)
>>> y = (a * a).sum()
>>> y
tensor(14., grad_fn=<SumBackward0>)
>>> y.backward(); a.grad
tensor([2., 4., 6.])
"""

from __future__ import annotations

import itertools
import weakref
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..ops.record import NO_RECORD, Record
from ..tape.forward_ad import tangents_for_repr
from ..tape.grad_mode import STATE
from ..tape.storage import VersionCounter
from . import formatting
from .autograd_methods import RemovableHandle, TensorAutograd  # noqa: F401
from .device import CPU, check_device
from .inference import STATE as _INFERENCE

_names = itertools.count()
_given_names: set[str] = set()  # user-given names of the auto form `t<n>`, never auto-assigned


def _note_name(name: Any) -> None:
    """Remember a user-given name like ``t0`` so that no auto name repeats it."""
    if isinstance(name, str) and name[:1] == "t" and name[1:].isdigit():
        _given_names.add(name)


class Size(tuple):
    """``torch.Size``: a tuple that prints as ``torch.Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def numel(self) -> int:
        return int(np.prod(self)) if self else 1


class Tensor(TensorAutograd):
    """A tensor with PyTorch's autograd semantics and a symbolic formula.

    The autograd properties and methods (``requires_grad``, ``grad``, ``data``,
    ``backward``, ``detach``, ``register_hook``...) come from
    :class:`~symgrad.eager.autograd_methods.TensorAutograd`.
    """

    __slots__ = ("_data", "_vc", "_requires_grad", "_grad_fn", "_grad", "_name", "_record",
                 "_base", "_hooks", "_accumulate", "_sym_shape",
                 "_sym_dtype", "_expr", "_grad_events", "_grad_owner", "_fw_tangent",
                 "_retains_grad", "_view_fn", "_views", "_ghost", "_creation_meta", "_fw_view",
                 "_inference", "__weakref__")

    __hash__ = object.__hash__
    # NumPy defers ``np.float64(2) * t`` to ``t.__rmul__`` (a tensor, on the tape), as
    # for torch.Tensor; ``np.exp(t)`` still goes through ``__array__``
    __array_priority__ = 1000

    def __init__(self, *args: Any, dtype: Any = None, requires_grad: bool = False,
                 name: str | None = None, device: Any = None) -> None:
        """``torch.Tensor(data)`` (default float dtype), ``torch.Tensor(2, 3)`` (sizes) or
        ``torch.Tensor()`` (empty), as PyTorch's legacy constructor; ``dtype=`` keeps
        ``data``'s own type unless given (symgrad's internal use)."""
        check_device(device)
        if len(args) == 1 and isinstance(args[0], Tensor) and dtype is None:
            _init(self, args[0]._value(), args[0]._vc)  # an alias, as in PyTorch
        else:
            _init(self, legacy_array(args, dtype), VersionCounter())
        _init_leaf(self, requires_grad, name)

    @classmethod
    def _from_data(cls, data: Any, dtype: Any = None) -> Tensor:
        """A new tensor holding a copy of ``data``, its dtype inferred as ``sg.tensor`` does."""
        return cls._wrap(_to_array(data, dtype))

    # ------------------------------------------------------------ construction
    @classmethod
    def _wrap(cls, arr: np.ndarray, vc: VersionCounter | None = None) -> Tensor:
        t = cls.__new__(cls)
        _init(t, arr, VersionCounter() if vc is None else vc)
        return t

    # -------------------------------------------------------------- properties
    @property
    def shape(self) -> Size:
        if self._data is not None:
            return Size(self._data.shape)
        if self._sym_shape is None:
            from ..symbolic.build import shape_of
            self._sym_shape = tuple(shape_of(self))
        return Size(self._sym_shape)

    def size(self, dim: int | None = None) -> Any:
        s = self.shape
        if dim is None:
            return s
        return s[_wrap_dim(dim, len(s))]

    @property
    def dtype(self) -> dtypes.DType:
        if self._data is not None:
            return dtypes.from_numpy_dtype(self._data.dtype)
        return self._sym_dtype

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def dim(self) -> int:
        return self.ndim

    def numel(self) -> int:
        return int(np.prod(self.shape)) if self.ndim else 1

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    @property
    def device(self) -> Any:
        """Always ``device(type='cpu')``: symgrad computes on the CPU."""
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def _version(self) -> int:
        if self._inference:
            raise RuntimeError(errors.INFERENCE_VERSION)
        return self._vc.version

    def is_inference(self) -> bool:
        """Whether this tensor was created in ``inference_mode``."""
        return self._inference

    @property
    def name(self) -> str:
        """The symbol name of this tensor in formulas (``t0``, ``t1``... unless given)."""
        if self._name is None:
            twin = self._ghost
            if type(twin) is weakref.ref:  # a ghost: named as its tensor is
                real = twin()
                if real is not None:
                    self._name = real.name
                    return self._name
            self._name = f"t{next(_names)}"
            while self._name in _given_names:
                self._name = f"t{next(_names)}"
            if twin is not None and type(twin) is not weakref.ref:
                twin._name = self._name
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        _note_name(value)
        self._name = value
        twin = self._ghost
        if twin is not None and type(twin) is not weakref.ref:
            twin._name = value

    @property
    def T(self) -> Tensor:
        return self.permute(*reversed(range(self.ndim)))

    @property
    def mT(self) -> Tensor:
        return self.transpose(-2, -1)

    # ------------------------------------------------------------- conversion
    def numpy(self) -> np.ndarray:
        """The NumPy array behind this tensor (shares memory)."""
        if self._requires_grad and STATE.enabled:  # allowed under no_grad, as in PyTorch
            raise RuntimeError(errors.NUMPY_REQUIRES_GRAD)
        return self._value()

    def item(self) -> Any:
        v = self._value()
        if v.size != 1:
            raise RuntimeError(errors.ITEM_NUMEL.format(n=v.size))
        return v.reshape(()).item()

    def tolist(self) -> Any:
        return self._value().tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __bool__(self) -> bool:
        v = self._value()
        if v.size != 1:
            raise RuntimeError(errors.BOOL_AMBIGUOUS)
        return bool(v.reshape(()).item())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        v = self._value()
        return v if dtype is None else v.astype(dtype)

    def _value(self) -> np.ndarray:
        if self._data is None:
            raise RuntimeError(errors.SYMBOLIC_NO_VALUE.format(name=self.name))
        return self._data

    # ------------------------------------------------------------------- repr
    def __repr__(self) -> str:
        prefix = "tensor("
        indent = len(prefix)
        if self._data is None:
            return (f"tensor(<symbolic {self.name}: {self.expr}>"
                    + (", requires_grad=True)" if self._requires_grad else ")"))
        arr = self._data
        suffixes: list[str] = []
        dt = dtypes.from_numpy_dtype(arr.dtype)
        default = dt in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool_)
        if arr.size == 0:
            if arr.ndim != 1:
                suffixes.append(f"size={tuple(arr.shape)}")
            if dt != dtypes.get_default_dtype():
                suffixes.append(f"dtype={dt!r}")
            body = "[]"
        else:
            if not default:
                suffixes.append(f"dtype={dt!r}")
            body = formatting.format_array(arr, indent)
        if self._grad_fn is not None:
            suffixes.append(f"grad_fn=<{type(self._grad_fn).__name__}>")
        elif self._requires_grad:
            suffixes.append("requires_grad=True")
        if self._fw_tangent:
            tangent = tangents_for_repr(self)
            if tangent is not None:
                suffixes.append(f"tangent={tangent!r}")
        return formatting.add_suffixes(prefix + body, suffixes, indent)

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        # as PyTorch: a plain 0-dim tensor formats its item; others take no format spec
        # (TypeError: unsupported format string passed to Tensor.__format__)
        if self.ndim == 0 and self._data is not None and type(self) is Tensor:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    # ---------------------------------------------------------------- symbolic
    @property
    def record(self) -> Record:
        """How this tensor was made: ``Record(op, inputs, attrs)`` (``NO_RECORD`` for a leaf)."""
        return self._record

    @property
    def expr(self) -> Any:
        """The SymPy expression of this tensor, over symbols of its leaves."""
        from ..symbolic.build import expr_of
        return expr_of(self)

    @property
    def grad_formula(self) -> Any:
        """The symbolic gradient accumulated into this leaf, mirroring ``.grad``."""
        from ..symbolic.build import grad_formula_of
        return grad_formula_of(self)


def _init(t: Tensor, arr: np.ndarray | None, vc: VersionCounter) -> None:
    t._data = arr
    t._vc = vc
    t._requires_grad = False
    t._grad_fn = None
    t._grad = None
    t._name = None
    t._record = NO_RECORD
    t._base = None
    t._hooks = None
    t._accumulate = None
    t._sym_shape = None
    t._sym_dtype = None
    t._expr = None
    t._grad_events = None
    t._grad_owner = None
    t._fw_tangent = None
    t._retains_grad = False
    t._view_fn = None  # views: the (op name, attrs) chain from _base to this tensor
    t._views = None    # bases: weak references to the views taken of this tensor
    t._ghost = None    # intermediates: their ghost (see ghost_of); ghosts: a weakref back
    t._creation_meta = None  # views: None, or how they were made (views.NO_GRAD_MODE, ...)
    t._fw_view = None  # forward AD (see views.forward_base): None, () or (base, chain)
    t._inference = _INFERENCE.enabled  # created in inference_mode (see .inference)


def _init_leaf(t: Tensor, requires_grad: bool, name: str | None) -> None:
    """Give a new leaf its symbol ``name`` and ``requires_grad`` (floating point only)."""
    if name is not None:
        _note_name(name)
        t._name = name
    t._set_requires_grad(requires_grad, errors.ONLY_FLOAT_REQUIRES_GRAD)


def _wrap_dim(dim: int, ndim: int) -> int:
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(errors.dim_out_of_range(dim, ndim))
    return dim % n


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    """NumPy array for ``sg.tensor(data)``, with PyTorch's dtype inference."""
    if isinstance(data, Tensor):
        data = data._value()
    want = None if dtype is None else dtypes.as_dtype(dtype)
    if isinstance(data, np.ndarray):
        arr = np.array(data, copy=True)
        if want is None:
            dtypes.from_numpy_dtype(arr.dtype)  # validates
    else:
        try:
            arr = np.array(data)
        except ValueError as exc:
            raise ValueError(_ragged_message(data) or str(exc)) from None
        if arr.dtype == object or arr.dtype.kind in "USV":
            raise TypeError(f"new(): invalid data type '{type(data).__name__}'; expected numbers, "
                            "nested lists of numbers, a NumPy array or a tensor")
        if want is None:
            kind = arr.dtype.kind
            want = (dtypes.get_default_dtype() if kind == "f" else dtypes.int64 if kind in "iu"
                    else dtypes.bool_ if kind == "b" else None)
            if want is None:
                raise TypeError(f"unsupported data of NumPy kind {arr.dtype}")
    if want is not None and arr.dtype != want.np_dtype:
        arr = arr.astype(want.np_dtype)
    return arr


def legacy_array(args: tuple, dtype: Any = None) -> np.ndarray:
    """The array of ``torch.Tensor(*args)``: data (as the default float dtype unless ``dtype``),
    sizes, or nothing (an empty tensor).

    >>> legacy_array(([0, 0, 0],)).dtype, legacy_array((2, 3)).shape, legacy_array(()).shape
    (dtype('float32'), (2, 3), (0,))
    """
    want = dtypes.as_dtype(dtype) if dtype is not None else dtypes.get_default_dtype()
    if not args:
        return np.zeros((0,), dtype=want.np_dtype)
    if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
        if any(a < 0 for a in args):
            raise RuntimeError(f"Trying to create tensor with negative dimension {min(args)}: "
                               f"{list(args)}")
        return np.zeros(tuple(int(a) for a in args), dtype=want.np_dtype)
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray, Tensor)):
        return _to_array(args[0], want if dtype is None else dtype)
    if len(args) == 1 and isinstance(args[0], str):
        raise TypeError(f"new(): invalid data type '{type(args[0]).__name__}'")
    if len(args) == 1:
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    raise TypeError(f"new() received an invalid combination of arguments - got "
                    f"({', '.join(type(a).__name__ for a in args)})")


def _ragged_message(data: Any) -> str | None:
    """PyTorch's message for nested lists of unequal lengths (breadth first)."""
    level, dim = [data], 0
    while level and all(isinstance(x, (list, tuple)) for x in level):
        n = len(level[0])
        for x in level:
            if len(x) != n:
                return errors.ragged(n, dim, len(x))
        level, dim = [y for x in level for y in x], dim + 1
    return None
