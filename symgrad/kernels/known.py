"""What kernels know: the NumPy code of each elementwise function, and the
helper functions a kernel may call.

:data:`FUNCTIONS` maps a function class's name (SymPy's ``asinh``,
symgrad's ``Sigmoid``) to its NumPy code: a NumPy function
(``"np.arcsinh"``), a template over the printed arguments
(``"np.maximum({0}, 0)"``), or a helper function (``numerics.sigmoid``).
The kernel printer is generated from this table, so a row is all a new
elementwise function needs here.

A kernel pastes the source of each helper it calls (and of the helpers
those call) above itself, so that ``.source`` runs on its own (so their
annotations name only ``np`` and builtins). The helpers are real functions:
the stable ones from :mod:`symgrad.ops.numerics`, shared with the op table,
and the index helpers below, which only kernels need.

>>> FUNCTIONS["asinh"], FUNCTIONS["Relu"], FUNCTIONS["Sigmoid"].__name__
('np.arcsinh', 'np.maximum({0}, 0)', 'sigmoid')
>>> source = preamble([HELPERS["softmax"]])[1]  # with the helpers softmax calls
>>> [line for line in source.splitlines() if line.startswith("def ")]
['def _axes(dim: int | tuple[int, ...] | None) -> tuple[int, ...] | None:',
 'def _kept_max(x: np.ndarray, axis: tuple[int, ...] | None) -> np.ndarray:',
 'def softmax(x: np.ndarray, dim: int | None) -> np.ndarray:']
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterable
from functools import lru_cache
from types import ModuleType
from typing import Any, Union

import numpy as np

from ..ops import numerics
from ..ops.matfun import svd_project
from ..symbolic.nodes_onehot import one_hot_np

Row = Union[str, Callable[..., Any]]

#: function class name -> NumPy function, template (``{0}``: first argument) or helper
FUNCTIONS: dict[str, Row] = {
    # SymPy's functions (``sympy.<name>``, or ``sympy.codegen.cfunctions.<name>``)
    "exp": "np.exp", "log": "np.log", "sin": "np.sin", "cos": "np.cos", "tan": "np.tan",
    "tanh": "np.tanh", "sinh": "np.sinh", "cosh": "np.cosh", "asin": "np.arcsin",
    "acos": "np.arccos", "atan": "np.arctan", "asinh": "np.arcsinh", "acosh": "np.arccosh",
    "atanh": "np.arctanh", "Abs": "np.abs", "sign": "np.sign", "floor": "np.floor",
    "ceiling": "np.ceil", "log1p": "np.log1p", "expm1": "np.expm1", "erf": numerics.erf,
    # symgrad's (``symgrad.symbolic.elementwise``)
    "Sigmoid": numerics.sigmoid, "Step": numerics.step, "Relu": "np.maximum({0}, 0)",
    "Sign": "np.sign", "Absolute": "np.abs", "Maximum": "np.maximum",
    "Minimum": "np.minimum", "Where": "np.where", "LogAddExp": "np.logaddexp",
}


def row_of(cls: type) -> Row | None:
    """The :data:`FUNCTIONS` row of a function class (or of its nearest base).

    >>> import sympy
    >>> row_of(sympy.exp), row_of(sympy.Symbol)
    ('np.exp', None)
    """
    for c in cls.__mro__:
        row = FUNCTIONS.get(c.__name__)
        if row is not None:
            return row
    return None


def numpy_callee(cls: type) -> str | None:
    """The NumPy function a class prints as, when its row is one (``np.exp``),
    not a template or a helper: such a call makes a fresh array."""
    row = row_of(cls)
    return row if isinstance(row, str) and row.startswith("np.") and "{" not in row else None


# ---------------------------------------------------------------- kernel-only helpers
def _diag_of(v: np.ndarray) -> np.ndarray:
    """``diag(v)`` of shape ``v.shape + v.shape``: ``v`` on the diagonal of
    the flattened square (the kernel of a ``Diag`` whose length is known
    only at run time, read off ``v`` itself).

    >>> _diag_of(np.array([1.0, 2.0])).tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    s = np.shape(v)
    return np.reshape(np.diag(np.reshape(v, (-1,))), s + s)


