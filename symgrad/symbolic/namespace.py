"""``S``: the symbolic namespace the op table's ``sym`` lambdas are written against.

``OPS[name].sym(S, *args, **attrs)`` gets the SymPy expressions of the
inputs wrapped in :class:`~symgrad.symbolic.algebra.E` (so Python operators
build cheap unevaluated nodes) and returns the op's formula. A name ``S``
lacks raises ``NotImplementedError`` naming it.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.ops import OPS
>>> a = E(TensorSymbol("a", (3,)))
>>> OPS["sigmoid"].sym(S, a).x, OPS["mul"].sym(S, a, a).x, OPS["sum"].sym(S, a).x
(sigmoid(a), a**2, sum(a))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from . import nodes as N
from .algebra import E, call, unwrap
from .shapes import shape_of
from .symbols import as_number


def _x(v: Any) -> sympy.Expr:
    return as_number(unwrap(v))


def _dim(dim: int | None, x: sympy.Expr) -> int | None:
    """A non-negative axis (``None`` for a 0-d tensor: the whole of it)."""
    r = len(shape_of(x))
    return None if dim is None or r == 0 else int(dim) % r


def _unary(f: Any) -> Any:
    def fn(x: Any) -> E:
        return E(call(f, _x(x)))
    fn.__name__ = getattr(f, "__name__", "f")
    return fn


class _Namespace:
    """The functions ``sym`` rules call; each returns an :class:`E`."""

    exp = staticmethod(_unary(sympy.exp))
    log = staticmethod(_unary(sympy.log))
    sin = staticmethod(_unary(sympy.sin))
    cos = staticmethod(_unary(sympy.cos))
    tan = staticmethod(_unary(sympy.tan))
    tanh = staticmethod(_unary(sympy.tanh))
    sigmoid = staticmethod(_unary(N.Sigmoid))
    relu = staticmethod(_unary(N.Relu))
    abs = staticmethod(_unary(N.Absolute))
    sign = staticmethod(_unary(N.Sign))
    detach = staticmethod(_unary(N.Detach))

    @staticmethod
    def sqrt(x: Any) -> E:
        return E(x) ** sympy.Rational(1, 2)

    @staticmethod
    def clamp(x: Any, min: Any = None, max: Any = None) -> E:
        lo = -sympy.oo if min is None else as_number(min)
        hi = sympy.oo if max is None else as_number(max)
        return E(call(N.Clamp, _x(x), lo, hi))

    @staticmethod
    def maximum(x: Any, y: Any) -> E:
        return E(call(N.Maximum, _x(x), _x(y)))

    @staticmethod
    def minimum(x: Any, y: Any) -> E:
        return E(call(N.Minimum, _x(x), _x(y)))

    @staticmethod
    def where(c: Any, x: Any, y: Any) -> E:
        return E(call(N.Where, _x(c), _x(x), _x(y)))

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
        import numpy as np
        x = _x(x)
        idx = np.asarray(getattr(index, "_data", index))
        return E(N.Gather.new(x, int(dim) % max(len(shape_of(x)), 1), idx))

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotImplementedError(f"the symbolic namespace has no {name!r}: op uses "
                                  f"S.{name}, which symgrad.symbolic does not implement yet")


S = _Namespace()
