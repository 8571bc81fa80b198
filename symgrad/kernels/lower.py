"""Kernel-only rewrites of the formula DAG, applied just before code generation.

The formulas stay readable (``logsumexp(Z, dim=1)``, ``softmax(Z, dim=1)``);
the kernel computes them from shared pieces so that a value and its
gradient do the expensive work once:

- ``logsumexp(x, axes)`` is ``log(s) + m`` and ``softmax(x, dim)`` is
  ``e/s``, with ``m = shift_max(x, axes)``, ``e = exp(x - m)`` and
  ``s = sum(e, axes, keepdim=True)``: built with the hash-consing builders,
  the forward's and the gradient's ``e`` and ``s`` are one node each, and
  the DAG sharing computes them once;
- ``rest + index_put(zeros, [key] += v)`` (the adjoint of picking elements,
  added to a dense cotangent) becomes ``index_put(rest, [key] += v)``: an
  add at the indices instead of a dense scatter into zeros and a full add;
- a sum whose terms all multiply the same base (each term used only there)
  takes it out: ``2*a + 4*a**3`` is ``a*(2 + 4*a**2)``, one multiply per
  element instead of one per term.

Everything is one memoised, iterative walk (the DAG, never the tree).

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.nodes import LogSumExp, Softmax
>>> Z = TensorSymbol("Z", (4, 3))
>>> lse, sm = lower([LogSumExp.new(Z, (1,), False), Softmax.new(Z, 1)])
>>> lse
squeeze(shift_max(Z, dim=1, keepdim=True) + log(sum(exp(Z - shift_max(Z, dim=1, keepdim=True)), dim=1, keepdim=True)), dim=1)
>>> sm
exp(Z - shift_max(Z, dim=1, keepdim=True))/sum(exp(Z - shift_max(Z, dim=1, keepdim=True)), dim=1, keepdim=True)
>>> from symgrad.kernels.dag import dag_size
>>> dag_size([lse, sm])  # shift_max, -shift, -, exp, sum, log, +, squeeze, 1/sum, *
10
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ..symbolic.algebra import add, call, intern, mul, node, power, sub
from ..symbolic.nodes import BroadcastTo, IndexPut, LogSumExp, ShiftMax, Softmax, Squeeze, SumOver
from ..symbolic.shapes import shape_of
from .dag import operands, walk


def lower(outputs: Sequence[sp.Basic], sizes: list | None = None) -> list[sp.Basic]:
    """``outputs`` with the rewrites of the module docstring applied (the
    number of distinct nodes of the formula as given is appended to ``sizes``)."""
    outs = [intern(o) for o in outputs]
    plan = walk(outs)
    if sizes is not None:
        sizes.append(len(plan.order))
    if not any(isinstance(n, (LogSumExp, Softmax, sp.Add)) for n in plan.order):
        return outs
    new: dict[sp.Basic, sp.Basic] = {}
    old: dict[sp.Basic, sp.Basic] = {}  # new -> the node it replaced (kept in step)
    for n in plan.order:
        args = n.args
        if any(a in new for a in operands(n)):
            args = tuple(new.get(a, a) for a in args)
        if isinstance(n, sp.Add):
            r = add(*args) if args is not n.args else n
            if isinstance(r, sp.Add):
                r = _fold_index_put(r)
            if isinstance(r, sp.Add):
                r = _factor(r, plan.uses, old)
        elif isinstance(n, sp.Mul):
            r = mul(*args) if args is not n.args else n
        elif isinstance(n, LogSumExp):
            r = _logsumexp(args[0], n.axes, n.keepdim)
        elif type(n) is Softmax and isinstance(n.param(0), int):  # not LogSoftmax
            m, e, s = _pieces(args[0], (n.param(0),))
            r = mul(e, _inv(s))
        elif args is not n.args:
            r = node(type(n), *[intern(a) for a in args])
        else:
            continue
        if r is not n:
            new[n] = r
            old[r] = n
    return [new.get(o, o) for o in outs]


def _inv(x: sp.Basic) -> sp.Basic:
    return power(x, -1)


def _pieces(x: sp.Basic, axes: tuple) -> tuple:
    """``m = shift_max(x)``, ``e = exp(x - m)``, ``s = sum(e, keepdim)`` over ``axes``."""
    m = ShiftMax.new(x, tuple(axes), True)
    e = call(sp.exp, sub(x, m))
    return m, e, SumOver.new(e, tuple(axes), True)


def _logsumexp(x: sp.Basic, axes: tuple, keepdim: bool) -> sp.Basic:
    m, _, s = _pieces(x, axes)
    out = add(call(sp.log, s), m)
    return out if keepdim or not axes else Squeeze.new(out, tuple(axes))


def _fold_index_put(r: sp.Add) -> sp.Basic:
    """``rest + index_put(zeros, [key] += v)`` -> ``index_put(rest, [key] += v)``
    when ``rest`` already has the sum's full shape."""
    full = shape_of(r)
    for i, t in enumerate(r.args):
        if isinstance(t, IndexPut) and t.param(1) and isinstance(t.args[0], BroadcastTo) \
                and t.args[0].args[0] == 0 and tuple(shape_of(t)) == tuple(full):
            rest = add(*(r.args[:i] + r.args[i + 1:]))
            if tuple(shape_of(rest)) == tuple(full) and None not in full:
                return IndexPut.new(rest, t.args[1], t.param(0), True)
    return r


def _base_exp(f: sp.Basic) -> tuple[sp.Basic, int]:
    if isinstance(f, sp.Pow) and f.exp.is_Integer and int(f.exp) > 0:
        return f.base, int(f.exp)
    return f, 1


def _factor(r: sp.Add, uses: dict, old: dict) -> sp.Basic:
    """``c1*b**k1*... + c2*b**k2*...`` -> ``b**min(k)*(...)`` when every term is a
    product (or power) used only by this sum and ``b`` is not a number."""
    terms = r.args
    if len(terms) < 2 or any(t.is_Number for t in terms):
        return r
    if any(uses.get(old.get(t, t), 1) > 1 for t in terms):
        return r
    common: dict[sp.Basic, int] | None = None
    for t in terms:
        factors = t.args if isinstance(t, sp.Mul) else (t,)
        here: dict[sp.Basic, int] = {}
        for f in factors:
            if f.is_Number:
                continue
            b, k = _base_exp(f)
            here[b] = here.get(b, 0) + k
        if common is None:
            common = here
        else:
            common = {b: min(k, here[b]) for b, k in common.items() if b in here}
        if not common:
            return r
    b, k = next(iter(common.items()))  # type: ignore[union-attr]
    inv = power(b, -k)
    return mul(power(b, k), add(*[mul(t, inv) for t in terms]))
