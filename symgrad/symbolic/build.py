"""From the tape's records to formulas: ``expr_of``, ``shape_of``, ``grad_formula_of``.

Each tensor that requires grad (or has no value) keeps its op, inputs and
attrs; ``expr_of`` walks them iteratively (deep chains are fine), calls each
op's ``sym`` rule with the namespace ``S`` and memoises the result in
``t._expr``. Leaves that require grad, or have no value, are
:class:`TensorSymbol` s named ``t.name``; other leaves are named constants
(0-d ones plain numbers); ``detach()``/``.data`` become ``detach(...)``.

>>> import symgrad as sg
>>> a = sg.tensor([1., 2., 3.], requires_grad=True, name="a")
>>> y = (a * a).sum()
>>> expr_of(y)
sum(a**2)
>>> y.backward(); grad_formula_of(a)
2*a
"""

from __future__ import annotations

from typing import Any

import numpy as np
import sympy

from .. import errors
from .algebra import _CANON, E, add, gc_paused, intern
from .namespace import S
from .nodes_linear import BroadcastTo
from .printing import tidy
from .reverse import gradient
from .shapes import broadcast
from .shapes import shape_of as _shape_of_expr
from .symbols import TensorConstant, TensorSymbol, as_number


_SCALARS = frozenset({int, float, bool, complex, type(None), str, tuple, list})


def _is_tensor(x: Any) -> bool:
    """A tensor of the eager front end (this package never imports it): it has a record."""
    return hasattr(x, "record") and hasattr(x, "_data")


def leaf_expr(t: Any) -> sympy.Expr:
    """The symbol (or constant) of a leaf tensor."""
    return intern(_leaf_expr(t))


def _leaf_expr(t: Any) -> sympy.Expr:
    if t._data is None:
        return TensorSymbol(t.name, tuple(t._sym_shape or ()), t._sym_dtype, t._requires_grad)
    if t._requires_grad:
        return TensorSymbol(t.name, tuple(t._data.shape), t.dtype, True)
    if t._data.ndim == 0:
        return as_number(t._data.item())
    return TensorConstant(t.name, t._data, t.dtype)


def _apply(t: Any, rec: Any, args: list) -> E:
    """The formula of ``t`` (made by ``rec``) from its inputs' (``args``: formulas
    wrapped in :class:`E` where the input is a tensor), wrapped in an :class:`E`."""
    op = rec.op
    sym = op.sym
    if sym is None:
        raise NotImplementedError(f"op {op.name!r} has no symbolic form (its OpDef has no sym)")
    attrs = rec.attrs
    w = sym(S, *args, **attrs) if attrs else sym(S, *args)
    if type(w) is E:
        out = w.x
    else:
        out, w = w, None
    if id(out) not in _CANON:
        out, w = intern(as_number(out)), None
    # local algebra may cancel (x - x -> 0): keep the tensor's shape
    if t._data is not None:
        want = t._data.shape
    elif t._sym_shape is not None:  # a ghost (a valued tensor as a record input) knows it
        want = tuple(t._sym_shape)
    elif op.kind == "elementwise":
        want = broadcast(*[_shape_of_expr(a.x) for a in args if type(a) is E])
    else:
        return w if w is not None else E(out)
    have = _CANON.get(id(out))
    if have is None:
        have = _shape_of_expr(out)
    if have != want:
        return E(BroadcastTo.new(out, tuple(want)))
    return w if w is not None else E(out)


def expr_of(t: Any) -> sympy.Expr:
    """The SymPy expression of tensor ``t`` (iterative walk of its record)."""
    if t._expr is not None and t.record.op is not None:
        return t._expr
    with gc_paused():
        return _walk(t)


def _walk(t: Any) -> sympy.Expr:
    T = type(t)
    memo: dict[int, Any] = {}  # id(tensor) -> E(its formula)
    stack: list = [t]  # a tensor stays until its inputs' formulas are known
    push, pop = stack.append, stack.pop
    while stack:
        u = stack[-1]
        i = id(u)
        if i in memo:
            pop()
            continue
        rec = u.record
        if rec.op is None:
            memo[i] = E(leaf_expr(u))
            pop()
            continue
        if u._expr is not None:
            memo[i] = E(u._expr)
            pop()
            continue
        args = []
        ready = True
        for x in rec.inputs:
            if type(x) is T or type(x) not in _SCALARS and _is_tensor(x):
                w = memo.get(id(x))
                if w is None:
                    push(x)
                    ready = False
                    continue
                args.append(w)
            else:
                args.append(x)
        if ready:
            pop()
            memo[i] = w = _apply(u, rec, args)
            u._expr = w.x
    return memo[id(t)].x


def _known_or_1(shape: tuple) -> tuple:
    return tuple(1 if d is None else d for d in shape)


def check_shape(t: Any) -> tuple:
    """The shape of a new value-less tensor ``t``, checked at the op: its node's
    shape rule runs on the (memoised) shapes of its inputs, and a mismatch
    raises PyTorch's error (unknown ``None`` lengths match anything).

    >>> import symgrad as sg
    >>> W, x = sg.symbol("W", (2, 3)), sg.symbol("x", (4,))
    >>> W @ x
    Traceback (most recent call last):
    ...
    RuntimeError: size mismatch, got input (2), mat (2x3), vec (4)
    """
    try:
        return shape_of(t)
    except ValueError:
        pass
    shapes = [shape_of(x) for x in t.record.inputs if _is_tensor(x)]
    op = t.record.op
    if op.shape_error is not None:  # the op's own message (matmul's, for one)
        raise RuntimeError(op.shape_error(op.name, shapes)) from None
    for i in range(len(shapes)):
        for j in range(i + 1, len(shapes)):
            try:
                broadcast(shapes[i], shapes[j])
            except ValueError:
                raise RuntimeError(errors.size_mismatch(
                    _known_or_1(shapes[i]), _known_or_1(shapes[j]), 0)) from None
    raise  # pragma: no cover - a shape rule's own message


def shape_of(t: Any) -> tuple:
    """The shape of a (value-less) tensor, from its formula."""
    if t._data is not None:
        return tuple(t._data.shape)
    if t.record.op is None:
        return tuple(t._sym_shape or ())
    return _shape_of_expr(expr_of(t))


def _seed(seed: Any) -> sympy.Expr:
    if _is_tensor(seed):
        return expr_of(seed)
    arr = np.asarray(seed)
    return intern(as_number(arr.item()) if arr.ndim == 0 else TensorConstant("grad_output", arr))


def grad_formula_of(leaf: Any) -> sympy.Expr | None:
    """The formula of ``leaf.grad``: the sum, over the backward calls that
    reached ``leaf``, of d(output)/d(leaf) contracted with each seed."""
    if leaf._grad is None:
        return None
    with gc_paused():
        return _grad_formula(leaf)


def _grad_formula(leaf: Any) -> sympy.Expr | None:
    events = leaf._grad_events
    if events is None:  # .grad was assigned by hand
        return _seed(leaf._grad)
    wrt = expr_of(leaf)
    terms = []
    for ev in events:
        for out, seed in zip(ev.outputs, ev.seeds):
            ct = sympy.Integer(1) if seed is None else _seed(seed)
            g = gradient(expr_of(out), [wrt], ct)[0]
            terms.append(g)
    return tidy(add(*terms) if terms else gradient(wrt, [wrt], sympy.Integer(0))[0])
