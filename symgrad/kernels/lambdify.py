"""``sg.lambdify`` and ``sg.compile_grad``: formulas compiled to NumPy kernels.

A kernel is generated source (:mod:`symgrad.kernels.codegen`), compiled
under a filename registered with :mod:`linecache` so that tracebacks show
its lines, and kept on the kernel as ``.source``: paste it into a file and
it runs (it imports only ``numpy``, and ``math`` for ``erf``).

Tensors are recognised by what they have (a ``record`` and ``_data``), not
by their class: kernels sit below the tensor front end (``symgrad.eager``).

>>> import numpy as np, sympy as sp
>>> a = sp.Symbol("a")
>>> k = lambdify(4 * a**3 + 2 * a, [a])
>>> k(np.array([1., 2., 3.]))
array([  6.,  36., 114.])
>>> k(a=np.float32(2.0)).dtype
dtype('float32')
>>> print(k.source.splitlines()[-1])
    return a*(2 + 4*a*a)
"""

from __future__ import annotations

import itertools
import linecache
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from .. import errors
from ..symbolic.algebra import gc_paused
from ..symbolic.api import diff
from ..symbolic.symbols import as_number
from . import backends
from .codegen import Generated, generate, symbols_below
from .dag import walk

_counter = itertools.count()


class Kernel:
    """A compiled formula: call it with arrays, positionally (in ``args``
    order) or by name; ``.source`` is its NumPy code."""

    __slots__ = ("fn", "source", "args", "params", "filename", "n_nodes", "n_temps",
                 "backend", "_spec", "__weakref__")

    def __init__(self, gen: Generated, args: Sequence[str], name: str,
                 backend: Any = None) -> None:
        self.filename = f"<symgrad-kernel-{next(_counter)}-{name}>"
        self.source = gen.source
        self.args = tuple(args)
        self.params = tuple(gen.params)
        self.n_nodes, self.n_temps = gen.n_nodes, gen.n_temps
        lines = gen.source.splitlines(keepends=True)
        linecache.cache[self.filename] = (len(gen.source), None, lines, self.filename)
        namespace: dict[str, Any] = {"__name__": "symgrad_kernel"}
        code = compile(gen.source, self.filename, "exec", dont_inherit=True)  # as if pasted
        exec(code, namespace)  # noqa: S102 - our own source
        namespace.update(gen.constants)
        self._spec = spec = backends.get(backend)
        self.backend = spec.name  # where it runs (see symgrad.kernels.backends)
        if spec.name == "cupy":  # its arrays do not mix with NumPy's: constants move over
            namespace.update({k: spec.constant(v) for k, v in namespace.items()
                              if isinstance(v, np.ndarray)})
        self.fn: Callable[..., Any] = spec.wrap(namespace[name])

    def __call__(self, *arrays: Any, **named: Any) -> Any:
        if named:
            arrays = self._bind(arrays, named)
        if self._spec.array_api:
            arrays = self._spec.prepare(arrays)
        return self.fn(*arrays)

    def _bind(self, arrays: tuple, named: dict[str, Any]) -> tuple:
        by_name = dict(zip(self.args, self.params))
        values = dict(zip(self.params, arrays))
        for k, v in named.items():
            p = by_name.get(k, k if k in self.params else None)
            if p is None:
                raise TypeError(errors.kernel_bad_call(
                    "kernel", f"unexpected argument {k!r}; it takes {list(self.args)}"))
            values[p] = v
        missing = [a for a, p in zip(self.args, self.params) if p not in values]
        if missing:
            raise TypeError(errors.kernel_bad_call("kernel", f"missing arguments {missing}"))
        return tuple(values[p] for p in self.params)

    def __repr__(self) -> str:
        return f"<symgrad kernel({', '.join(self.args)}): {self.n_nodes} nodes>"


def _is_tensor(x: Any) -> bool:
    """A tensor of the eager front end (duck-typed: this layer never imports it)."""
    return hasattr(x, "record") and hasattr(x, "_data")


def _as_expr(x: Any) -> sp.Basic:
    """A formula from a tensor, a SymPy expression or a plain number; never from text
    (``sympify`` of a string is ``eval``)."""
    if isinstance(x, sp.Basic):
        return x
    if _is_tensor(x):
        return x.expr
    if isinstance(x, (bool, int, float, np.integer, np.floating, np.bool_)):
        return as_number(x)
    raise TypeError(errors.kernel_bad_formula(type(x).__name__))


def _arg_name(x: Any) -> str:
    if isinstance(x, str):
        return x  # a name only: it goes through the one sanitiser (codegen.param_name)
    if isinstance(x, sp.Symbol):
        return x.name
    if _is_tensor(x):
        return x.name
    raise TypeError(f"lambdify: args must be tensors, symbols or names, not {type(x).__name__}")


