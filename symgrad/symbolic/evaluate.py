"""A reference NumPy evaluator for formulas (and a scalarizer for tests).

``evaluate(expr, {name: array})`` walks the DAG once, iteratively, each node
computed once (shared subexpressions included), in float64. It is the
numeric meaning of the IR: the tests check formulas with it and generated
kernels are compared against it. ``backend="object"`` computes with arrays
of SymPy scalars instead (one expression per element), the independent
oracle's view of a tensor formula. SymPy's functions get their NumPy
meaning from SymPy's own ``lambdify`` (``mpmath`` per element where NumPy
has none, as for ``erf``), independently of the kernels' table.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.nodes import SumOver, Sigmoid
>>> a = TensorSymbol("a", (3,))
>>> evaluate(SumOver.make(a**2) + 1, {"a": np.array([1., 2., 3.])})
array(15.)
>>> evaluate(Sigmoid(a) * 2, {"a": np.zeros(3)}).tolist()
[1.0, 1.0, 1.0]
>>> scalarize(a * a, {"a": (3,)}).tolist()
[a_0**2, a_1**2, a_2**2]
>>> import sympy
>>> evaluate(sympy.asinh(a) + sympy.erf(a), {"a": np.zeros(3)}).tolist()
[0.0, 0.0, 0.0]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import sympy

from .elementwise import Elementwise
from .nodebase import Structural
from .shapes import tensor_args
from .symbols import Param, TensorConstant


@lru_cache(maxsize=None)
def numpy_function(func: type, nargs: int) -> Callable[..., Any] | None:
    """The NumPy meaning of SymPy function ``func`` with ``nargs`` arguments,
    as SymPy's ``lambdify`` writes it (on a tiny template, never a formula):
    NumPy's where it has the function, else ``mpmath`` element by element.

    >>> numpy_function(sympy.acosh, 1)(np.array([1.0])).tolist()
    [0.0]
    """
    xs = [sympy.Dummy(f"x{i}", real=True) for i in range(nargs)]
    try:
        template = func(*xs)
    except (TypeError, ValueError):
        return None
    probe = [np.array([0.5])] * nargs
    for modules in ("numpy", "mpmath"):
        fn = sympy.lambdify(xs, template, modules=modules)
        if modules == "mpmath":
            fn = np.vectorize(fn, otypes=[float])
        try:
            with np.errstate(all="ignore"):
                fn(*probe)
        except Exception:
            continue
        return fn
    return None


def _lookup(env: Mapping, s: sympy.Symbol) -> Any:
    if s in env:
        return env[s]
    if s.name in env:
        return env[s.name]
    raise KeyError(f"no value for symbol {s.name!r}; pass it in the env")


def _leaf(e: sympy.Basic, env: Mapping, obj: bool) -> Any:
    if isinstance(e, Param):
        return e.value
    if e.is_Number or isinstance(e, sympy.NumberSymbol) or e in (sympy.oo, -sympy.oo,
                                                                  sympy.nan, sympy.zoo):
        return e if obj else np.float64(float(e))
    if isinstance(e, TensorConstant) and not (e in env or e.name in env):
        v = np.asarray(e.value)
        return v.astype(object if obj else np.float64) if v.dtype.kind == "f" or obj else v
    if isinstance(e, sympy.Symbol):
        v = np.asarray(_lookup(env, e))
        if obj:
            return v.astype(object)
        return v.astype(np.float64) if v.dtype.kind in "fiu" else v
    raise TypeError(f"cannot evaluate atom {e!r}")


def _node(e: sympy.Basic, vals: dict, obj: bool) -> Any:
    def arg(a: Any) -> Any:
        if isinstance(a, Param):
            return a.value
        if a.is_Number or a in (sympy.oo, -sympy.oo):
            return a if obj else float(a)
        return vals[a]
    if e.is_Add:
        out = arg(e.args[0])
        for a in e.args[1:]:
            out = out + arg(a)
        return out
    if e.is_Mul:
        out = arg(e.args[0])
        for a in e.args[1:]:
            out = out * arg(a)
        return out
    if e.is_Pow:
        b, x = arg(e.args[0]), e.args[1]
        if obj:
            return b ** arg(x)
        if x.is_Integer:
            return np.float64(1.0) / b ** (-int(x)) if x < 0 else b ** int(x)
        if x == sympy.Rational(1, 2):
            return np.sqrt(b)
        return np.power(b, arg(x))
    if isinstance(e, Structural):
        return e.numpy(*[arg(a) for a in e.tensor_args()])
    if obj:
        f = np.vectorize(lambda *xs: e.func(*xs), otypes=[object])
        targs = tensor_args(e)
        if isinstance(e, Elementwise) and len(targs) != len(e.args):
            return np.vectorize(lambda *xs: e.func(*(list(xs) + list(e.args[len(xs):]))),
                                otypes=[object])(*[arg(a) for a in targs])
        return f(*[arg(a) for a in e.args])
    if isinstance(e, Elementwise):
        return e.numpy(*[arg(a) for a in e.args])
    fn = numpy_function(e.func, len(e.args))
    if fn is None:
        raise NotImplementedError(f"evaluate: no NumPy meaning for {e.func.__name__}")
    return fn(*[arg(a) for a in e.args])


def evaluate(expr: Any, env: Mapping | None = None, backend: str = "numpy") -> Any:
    """The value of ``expr`` given arrays for its symbols (by symbol or name)."""
    env = env or {}
    obj = backend == "object"
    expr = sympy.sympify(expr, strict=True)  # text is never parsed (sympify of a str is eval)
    vals: dict[Any, Any] = {}
    stack: list[tuple[Any, bool]] = [(expr, False)]
    with np.errstate(all="ignore"):
        while stack:
            e, ready = stack.pop()
            if e in vals:
                continue
            args = tensor_args(e)
            if not args:
                vals[e] = _leaf(e, env, obj) if (e.is_Atom or not e.args) else _node(e, vals, obj)
                continue
            if ready:
                vals[e] = _node(e, vals, obj)
                continue
            stack.append((e, True))
            stack.extend((a, False) for a in args if a not in vals)
    out = vals[expr]
    return out if obj else np.asarray(out)


def element_symbols(name: str, shape: tuple) -> np.ndarray:
    """An object array of scalar symbols ``name_i_j`` (real)."""
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(*shape):
        out[idx] = sympy.Symbol(name + "".join(f"_{i}" for i in idx), real=True)
    return out


def scalarize(expr: Any, shapes: Mapping[str, tuple]) -> np.ndarray:
    """``expr`` expanded into one scalar SymPy expression per element, over
    symbols ``name_i...`` for the given shapes (small shapes only)."""
    env = {n: element_symbols(n, tuple(s)) for n, s in shapes.items()}
    return np.asarray(evaluate(expr, env, backend="object"), dtype=object)
