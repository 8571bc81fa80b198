"""``S``: the symbolic namespace the op table's ``sym`` lambdas are written against.

``OPS[name].sym(S, *args, **attrs)`` gets the SymPy expressions of the
inputs wrapped in :class:`~symgrad.symbolic.algebra.E` (so Python operators
build cheap unevaluated nodes) and returns the op's formula.

Every elementwise function is there without a line of its own: ``S.<name>``
applies the function :func:`~symgrad.symbolic.elementwise.lookup` finds
(symgrad's ``sigmoid``, ``relu``... or SymPy's ``asinh``, ``erf``...) to its
arguments. The methods below are the ops that need more than that (shapes,
attributes, axes). A name ``S`` lacks raises ``NotImplementedError`` naming it.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.ops import OPS
>>> a = E(TensorSymbol("a", (3,)))
>>> OPS["sigmoid"].sym(S, a).x, OPS["mul"].sym(S, a, a).x, OPS["sum"].sym(S, a).x
(sigmoid(a), a**2, sum(a))
>>> S.asinh(a).x, S.maximum(a, 0).x
(asinh(a), maximum(a, 0))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import sympy

from . import nodes as N
from .algebra import E, call, intern, unwrap
from .elementwise import lookup
from .shapes import shape_of
from .symbols import TensorConstant, as_number


def _x(v: Any) -> sympy.Expr:
    return as_number(unwrap(v))


def _dim(dim: int | None, x: sympy.Expr) -> int | None:
    """A non-negative axis (``None`` for a 0-d tensor: the whole of it)."""
    r = len(shape_of(x))
    return None if dim is None or r == 0 else int(dim) % r


def _applier(f: type[sympy.Function], name: str) -> Any:
    """``S.<name>``: ``f`` applied to the (wrapped) arguments, unevaluated."""
    def fn(*xs: Any) -> E:
        if len(xs) == 1 and type(xs[0]) is E:  # f(x): the commonest
            return E(call(f, xs[0].x))
        return E(call(f, *[x.x if type(x) is E else _x(x) for x in xs]))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"``{name}(...)``, elementwise: ``{f.__module__}.{f.__name__}``."
    return fn


class _Namespace:
    """The functions ``sym`` rules call; each returns an :class:`E`."""

    @staticmethod
    def sqrt(x: Any) -> E:
        return E(x) ** sympy.Rational(1, 2)

    @staticmethod
    def clamp(x: Any, min: Any = None, max: Any = None) -> E:
        lo = -sympy.oo if min is None else as_number(min)
        hi = sympy.oo if max is None else as_number(max)
        return E(call(N.Clamp, _x(x), lo, hi))

    @staticmethod
    def compare(name: str, *xs: Any) -> E:
        return E(N.compare(name, *[_x(v) for v in xs]))

    # ------------------------------------------------------------ reductions
    @staticmethod
    def sum(x: Any, dim: Any = None, keepdim: bool = False) -> E:
        return E(N.SumOver.make(_x(x), dim, keepdim))

    @staticmethod
    def mean(x: Any, dim: Any = None, keepdim: bool = False) -> E:
        return E(N.MeanOver.make(_x(x), dim, keepdim))

    @staticmethod
    def prod(x: Any, dim: Any = None, keepdim: bool = False) -> E:
        return E(N.ProdOver.make(_x(x), dim, keepdim))

    @staticmethod
    def amax(x: Any, dim: Any = None, keepdim: bool = False) -> E:
        return E(N.AmaxOver.make(_x(x), dim, keepdim))

    @staticmethod
    def amin(x: Any, dim: Any = None, keepdim: bool = False) -> E:
        return E(N.AminOver.make(_x(x), dim, keepdim))

    @staticmethod
    def logsumexp(x: Any, dim: Any = None, keepdim: bool = False) -> E:
        return E(N.LogSumExp.make(_x(x), dim, keepdim))

    @staticmethod
    def softmax(x: Any, dim: int | None) -> E:
        x = _x(x)
        return E(N.Softmax.new(x, _dim(dim, x)))

    @staticmethod
    def log_softmax(x: Any, dim: int | None) -> E:
        x = _x(x)
        return E(N.LogSoftmax.new(x, _dim(dim, x)))

    # --------------------------------------------------------- linear algebra
    @staticmethod
    def matmul(x: Any, y: Any) -> E:
        return E(N.matprod(_x(x), _x(y)))

    @staticmethod
    def constant(name: str, value: Any) -> E:
        """A named constant array (a loss's class weights)."""
        return E(intern(TensorConstant(name, np.asarray(value))))

    @staticmethod
    def one_hot(labels: Any, classes: int, dim: int) -> E:
        return E(N.OneHot.new(_x(labels), int(classes), int(dim)))

    # ------------------------------------------------- matrix functions (nodes_matfun)
    @staticmethod
    def trace(x: Any) -> E:
        return E(N.Trace.new(_x(x)))

    @staticmethod
    def det(x: Any) -> E:
        return E(N.Det.new(_x(x)))

    @staticmethod
    def logdet(x: Any) -> E:
        return E(N.LogDet.new(_x(x)))

    @staticmethod
    def logabsdet(x: Any) -> E:
        return E(N.LogAbsDet.new(_x(x)))

    @staticmethod
    def inverse(x: Any) -> E:
        return E(N.Inverse.new(_x(x)))

    @staticmethod
    def solve(a: Any, b: Any) -> E:
        return E(N.Solve.new(_x(a), _x(b)))

    @staticmethod
    def svdvals(x: Any) -> E:
        return E(N.SVals.new(_x(x)))

    @staticmethod
    def outer(a: Any, b: Any) -> E:
        return E(N.Outer.new(_x(a), _x(b)))

    @staticmethod
    def kron(a: Any, b: Any) -> E:
        return E(N.Kron.new(_x(a), _x(b)))

    @staticmethod
    def diagonal(x: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> E:
        return E(N.Diagonal.new(_x(x), int(offset), int(dim1), int(dim2)))

    @staticmethod
    def diag_embed(v: Any, offset: int, dim1: int, dim2: int, rows: Any, cols: Any) -> E:
        v = _x(v)
        if offset == 0 and (dim1, dim2) == (0, 1) and len(shape_of(v)) == 1:
            return E(N.Diag.new(v, shape_of(v)))  # a vector's diag(v)
        return E(N.DiagEmbed.new(v, int(offset), int(dim1), int(dim2), rows, cols))

    # ------------------------------------------------------------------ shape
    @staticmethod
    def reshape(x: Any, shape: Sequence[int]) -> E:
        return E(N.Reshape.new(_x(x), tuple(None if s is None else int(s) for s in shape)))

    @staticmethod
    def permute(x: Any, dims: Sequence[int]) -> E:
        return E(N.Permute.new(_x(x), tuple(int(d) for d in dims)))

    @staticmethod
    def unsqueeze(x: Any, dim: int) -> E:
        x = _x(x)
        return E(N.Unsqueeze.new(x, (int(dim) % (len(shape_of(x)) + 1),)))

    @staticmethod
    def squeeze(x: Any, dim: int | None = None) -> E:
        x = _x(x)
        shp = shape_of(x)
        if dim is None:
            dims = tuple(i for i, n in enumerate(shp) if n == 1)
        else:
            d = int(dim) % max(len(shp), 1)
            dims = (d,) if shp and shp[d] == 1 else ()
        return E(N.Squeeze.new(x, dims)) if dims else E(x)

    @staticmethod
    def expand(x: Any, shape: Sequence[int]) -> E:
        return E(N.BroadcastTo.new(_x(x), tuple(shape)))

    @staticmethod
    def sum_to(x: Any, shape: Sequence[int]) -> E:
        x = _x(x)
        return E(x if shape_of(x) == tuple(shape) else N.SumTo.new(x, tuple(shape)))

    @staticmethod
    def zeros(shape: Sequence[int]) -> E:
        return E(N.BroadcastTo.new(0, tuple(shape)))

    @staticmethod
    def zeros_like(x: Any) -> E:
        return E(N.ZerosLike.new(_x(x)))

    @staticmethod
    def full_like(x: Any, value: Any) -> E:
        return E(N.FullLike.new(_x(x), value))

    @staticmethod
    def copy_to(x: Any, src: Any) -> E:
        return E(N.CopyTo.new(_x(x), _x(src)))

    # --------------------------------------------------------------- indexing
    @staticmethod
    def index(x: Any, key: Any) -> E:
        return E(N.Index.new(_x(x), N.norm_key(key)))

    @staticmethod
    def index_put(x: Any, key: Any, value: Any, accumulate: bool = False) -> E:
        return E(N.IndexPut.new(_x(x), _x(value), N.norm_key(key), bool(accumulate)))

    @staticmethod
    def cat(xs: Sequence[Any], dim: int = 0) -> E:
        xs = [_x(v) for v in xs]
        return E(N.Cat.new(*xs, int(dim) % max(len(shape_of(xs[0])), 1)))

    @staticmethod
    def stack(xs: Sequence[Any], dim: int = 0) -> E:
        xs = [_x(v) for v in xs]
        return E(N.Stack.new(*xs, int(dim) % (len(shape_of(xs[0])) + 1)))

    @staticmethod
    def gather(x: Any, dim: int, index: Any) -> E:
        x = _x(x)
        idx = np.asarray(getattr(index, "_data", index))
        return E(N.Gather.new(x, int(dim) % max(len(shape_of(x)), 1), idx))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        f = lookup(name)
        if f is not None:
            fn = _applier(f, name)
            setattr(self, name, fn)  # found once; later lookups are plain attributes
            return fn
        raise NotImplementedError(f"the symbolic namespace has no {name!r}: op uses "
                                  f"S.{name}, which symgrad.symbolic does not implement yet")


S = _Namespace()
