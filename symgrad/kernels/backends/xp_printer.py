"""The kernel printer for the Array API standard: ``xp.`` calls with the
standard's names (``xp.asinh``, ``xp.permute_dims``, ``xp.concat``, ``xp.max``).

One printer serves dask, JAX and CuPy: each binds ``xp`` to its own
namespace (``jax.numpy``, ``array_api_compat.dask.array``...), so a
reduction or a matmul is that library's own. Arithmetic, temporaries and
sharing are :class:`~symgrad.kernels.printer.KernelPrinter`'s; only the
calls change. Helpers come from :mod:`.xp_helpers` (same names, Array API
code). A node this printer does not know (a matrix function with no
standard counterpart) is refused with a clear error, never printed as a
NumPy call that would silently leave the engine.

>>> import sympy as sp
>>> from symgrad.symbolic.nodes import SumOver, Permute
>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.kernels.backends import get
>>> X = TensorSymbol("X", (4, 3))
>>> p = ArrayAPIPrinter(get("jax"))
>>> p.doprint(SumOver.new(sp.asinh(X), (1,), False)), p.doprint(sp.sqrt(X))
('xp.sum(xp.asinh(X), axis=(1,))', 'xp.sqrt(X)')
>>> p.doprint(Permute.new(X, (1, 0)))
'xp.permute_dims(X, (1, 0))'
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import sympy as sp

from ... import errors
from ...symbolic.shapes import shape_of
from ..known import row_of
from ..printer import KernelPrinter
from ..structural import StructuralPrinting, _dim, _tuple
from . import xp_helpers
from .spec import Backend

#: NumPy function -> the Array API standard's name, where they differ
RENAMED: dict[str, str] = {
    "np.arcsin": "xp.asin", "np.arccos": "xp.acos", "np.arctan": "xp.atan",
    "np.arcsinh": "xp.asinh", "np.arccosh": "xp.acosh", "np.arctanh": "xp.atanh",
    "np.amax": "xp.max", "np.amin": "xp.min", "np.concatenate": "xp.concat",
    "np.transpose": "xp.permute_dims", "np.power": "xp.pow"}

#: structural printers of the NumPy printer that print no NumPy call themselves
#: (their calls go through helpers or operators), so they serve the standard too
_NEUTRAL = frozenset({"SumOver", "MeanOver", "ProdOver", "AmaxOver", "AminOver",
                      "Detach", "MatProd", "ShiftMax", "LogSumExp", "Softmax", "LogSoftmax",
                      "SumTo", "IndexPut", "ScatterAdd"})


def xp_name(np_name: str) -> str:
    """The standard's spelling of a NumPy function.

    >>> xp_name("np.arcsinh"), xp_name("np.exp")
    ('xp.asinh', 'xp.exp')
    """
    return RENAMED.get(np_name, "xp." + np_name[len("np."):])


@lru_cache(maxsize=None)
def _numpy_only(printer: type, cls: str) -> bool:
    """True when ``cls`` prints through a NumPy-only method of the structural printer."""
    meth = f"_print_{cls}"
    owner = next((c for c in printer.__mro__ if meth in c.__dict__), None)
    return owner is StructuralPrinting and cls not in _NEUTRAL


class ArrayAPIPrinter(KernelPrinter):
    """``xp.`` code of one node at a time, for a :class:`~.spec.Backend`."""

    def __init__(self, backend: Backend, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.backend = backend
        self.imports: set[str] = set()  # import lines the printed calls need

    # ----------------------------------------------------------- dispatch
    def _print(self, expr: Any, **kwargs: Any) -> str:
        if isinstance(expr, sp.Basic) and expr not in self.names:
            cls = type(expr).__name__
            if _numpy_only(type(self), cls):
                what = getattr(expr, "name", cls)  # the formula's name of the node
                raise NotImplementedError(
                    errors.kernel_backend_unsupported(self.backend.name, what))
        return super()._print(expr, **kwargs)

    def _helper(self, fn: Callable[..., Any]) -> str:
        twin = xp_helpers.HELPERS.get(fn.__name__)
        if twin is None:
            raise NotImplementedError(
                errors.kernel_backend_unsupported(self.backend.name, fn.__name__))
        self.helpers[fn.__name__] = twin
        return fn.__name__

    # ------------------------------------------------------------- leaves
    def _print_Pi(self, expr: sp.Basic) -> str:
        return "xp.pi"

    def _print_Exp1(self, expr: sp.Basic) -> str:
        return "xp.e"

    def _print_Infinity(self, expr: sp.Basic) -> str:
        return "xp.inf"

    def _print_NegativeInfinity(self, expr: sp.Basic) -> str:
        return "(-xp.inf)"

    def _print_NaN(self, expr: sp.Basic) -> str:
        return "xp.nan"

    def _print_Number(self, expr: sp.Number) -> str:
        for c, name in ((sp.pi, "xp.pi"), (sp.E, "xp.e"), (sp.oo, "xp.inf"),
                        (sp.S.NegativeInfinity, "-xp.inf"), (sp.nan, "xp.nan")):
            if expr is c:
                return name
        return super()._print_Number(expr)

    _print_Integer = _print_Rational = _print_Float = _print_Number
    _print_Half = _print_One = _print_NegativeOne = _print_Zero = _print_Number

    # --------------------------------------------------------- arithmetic
    def _power(self, base: sp.Basic, e: sp.Basic, level: int) -> str:
        if e == sp.S.Half:
            return f"xp.sqrt({self._print(base)})"
        if e.is_Rational and e.q == 2 and e.p == 3:
            b = self.parenthesize(base, 51)
            return f"{b}*xp.sqrt({self._print(base)})"
        return super()._power(base, e, level)

    # ---------------------------------------------------------- functions
    def _print_known(self, expr: sp.Function, row: Any = None) -> str:
        cls = type(expr).__name__
        args = [self._print(a) for a in expr.args]
        override = next((self.backend.functions[c.__name__] for c in type(expr).__mro__
                         if c.__name__ in self.backend.functions), None)
        if override is not None:
            template, *imports = override if isinstance(override, tuple) else (override,)
            self.imports.update(imports)
            return template.format(*args) if "{" in template else f"{template}({', '.join(args)})"
        row = row_of(type(expr)) if row is None else row
        if callable(row):
            return f"{self._helper(row)}({', '.join(args)})"
        if row is None:
            raise NotImplementedError(errors.kernel_backend_unsupported(self.backend.name, cls))
        if "{" in row:  # a template: its NumPy calls renamed
            fn, _, rest = row.partition("(")
            return f"{xp_name(fn)}({rest}".format(*args)
        return f"{xp_name(row)}({', '.join(args)})"

    def _print_Function(self, expr: sp.Function) -> str:
        if row_of(type(expr)) is not None:
            return self._print_known(expr)
        raise NotImplementedError(
            errors.kernel_backend_unsupported(self.backend.name, type(expr).__name__))

    def _print_Max(self, expr: sp.Basic) -> str:
        s = self._print(expr.args[0])
        for a in expr.args[1:]:
            s = f"xp.maximum({s}, {self._print(a)})"
        return s

    def _print_Min(self, expr: sp.Basic) -> str:
        s = self._print(expr.args[0])
        for a in expr.args[1:]:
            s = f"xp.minimum({s}, {self._print(a)})"
        return s

    def _print_Relational(self, expr: sp.Basic) -> str:
        op = {"==": "equal", "!=": "not_equal", "<": "less", "<=": "less_equal",
              ">": "greater", ">=": "greater_equal"}[expr.rel_op]
        return f"xp.{op}({self._print(expr.lhs)}, {self._print(expr.rhs)})"

    def _print_And(self, expr: sp.Basic) -> str:
        return self._fold("xp.logical_and", expr.args)

    def _print_Or(self, expr: sp.Basic) -> str:
        return self._fold("xp.logical_or", expr.args)

    def _print_Not(self, expr: sp.Basic) -> str:
        return f"xp.logical_not({self._print(expr.args[0])})"

    # ----------------------------------------------------- structural nodes
    def _print_Clamp(self, e: Any) -> str:
        x, lo, hi = e.args
        out = self._print(x)
        if lo.is_finite:
            out = f"xp.maximum({out}, {self._print(lo)})"
        if hi.is_finite:
            out = f"xp.minimum({out}, {self._print(hi)})"
        return out

    def _print_Compare(self, e: Any) -> str:
        fn = e.args[0].value
        return f"{xp_name('np.' + fn)}({', '.join(self._print(a) for a in e.args[1:])})"

    def _reduce(self, fn: str, e: Any) -> str:
        axes, keep = e.param(0), e.param(1)
        k = ", keepdims=True" if keep else ""
        x = self._print(e.args[0])
        if e.args[0].is_Number:  # a Python number has no axes: make it an array
            x = f"xp.asarray({x})"
        return f"{xp_name(fn)}({x}, axis={_tuple(axes)}{k})"

    def _print_Numel(self, e: Any) -> str:
        x = self.parenthesize(e.args[0], 1000)
        return "(" + "*".join(f"{x}.shape[{a}]" for a in e.param(0)) + ")" \
            if e.param(0) else "1"

    def _print_Diag(self, e: Any) -> str:
        s = tuple(e.param(0))
        v = self._print(e.args[0])
        if None in s:
            return super()._print_Diag(e)  # ``_diag_of(v)``: a helper
        return f"{self._helper(xp_helpers._diag_of)}(xp.broadcast_to({v}, {_tuple(s)}))"

    def _print_ZerosLike(self, e: Any) -> str:
        return f"xp.zeros_like({self._print(e.args[0])})"

    def _print_FullLike(self, e: Any) -> str:
        return f"xp.full_like({self._print(e.args[0])}, {float(e.param(0))!r})"

    def _print_CopyTo(self, e: Any) -> str:
        x, src = (self._print(a) for a in e.args[:2])
        return f"xp.broadcast_to({src}, {self.parenthesize(e.args[0], 1000)}.shape)"

    def _print_Reshape(self, e: Any) -> str:
        shape = tuple(-1 if s is None else s for s in e.param(0))
        # (a NumPy constant, the weights of a loss, is an engine's array first: dask's
        # reshape takes dask arrays only)
        return f"xp.reshape(xp.asarray({self._print(e.args[0])}), {_tuple(shape)})"

    def _print_Permute(self, e: Any) -> str:
        return f"xp.permute_dims({self._print(e.args[0])}, {_tuple(e.param(0))})"

    def _print_BroadcastTo(self, e: Any) -> str:
        shape = tuple(e.param(0))
        x = self._print(e.args[0])
        if any(s is None for s in shape):
            parts = []
            for i, s in enumerate(shape):
                j = i - len(shape)
                parts.append(str(int(s)) if s is not None else
                             f"(xp.asarray({x}).shape[{j}] if xp.asarray({x}).ndim >= {-j} "
                             "else 1)")
            return f"xp.broadcast_to(xp.asarray({x}), ({', '.join(parts)},))"
        return f"xp.broadcast_to(xp.asarray({x}), {_tuple(shape)})"

    def _print_Unsqueeze(self, e: Any) -> str:
        out = self._print(e.args[0])
        for d in sorted(int(d) for d in e.param(0)):  # the standard takes one axis at a time
            out = f"xp.expand_dims({out}, axis={d})"
        return out

    def _print_Squeeze(self, e: Any) -> str:
        return f"xp.squeeze({self._print(e.args[0])}, axis={_tuple(e.param(0))})"

    def _print_Index(self, e: Any) -> str:
        key = e.param(0)
        parts = key if isinstance(key, tuple) else (key,)
        arrays = [k for k in parts if not isinstance(k, (slice, int, type(None), type(...)))]
        if len(arrays) > 1:  # several index arrays (pointwise): dask spells it vindex
            return f"{self._helper(xp_helpers._take)}({self._print(e.args[0])}, " \
                   f"{self._key_value(key)})"
        return super()._print_Index(e)

    def _print_Cat(self, e: Any) -> str:
        xs = ", ".join(self._print(a) for a in e.tensor_args())
        return f"xp.concat([{xs}], axis={int(e.param(0))})"

    def _print_Stack(self, e: Any) -> str:
        xs = ", ".join(self._print(a) for a in e.tensor_args())
        return f"xp.stack([{xs}], axis={int(e.param(0))})"

    def _print_Gather(self, e: Any) -> str:
        import numpy as np
        x = self._print(e.args[0])
        idx = self._constant(np.asarray(e.param(1)), "idx")
        key = f"{self._helper(xp_helpers._full_index)}({idx}, " \
              f"{self.parenthesize(e.args[0], 1000)}.shape, {int(e.param(0))})"
        return f"{self._helper(xp_helpers._take)}({x}, {key})"

    def _print_Softmax(self, e: Any) -> str:
        x = self._print(e.args[0])
        return f"{self._helper(xp_helpers.softmax)}({x}, {_dim(e.param(0))})"

    # ------------------------------------ matrix functions (nodes_matfun), prod's gradient
    def _call(self, fn: Callable[..., Any], *args: Any) -> str:
        """``helper(arg, ...)``: sympy operands printed, other arguments as Python."""
        return f"{self._helper(fn)}(" + ", ".join(
            self._print(a) if isinstance(a, sp.Basic) else repr(a) for a in args) + ")"

    def _print_Trace(self, e: Any) -> str:
        return self._call(xp_helpers._trace, e.args[0])

    def _print_Det(self, e: Any) -> str:
        return self._call(xp_helpers._det, e.args[0])

    def _print_LogDet(self, e: Any) -> str:
        return self._call(xp_helpers._logdet, e.args[0])

    def _print_LogAbsDet(self, e: Any) -> str:
        return self._call(xp_helpers._logabsdet, e.args[0])

    def _print_Inverse(self, e: Any) -> str:
        return self._call(xp_helpers._inv, e.args[0])

    def _print_Solve(self, e: Any) -> str:
        return self._call(xp_helpers._solve, *e.args[:2])

    def _print_SVals(self, e: Any) -> str:
        return self._call(xp_helpers._svdvals, e.args[0])

    def _print_SvdProject(self, e: Any) -> str:
        return self._call(xp_helpers._svd_project, *e.args[:2], str(e.param(0)))

    def _print_Diagonal(self, e: Any) -> str:
        return self._call(xp_helpers._diagonal, e.args[0], *(int(e.param(i)) for i in range(3)))

    def _print_DiagEmbed(self, e: Any) -> str:
        params = tuple(int(e.param(i)) for i in range(5))
        v = self._print(e.args[0])
        if not tuple(shape_of(e.args[0])):  # a number on the diagonal
            k = min(params[3] - max(-params[0], 0), params[4] - max(params[0], 0))
            v = f"xp.broadcast_to(xp.asarray({v}, dtype=xp.float64), ({k},))"
        return f"{self._helper(xp_helpers._diag_embed)}({v}, {', '.join(map(str, params))})"

    def _print_Outer(self, e: Any) -> str:
        return self._call(xp_helpers._outer, *e.args[:2])

    def _print_Kron(self, e: Any) -> str:
        return self._call(xp_helpers._kron, *e.args[:2])

    def _print_OneHot(self, e: Any) -> str:
        return self._call(xp_helpers.one_hot_np, e.args[0], int(e.param(0)), int(e.param(1)))

    def _print_ProdOthers(self, e: Any) -> str:
        return self._call(xp_helpers._prod_others, e.args[0], tuple(int(a) for a in e.axes))

    def _print_ProdOthersJvp(self, e: Any) -> str:
        return self._call(xp_helpers._prod_others_jvp, *e.args[:2],
                          tuple(int(a) for a in e.param(0)))


# the NumPy printer's generated per-function printers, redirected to this one's
for _name, _value in list(vars(KernelPrinter).items()):
    if _name.startswith("_print_") and getattr(_value, "__name__", "") == "_print_known":
        setattr(ArrayAPIPrinter, _name, ArrayAPIPrinter._print_known)