def lambdify(formula_or_tensor: Any, args: Sequence[Any], cse: bool = True,
             backend: Any = None) -> Kernel:
    """Compile a formula (or a tensor's formula, or a list of them) to a NumPy kernel.

    ``args`` lists the symbolic tensors (or their names) the kernel takes;
    named constants in the formula are bound into it. With ``cse`` every
    shared node is computed once; without, shared nodes are recomputed
    (the formula printed as a tree). ``backend`` says where the kernel runs:
    ``"numpy"`` (the default), ``"fused"`` (or ``"auto"``: NumPy on cache-sized
    blocks where the formula allows), ``"dask"``, ``"jax"`` (``jax.jit``) or
    ``"cupy"`` (see :mod:`symgrad.kernels.backends`).

    >>> import sympy as sp, numpy as np
    >>> x, y = sp.symbols("x y")
    >>> k = lambdify([sp.sin(x) * y, sp.sin(x) + y], [x, y])
    >>> [v.round(3).tolist() for v in k(np.array([0.5, 1.0]), 2.0)]
    [[0.959, 1.683], [2.479, 2.841]]
    """
    with gc_paused():
        return _lambdify(formula_or_tensor, args, cse, backend)


def _lambdify(formula_or_tensor: Any, args: Sequence[Any], cse: bool = True,
              backend: Any = None) -> Kernel:
    multi = isinstance(formula_or_tensor, (list, tuple))
    outs = [_as_expr(f) for f in formula_or_tensor] if multi else [_as_expr(formula_or_tensor)]
    names = [_arg_name(a) for a in args]
    structure = tuple(range(len(outs))) if multi else None
    gen = _generate(outs, [_arg(a, n) for a, n in zip(args, names)], backend, cse=cse,
                    structure=structure)
    return Kernel(gen, names, "kernel", backend)


def _generate(outs: list, args: list, backend: Any, **kw: Any) -> Generated:
    """:func:`~symgrad.kernels.codegen.generate` for ``backend`` (the fused one
    falls back to plain NumPy for a formula it cannot cut into blocks)."""
    spec = backends.get(backend)
    spec.check()
    if spec.blocked:
        from .backends.fused import AUTO_MIN_NODES, generate_blocked
        name = kw.pop("name", "kernel")  # (the fused kernel's entry point)
        gen = generate_blocked(outs, args, name=name,
                               min_nodes=AUTO_MIN_NODES if spec.name == "auto" else 0, **kw)
        return gen if gen is not None else generate(outs, args, name=name, **kw)
    return generate(outs, args, backend=spec, **kw)


def _arg(x: Any, name: str) -> str | sp.Symbol:
    """What a kernel parameter binds to: the tensor's (or the given) symbol, by
    identity, so that an auto-named constant of the same name stays a constant;
    a name given as text binds by name."""
    if isinstance(x, sp.Symbol):
        return x
    if _is_tensor(x):
        e = x.expr
        return e if isinstance(e, sp.Symbol) and e.name == name else name
    return name


def _free_leaf_names(exprs: Sequence[sp.Basic], first: Sequence[str]) -> list[str]:
    plan = walk(list(exprs))
    extra = sorted({s.name for s in symbols_below(exprs, plan.order)
                    if getattr(s, "value", None) is None} - set(first))
    return list(first) + extra


def compile_grad(f_or_y: Any, wrt: Any, backend: Any = None) -> Kernel:
    """One kernel returning ``(value, gradient)`` of a scalar, sharing their
    common subexpressions (like ``jax.value_and_grad``).

    ``f_or_y`` is a scalar tensor (built from ``wrt``) or a function that
    builds one from ``wrt`` (symbolic or valued tensors). With a list of
    ``wrt`` the gradient is a tuple. The kernel takes the ``wrt`` arrays
    first, then any other leaf the formula uses (sorted by name). ``backend``
    as in :func:`lambdify`.
    """
    with gc_paused():
        return _compile_grad(f_or_y, wrt, backend)


def _compile_grad(f_or_y: Any, wrt: Any, backend: Any = None) -> Kernel:
    seq = isinstance(wrt, (list, tuple))
    ws = list(wrt) if seq else [wrt]
    if callable(f_or_y) and not isinstance(f_or_y, sp.Basic) and not _is_tensor(f_or_y):
        y = f_or_y(*ws)
    else:
        y = f_or_y
    grads = diff(y, ws)
    grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
    y_expr = _as_expr(y)
    wnames = [_arg_name(w) for w in ws]
    names = _free_leaf_names([y_expr, *grads], wnames)
    structure = (0, tuple(range(1, len(ws) + 1))) if seq else (0, 1)
    gen = _generate([y_expr, *grads], names, backend, likes=[None, *wnames],
                    structure=structure, name="value_and_grad")
    return Kernel(gen, names, "value_and_grad", backend)

