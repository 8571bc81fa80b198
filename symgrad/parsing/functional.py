"""Function transforms for ``symgrad run``: ``torch.func`` (``grad``, ``vmap``,
``jacrev``...), ``torch.autograd.functional`` and ``gradcheck``.

They take functions and return functions, so two things are added around them:

* a whitelisted function passed in (``vjp(torch.sin, x)``) goes in as a wrapper that
  calls it through the interpreter, with every size check a direct call gets; a
  function the snippet defined goes in as the Python function that interprets it;
* the function that comes back (``grad(f)``) is wrapped as a whitelisted function,
  so user text can call it and nothing else: it has no attributes.

A Jacobian or Hessian has (inputs x outputs) elements: before the transform builds
one, the wrapper around the function checks that size, from the first call's real
inputs and outputs, against the element limit.

>>> from symgrad.parsing.validate import parse
>>> from symgrad.parsing.limits import Budget, Limits
>>> from symgrad.parsing.interp import Interpreter
>>> it = Interpreter(Budget(Limits(max_tensor_elements=50)))
>>> src = "import torch\\nfrom torch.func import jacrev\\nj = jacrev(torch.sin)(torch.zeros(8))"
>>> it.run(parse(src, "exec").body)
Traceback (most recent call last):
...
symgrad.parsing.errors.InputError: tensor of 64 elements at column 5 exceeds the limit of 50 per tensor
"""

from __future__ import annotations

import ast
import types
from typing import Any

from . import names
from .errors import Position
from .limits import numel

# the modules whose functions take or return functions
MODULES = ("symgrad.func", "symgrad.autograd.functional", "symgrad.autograd.jacobian_check")
# results of (inputs x outputs) elements, or (inputs x inputs x outputs) for a Hessian
_JACOBIAN = frozenset({"jacobian", "jacrev", "jacfwd"})
_HESSIAN = frozenset({"hessian"})


def is_transform(fn: names.Function) -> bool:
    """Whether ``fn`` is one of the function transforms."""
    return fn.owner is None and (getattr(fn.fn, "__module__", None) or "").startswith(MODULES)


def prepare(interp: Any, fn: names.Function, args: tuple, kwargs: dict,
            pos: Position | None) -> tuple[tuple, dict]:
    """``args`` and ``kwargs`` with functions turned into checked Python callables."""
    factor = 2 if fn.name in _HESSIAN else 1 if fn.name in _JACOBIAN else 0

    def conv(v: Any) -> Any:
        if isinstance(v, names.Function):
            return _checked(interp, v, pos, factor)
        py = interp._as_python(v)  # a function the snippet defined, or None
        if py is not None:
            return _bounded(interp, py, pos, factor) if factor else py
        return v

    return tuple(conv(a) for a in args), {k: conv(v) for k, v in kwargs.items()}


def _checked(interp: Any, f: names.Function, pos: Position | None, factor: int) -> Any:
    where = ast.Expr(lineno=pos.line, col_offset=pos.col) if pos is not None else None

    def call(*args: Any, **kwargs: Any) -> Any:
        return interp._invoke(f, args, kwargs, where)

    call.__name__ = call.__qualname__ = f.name
    return _bounded(interp, call, pos, factor) if factor else call


def _bounded(interp: Any, py: Any, pos: Position | None, factor: int) -> Any:
    """``py``, refusing outputs whose Jacobian (``factor`` 1) or Hessian (2) would be
    larger than the element limit."""
    def call(*args: Any, **kwargs: Any) -> Any:
        out = py(*args, **kwargs)
        n_in = sum(_elements(a) for a in list(args) + list(kwargs.values()))
        n_out = _elements(out)
        interp.budget.check_elements(max(n_in, 1) ** factor * max(n_out, 1), pos)
        return out

    call.__name__ = call.__qualname__ = getattr(py, "__name__", "f")
    return call


def _elements(x: Any) -> int:
    if isinstance(x, (list, tuple)):
        return sum(_elements(v) for v in x)
    shape = getattr(x, "shape", None)
    return numel(tuple(shape)) if isinstance(shape, tuple) else 0


def wrap(fn: names.Function, result: Any) -> Any:
    """A function a transform returned, as a whitelisted function (also inside a tuple:
    ``vjp`` returns ``(output, vjp_fn)``)."""
    if isinstance(result, (types.FunctionType, types.MethodType)) or (
            callable(result) and type(result).__module__.startswith(MODULES)):
        return names.Function(f"{fn.name}(...)", result)
    if isinstance(result, tuple) and not hasattr(result, "_fields"):
        return tuple(wrap(fn, r) for r in result)
    return result
