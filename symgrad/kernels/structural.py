"""``_print_<Node>`` for the structural nodes of ``symgrad.symbolic.nodes``.

One method per node class, each printing the NumPy call the node's
docstring names (``np.sum``, ``np.matmul`` as ``@``, ``np.reshape``...).
The few nodes that need more than one expression (``logsumexp``,
``softmax``, ``gather``...) call a helper function whose source goes into
the kernel's preamble (see :mod:`symgrad.kernels.known`), so ``.source``
stays self-contained. Elementwise functions print from the table in
``known``; only those with attribute arguments (``clamp``, comparisons)
and ``detach`` have a method here.

>>> from symgrad.kernels.printer import KernelPrinter
>>> from symgrad.symbolic.nodes import SumOver, MatProd
>>> from symgrad.symbolic.symbols import TensorSymbol
>>> X, W = TensorSymbol("X", (4, 3)), TensorSymbol("W", (3, 2))
>>> KernelPrinter().doprint(SumOver.new(MatProd(X, W), (1,), False))
'np.sum(X @ W, axis=(1,))'
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp
from sympy.printing.precedence import PRECEDENCE

from ..ops import numerics
from ..symbolic.shapes import known as known_shape
from ..symbolic.shapes import shape_of
from .known import _diag_of, _full_index, _index_add_, _index_put, _scatter_add, _sum_to, numpy_callee
from .known import _diag_embed, _logdet, _solve, one_hot_np, svd_project


def _unique_key(key: Any, x: Any) -> bool:
    """True when an index key never names an element twice (then an
    accumulating index_put is a plain ``out[key] += v``, not ``np.add.at``)."""
    try:
        shape = tuple(shape_of(x))
        probe = np.arange(int(np.prod(shape))).reshape(shape)[key]
        return bool(np.unique(probe).size == np.size(probe))
    except Exception:
        return False


def _fresh(x: Any, like: Any, names: dict) -> bool:
    """True when the code printed for ``x`` makes a new array of ``like``'s
    (known, non-scalar) shape that nothing else reads: an inlined (unnamed)
    arithmetic or ufunc node. Such an array may be updated in place."""
    if x in names or not (isinstance(x, (sp.Add, sp.Mul, sp.Pow))
                          or (isinstance(x, sp.Function) and numpy_callee(type(x)))):
        return False
    try:
        s = tuple(shape_of(x))
        return len(s) > 0 and known_shape(s) and s == tuple(shape_of(like))
    except Exception:
        return False


_FUNC = PRECEDENCE["Func"]


def _dim(d: Any) -> str:
    return "None" if d is None else str(int(d))


def _opt(v: Any) -> str:
    return "None" if v is None else str(int(v))


def _tuple(v: Any) -> str:
    v = tuple(int(i) if i is not None else None for i in v)
    return "(" + ", ".join(map(str, v)) + ("," if len(v) == 1 else "") + ")"


class StructuralPrinting:
    """Mixin of :class:`~symgrad.kernels.printer.KernelPrinter` (see the module doc)."""

    helpers: dict[str, Callable[..., Any]]

    def _helper(self, fn: Callable[..., Any]) -> str:
        """The name of helper ``fn``, noted for the kernel's preamble."""
        self.helpers[fn.__name__] = fn
        return fn.__name__

    def _constant(self, value: Any, hint: str) -> str:  # pragma: no cover - the printer's
        raise NotImplementedError

    # ----------------------------------------------------- parameterised elementwise nodes
    def _print_Clamp(self, e: Any) -> str:
        x, lo, hi = e.args
        out = self._print(x)
        if lo.is_finite:
            out = f"np.maximum({out}, {self._print(lo)})"
        if hi.is_finite:
            out = f"np.minimum({out}, {self._print(hi)})"
        return out

    def _print_Compare(self, e: Any) -> str:
        fn = e.args[0].value
        return f"np.{fn}({', '.join(self._print(a) for a in e.args[1:])})"

    def _print_Detach(self, e: Any) -> str:
        # the value itself, grouped as the call it stands for: `(a + b)*c`, not `a + b*c`
        return self.parenthesize(e.args[0], _FUNC)

    # -------------------------------------------------------------- reductions
    def _reduce(self, fn: str, e: Any) -> str:
        axes, keep = e.param(0), e.param(1)
        k = ", keepdims=True" if keep else ""
        return f"{fn}({self._print(e.args[0])}, axis={_tuple(axes)}{k})"

    def _print_SumOver(self, e: Any) -> str:
        return self._reduce("np.sum", e)

    def _print_MeanOver(self, e: Any) -> str:
        return self._reduce("np.mean", e)

    def _print_ProdOver(self, e: Any) -> str:
        return self._reduce("np.prod", e)

    def _print_AmaxOver(self, e: Any) -> str:
        return self._reduce("np.amax", e)

    def _print_AminOver(self, e: Any) -> str:
        return self._reduce("np.amin", e)

    def _print_Numel(self, e: Any) -> str:
        x = self._print(e.args[0])
        return "(" + "*".join(f"np.shape({x})[{a}]" for a in e.param(0)) + ")" \
            if e.param(0) else "1"

    def _print_ShiftMax(self, e: Any) -> str:
        x = self._print(e.args[0])
        return f"{self._helper(numerics.shift_max)}({x}, {_tuple(e.param(0))})"

    def _print_LogSumExp(self, e: Any) -> str:
        return (f"{self._helper(numerics.logsumexp)}({self._print(e.args[0])}, "
                f"{_tuple(e.param(0))}, {bool(e.param(1))})")

    def _print_Softmax(self, e: Any) -> str:
        x = self._print(e.args[0])
        return f"{self._helper(numerics.softmax)}({x}, {_dim(e.param(0))})"

    def _print_LogSoftmax(self, e: Any) -> str:
        x = self._print(e.args[0])
        return f"{self._helper(numerics.log_softmax)}({x}, {_dim(e.param(0))})"

    # ------------------------------------------------------------ linear algebra
    def _print_MatProd(self, e: Any) -> str:
        a = self.parenthesize(e.args[0], 50)
        b = self.parenthesize(e.args[1], 50, strict=True)  # `@` associates left
        return f"{a} @ {b}"

    def _print_Diag(self, e: Any) -> str:
        s = tuple(e.param(0))
        v = self._print(e.args[0])
        if not known_shape(s):
            vs = tuple(shape_of(e.args[0]))
            if len(vs) != len(s) or any(b is not None and a != b for a, b in zip(vs, s)):
                raise NotImplementedError(
                    f"a kernel for diag(..., shape={s}) needs its length, and its operand "
                    f"(shape {vs}) does not carry it at run time: give the symbol a fixed shape")
            return f"{self._helper(_diag_of)}({v})"
        n = int(np.prod(s)) if s else 1
        return (f"np.reshape(np.diag(np.reshape(np.broadcast_to({v}, {_tuple(s)}), ({n},))), "
                f"{_tuple(s + s)})")

    # ------------------------------------------------ matrix functions (nodes_matfun)
    def _print_Trace(self, e: Any) -> str:
        return f"np.trace({self._print(e.args[0])}, axis1=-2, axis2=-1)"

    def _print_Det(self, e: Any) -> str:
        return f"np.linalg.det({self._print(e.args[0])})"

    def _print_LogDet(self, e: Any) -> str:
        return f"{self._helper(_logdet)}({self._print(e.args[0])})"

    def _print_LogAbsDet(self, e: Any) -> str:
        return f"np.linalg.slogdet({self._print(e.args[0])})[1]"

    def _print_Inverse(self, e: Any) -> str:
        return f"np.linalg.inv({self._print(e.args[0])})"

    def _print_Solve(self, e: Any) -> str:
        a, b = (self._print(x) for x in e.args[:2])
        return f"{self._helper(_solve)}({a}, {b})"

    def _print_Diagonal(self, e: Any) -> str:
        off, d1, d2 = (int(e.param(i)) for i in range(3))
        return f"np.diagonal({self._print(e.args[0])}, {off}, {d1}, {d2})"

    def _print_DiagEmbed(self, e: Any) -> str:
        v = self._print(e.args[0])
        if not tuple(shape_of(e.args[0])):  # a number on the diagonal
            k = min(int(e.param(3)) - max(-int(e.param(0)), 0),
                    int(e.param(4)) - max(int(e.param(0)), 0))
            v = f"np.broadcast_to({v}, ({k},))"
        params = ", ".join(str(int(e.param(i))) for i in range(5))
        return f"{self._helper(_diag_embed)}({v}, {params})"

    def _print_SVals(self, e: Any) -> str:
        return f"np.linalg.svd({self._print(e.args[0])}, compute_uv=False)"

    def _print_SvdProject(self, e: Any) -> str:
        x, g = (self._print(a) for a in e.args[:2])
        return f"{self._helper(svd_project)}({x}, {g}, {e.param(0)!r})"

    def _print_Outer(self, e: Any) -> str:
        a, b = (self._print(x) for x in e.args[:2])
        return f"np.multiply.outer({a}, {b})"

    def _print_Kron(self, e: Any) -> str:
        a, b = (self._print(x) for x in e.args[:2])
        return f"np.kron({a}, {b})"

    def _print_OneHot(self, e: Any) -> str:
        t = self._print(e.args[0])
        return f"{self._helper(one_hot_np)}({t}, {int(e.param(0))}, {int(e.param(1))})"

    def _print_ZerosLike(self, e: Any) -> str:
        return f"np.zeros_like({self._print(e.args[0])})"

    def _print_FullLike(self, e: Any) -> str:
        return f"np.full_like({self._print(e.args[0])}, {float(e.param(0))!r})"

    def _print_CopyTo(self, e: Any) -> str:
        x, src = (self._print(a) for a in e.args[:2])
        return f"np.broadcast_to({src}, np.shape({x}))"

    # ---------------------------------------------------------------- shapes
    def _print_Reshape(self, e: Any) -> str:
        shape = tuple(-1 if s is None else s for s in e.param(0))
        return f"np.reshape({self._print(e.args[0])}, {_tuple(shape)})"

    def _print_Permute(self, e: Any) -> str:
        return f"np.transpose({self._print(e.args[0])}, {_tuple(e.param(0))})"

    def _print_BroadcastTo(self, e: Any) -> str:
        shape = tuple(e.param(0))
        x = self._print(e.args[0])
        if any(s is None for s in shape):
            parts = []
            for i, s in enumerate(shape):
                j = i - len(shape)
                parts.append(str(int(s)) if s is not None else
                             f"(np.shape({x})[{j}] if np.ndim({x}) >= {-j} else 1)")
            return f"np.broadcast_to({x}, ({', '.join(parts)},))"
        return f"np.broadcast_to({x}, {_tuple(shape)})"

    def _print_SumTo(self, e: Any) -> str:
        return f"{self._helper(_sum_to)}({self._print(e.args[0])}, {_tuple(e.param(0))})"

    def _print_Unsqueeze(self, e: Any) -> str:
        return f"np.expand_dims({self._print(e.args[0])}, {_tuple(e.param(0))})"

    def _print_Squeeze(self, e: Any) -> str:
        return f"np.squeeze({self._print(e.args[0])}, {_tuple(e.param(0))})"

    # --------------------------------------------------------------- indexing
    def _key(self, key: Any) -> str:
        if not isinstance(key, tuple):
            key = (key,)
        parts = [self._key_item(k) for k in key]
        return ", ".join(parts) + ("," if len(parts) == 1 else "")

    def _key_value(self, key: Any) -> str:
        """The key as a value (a call's argument): slices as ``slice(...)``."""
        if not isinstance(key, tuple):
            key = (key,)
        parts = [f"slice({_opt(k.start)}, {_opt(k.stop)}, {_opt(k.step)})"
                 if isinstance(k, slice) else self._key_item(k) for k in key]
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"

    def _key_item(self, k: Any) -> str:
        if k is Ellipsis:
            return "..."
        if k is None:
            return "None"
        if isinstance(k, slice):
            s = ["" if k.start is None else str(k.start), "" if k.stop is None else str(k.stop)]
            if k.step is not None:
                s.append(str(k.step))
            return ":".join(s)
        if isinstance(k, (int, np.integer)):
            return str(int(k))
        return self._constant(np.asarray(k), "idx")

    def _print_Index(self, e: Any) -> str:
        return f"{self.parenthesize(e.args[0], 1000)}[{self._key(e.param(0))}]"

    def _print_IndexPut(self, e: Any) -> str:
        x, v = (self._print(a) for a in e.args[:2])
        mode = "set" if not e.param(1) else "add" if _unique_key(e.param(0), e.args[0]) \
            else "add.at"
        if _fresh(e.args[0], e, self.names):
            # the array ``x`` is computed right here for this call: update it in place
            # (no copy), with a constant written as a scalar (no broadcast array)
            val = e.args[1]
            if type(val).__name__ == "BroadcastTo" and val.args[0].is_Number:
                v = self._print(val.args[0])
            return (f"{self._helper(_index_add_)}({x}, {self._key_value(e.param(0))}, {v}, "
                    f"{mode!r})")
        return (f"{self._helper(_index_put)}({x}, {self._key_value(e.param(0))}, {v}, "
                f"{mode!r})")

    def _print_Cat(self, e: Any) -> str:
        xs = ", ".join(self._print(a) for a in e.tensor_args())
        return f"np.concatenate([{xs}], axis={int(e.param(0))})"

    def _print_Stack(self, e: Any) -> str:
        xs = ", ".join(self._print(a) for a in e.tensor_args())
        return f"np.stack([{xs}], axis={int(e.param(0))})"

    def _print_Gather(self, e: Any) -> str:
        x = self._print(e.args[0])
        idx = self._constant(np.asarray(e.param(1)), "idx")
        return f"{x}[{self._helper(_full_index)}({idx}, np.shape({x}), {int(e.param(0))})]"

    def _print_ScatterAdd(self, e: Any) -> str:
        src = self._print(e.args[0])
        idx = self._constant(np.asarray(e.param(1)), "idx")
        return (f"{self._helper(_scatter_add)}({src}, {int(e.param(0))}, {idx}, "
                f"{_tuple(e.param(2))})")