def _sum_to(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``x`` down to ``shape`` (the adjoint of broadcasting to it).

    >>> _sum_to(np.ones((2, 3)), (1, 3)).tolist()
    [[2.0, 2.0, 2.0]]
    """
    lead = np.ndim(x) - len(shape)
    if lead:
        x = np.sum(x, axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and np.shape(x)[i] != 1)
    return np.sum(x, axis=axes, keepdims=True) if axes else x


def _full_index(index: np.ndarray, shape: tuple[int, ...], dim: int) -> tuple:
    """The NumPy key that picks ``index`` along ``dim`` (``gather``'s key).

    >>> x = np.arange(6).reshape(2, 3)
    >>> x[_full_index(np.array([[2], [0]]), x.shape, 1)].tolist()
    [[2], [3]]
    """
    extra = len(shape) - index.ndim
    idx = np.broadcast_to(index, tuple(shape[:extra]) + index.shape)
    grids = list(np.ogrid[tuple(slice(n) for n in idx.shape)])
    grids[dim] = idx
    return tuple(grids)


def _index_put(x: np.ndarray, key: object, v: object, mode: str) -> np.ndarray:
    """A copy of ``x`` with ``v`` set (``"set"``) or added (``"add"``, or
    ``"add.at"`` when the key repeats an index) at ``key``.

    >>> _index_put(np.zeros(3), ([0, 0],), 1.0, "add.at").tolist()
    [2.0, 0.0, 0.0]
    """
    return _index_add_(x.astype(np.result_type(x, v), copy=True), key, v, mode)


def _index_add_(out: np.ndarray, key: object, v: object, mode: str) -> np.ndarray:
    """:func:`_index_put` into ``out`` itself (a fresh array that nothing
    else reads), copying only to widen its dtype.

    >>> _index_add_(np.zeros(3, np.float32), (1,), 2.0, "add").tolist()
    [0.0, 2.0, 0.0]
    """
    if out.dtype != np.result_type(out, v):
        out = out.astype(np.result_type(out, v))
    if mode == "set":
        out[key] = v
    elif mode == "add":      # no index repeats: a plain add
        out[key] += v
    else:                    # "add.at": repeated indices add up
        np.add.at(out, key, v)
    return out


def _scatter_add(src: np.ndarray, dim: int, index: np.ndarray,
                 shape: tuple[int, ...]) -> np.ndarray:
    """Zeros of ``shape`` with ``src`` added at ``index`` along ``dim``
    (the adjoint of ``gather``).

    >>> _scatter_add(np.array([[1., 2.]]), 1, np.array([[0, 0]]), (1, 3)).tolist()
    [[3.0, 0.0, 0.0]]
    """
    out = np.zeros_like(src, shape=shape)
    np.add.at(out, _full_index(index, np.shape(src), dim), src)
    return out


def _logdet(x: np.ndarray) -> np.ndarray:
    """``log(det(x))``, ``nan`` where the determinant is negative (PyTorch's ``logdet``).

    >>> float(_logdet(np.eye(2) * 2)), bool(np.isnan(_logdet(-np.eye(1))))
    (1.3862943611198906, True)
    """
    sign, logabs = np.linalg.slogdet(x)
    return np.where(sign < 0, np.nan, logabs)


def _solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x`` with ``a @ x = b``; ``b`` is a (batch of) vector(s) when it is 1-D or has
    ``a``'s batch shape and one axis less (PyTorch's rule).

    >>> _solve(np.eye(2) * 2, np.array([2., 4.])).tolist()
    [1.0, 2.0]
    """
    if np.ndim(b) == 1 or (np.ndim(b) == np.ndim(a) - 1 and np.shape(b) == np.shape(a)[:-1]):
        return np.linalg.solve(a, np.asarray(b)[..., None])[..., 0]
    return np.linalg.solve(a, b)


def _diag_embed(v: np.ndarray, offset: int, dim1: int, dim2: int, rows: int,
                cols: int) -> np.ndarray:
    """``v``'s last axis on the ``offset`` diagonal of ``rows x cols`` zero matrices
    at axes ``dim1``, ``dim2`` (the adjoint of ``np.diagonal``).

    >>> _diag_embed(np.array([1., 2.]), 0, 0, 1, 2, 3).tolist()
    [[1.0, 0.0, 0.0], [0.0, 2.0, 0.0]]
    """
    v = np.asarray(v)
    k = v.shape[-1]
    out = np.zeros(v.shape[:-1] + (rows, cols), dtype=v.dtype)
    i = np.arange(k)
    out[..., i + max(-offset, 0), i + max(offset, 0)] = v
    return np.moveaxis(out, (-2, -1), (dim1, dim2))


#: every helper a printer may call, by name
HELPERS: dict[str, Callable[..., Any]] = {f.__name__: f for f in (
    numerics.sigmoid, numerics.step, numerics.erf, numerics.shift_max, numerics.logsumexp,
    numerics.softmax, numerics.log_softmax,
    _sum_to, _full_index, _index_put, _index_add_, _scatter_add, _logdet, _solve, _diag_embed,
    one_hot_np, svd_project)}


# ------------------------------------------------------------------ pasting helpers
@lru_cache(maxsize=None)
def _needs(fn: Callable[..., Any]) -> tuple[tuple[Callable[..., Any], ...], tuple[str, ...]]:
    """The functions ``fn`` calls from its module and the import lines it
    needs besides numpy's (found in the names its code reads)."""
    calls, imports = [], []
    for name, value in sorted(inspect.getclosurevars(fn).globals.items()):
        if inspect.isfunction(value) and value is not fn:
            calls.append(value)
        elif isinstance(value, ModuleType) and value is not np:
            mod = value.__name__
            imports.append(f"import {mod}" if mod == name else f"import {mod} as {name}")
    return tuple(calls), tuple(imports)


@lru_cache(maxsize=None)
def helper_source(fn: Callable[..., Any]) -> str:
    """The source of a helper without its docstring (the kernel's own copy).

    >>> print(helper_source(numerics.sigmoid), end="")
    def sigmoid(x: np.ndarray) -> np.ndarray:
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
    """
    src = textwrap.dedent(inspect.getsource(fn))
    body = ast.parse(src).body[0].body  # type: ignore[attr-defined]
    lines = src.splitlines()
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
            and isinstance(first.value.value, str) and len(body) > 1:
        del lines[first.lineno - 1:first.end_lineno]
    return "\n".join(lines) + "\n"


def _with_calls(helpers: Iterable[Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """``helpers`` and every helper they call, by name."""
    todo, found = list(helpers), {}
    while todo:
        fn = todo.pop()
        if fn.__name__ not in found:
            found[fn.__name__] = fn
            todo.extend(_needs(fn)[0])
    return found


def preamble(helpers: Iterable[Callable[..., Any]]) -> tuple[list[str], str]:
    """``(import lines, source)`` for ``helpers`` and every helper they call,
    in name order."""
    found = _with_calls(helpers)
    imports = sorted({line for fn in found.values() for line in _needs(fn)[1]})
    return imports, "\n\n".join(helper_source(found[k]) for k in sorted(found))


@lru_cache(maxsize=None)
def reserved_names() -> frozenset[str]:
    """Names a kernel's preamble may define: no parameter may take them.

    >>> {"sigmoid", "_axes", "math", "_index_put"} <= reserved_names()
    True
    """
    found = _with_calls(HELPERS.values())
    modules = {line.split()[-1] for fn in found.values() for line in _needs(fn)[1]}
    return frozenset(found) | modules
