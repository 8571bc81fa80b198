"""The builders' and the reverse sweep's fast paths give what the general paths give.

Building a formula takes shortcuts for speed (``benchmarks/symbolic_depth.py``
measures them): ``node`` makes sums, products and powers without SymPy's
constructor and works out their hash and (in the common case) their shape on
the spot; ``_register`` hashes function nodes the same way; the reverse sweep
handles sums and products of two args inline and keeps a contribution ``c*g``
(a number times a plain cotangent) as a pair until it builds ``c*g*partial``.
Each shortcut must give exactly (the same canonical object) what the general
path gives, which is what these property tests check on random formulas.
"""

from __future__ import annotations

from typing import Any

import sympy
from hypothesis import given
from hypothesis import strategies as st

from symgrad.symbolic import algebra, reverse
from symgrad.symbolic.algebra import (ONE, ZERO, _CANON, _NORMAL, add, call, intern, mul,
                                      mul_scaled, node, power, scalable)
from symgrad.symbolic.nodebase import Structural
from symgrad.symbolic.nodes import SumOver
from symgrad.symbolic.shapes import _elementwise_shape, broadcast, shape_of, tensor_args
from symgrad.symbolic.symbols import TensorSymbol

_names = iter(range(10 ** 9))

SHAPES = [(), (3,), (2, 3), (1, 3), (None,)]
NUMBERS = [sympy.Rational(1, 2), sympy.Integer(3), sympy.Integer(-1), sympy.Float(0.25),
           sympy.Float(1.0), sympy.Float(0.0), sympy.Integer(0), sympy.Integer(1),
           sympy.Rational(-2, 3)]
FUNCTIONS = [sympy.sin, sympy.cos, sympy.exp, sympy.tanh]


def fresh(shape: tuple) -> Any:
    """A new symbol (nothing shared with earlier examples), its shape known."""
    s = intern(TensorSymbol(f"fp{next(_names)}", shape))
    shape_of(s)
    return s


@st.composite
def formulas(draw: Any, size: int = 8) -> tuple[Any, list]:
    """A random elementwise formula DAG over fresh symbols of broadcastable shapes
    (with a reduction now and then, and steps of the benchmark's chain
    ``sin(x)*c + x*d``), built by the cheap builders; and its symbols."""
    syms = [fresh(draw(st.sampled_from([(3,), (2, 3), (1, 3), ()]))) for _ in range(3)]
    pool = list(syms)
    for _ in range(draw(st.integers(1, size))):
        x = draw(st.sampled_from(pool))
        y = draw(st.sampled_from(pool))
        kind = draw(st.integers(0, 9))
        if kind == 0:
            z = add(x, y)
        elif kind == 1:
            z = mul(x, y)
        elif kind == 2:
            z = mul(x, draw(st.sampled_from(NUMBERS)))
        elif kind == 3:
            z = call(draw(st.sampled_from(FUNCTIONS)), x)
        elif kind == 4:
            z = power(x, draw(st.sampled_from([2, -1, sympy.Rational(1, 2)])))
        elif kind == 5:
            z = SumOver.make(x)
        elif kind == 6:
            z = add(mul(x, draw(st.sampled_from(NUMBERS))), mul(y, draw(st.sampled_from(NUMBERS))))
        else:  # (7, 8, 9) the chain's step, on the latest node
            x = pool[-1]
            z = add(mul(call(draw(st.sampled_from(FUNCTIONS)), x), draw(st.sampled_from(NUMBERS))),
                    mul(x, draw(st.sampled_from(NUMBERS))))
        pool.append(z)
    return pool[-1], syms


def dag(e: Any) -> list:
    """The nodes under ``e``, each once."""
    seen, stack, out = set(), [e], []
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        seen.add(id(x))
        out.append(x)
        stack.extend(x.args)
    return out


def reference_shape(e: Any, memo: dict) -> tuple:
    """The shape by the rules alone: leaves' own, broadcasting, structural rules."""
    got = memo.get(id(e))
    if got is None:
        if not e.args or e.is_Atom:
            shp = getattr(e, "shape", ())
            got = tuple(shp) if isinstance(shp, tuple) else ()
        else:
            kids = [reference_shape(a, memo) for a in tensor_args(e)]
            got = tuple(e.shape_rule(*kids)) if isinstance(e, Structural) else broadcast(*kids)
        memo[id(e)] = got
    return got


@given(formulas())
def test_built_nodes_hash_as_sympy_and_know_their_shape(case: tuple) -> None:
    """Every node the builders make hashes as SymPy's own ``Basic.__hash__`` does,
    and any shape worked out at construction is the one the shape rules give."""
    y, _ = case
    memo: dict = {}
    for n in dag(y):
        if n.args:  # (atoms hash their own way)
            h = n._mhash
            n._mhash = None
            assert hash(n) == h  # (recomputed by Basic.__hash__)
        known = _CANON.get(id(n))
        if known is not None:
            assert known == reference_shape(n, memo), n


@given(st.lists(st.sampled_from(SHAPES), min_size=1, max_size=4))
def test_elementwise_shape_is_broadcast(shapes: list) -> None:
    try:
        want: Any = broadcast(*shapes)
    except ValueError:
        want = ValueError
    try:
        got: Any = _elementwise_shape(list(shapes))
    except ValueError:
        got = ValueError
    assert got == want


@given(st.sampled_from(NUMBERS), st.sampled_from(SHAPES[:3]), st.integers(0, 3),
       st.integers(0, 4))
def test_mul_scaled_is_mul_of_mul(c: Any, shape: tuple, gk: int, pk: int) -> None:
    """``scalable(c, g)`` means ``mul(g, c)`` is the normal product node ``c*g``; and
    ``mul_scaled(c, g, p)`` (the sweep's shortcut) is ``mul(mul(g, c), p)``."""
    c = intern(c)
    x, z = fresh(shape), fresh(shape)
    g = [x, call(sympy.sin, x), mul(x, z), power(x, 2)][gk]
    p = [z, call(sympy.cos, x), g, mul(3, z), power(g, 2)][pk]
    if not scalable(c, g):
        assert c.is_Number is False or c in (ONE, ZERO) or float(c) in (0.0, 1.0) \
            or g.is_Mul or g.is_Pow
        return
    cg = mul(g, c)
    assert cg.is_Mul and cg.args == (c, g) and id(cg) in _NORMAL
    fast = mul_scaled(c, g, p)
    assert fast is mul(mul(g, c), p)
    assert (id(fast) in _NORMAL) == (id(mul(cg, p)) in _NORMAL)


def reference_gradient(y: Any, wrt: list, ct: Any) -> list:
    """The reverse sweep by the general rules only: every elementwise node through
    ``_elementwise_vjp`` (SymPy-derived local partials), every structural node
    through its ``vjp``, every contribution built when it is made."""
    y, wrt = intern(y), [intern(w) for w in wrt]
    targets = {id(w) for w in wrt}
    order, active = reverse._topo(y, targets)
    cts: dict = {id(y): [intern(ct)]}
    done: dict = {}
    for e in reversed(order):
        lst = cts.pop(id(e), None)
        if not lst:
            continue
        g = lst[0] if len(lst) == 1 else add(*lst)
        if id(e) in targets:
            done[id(e)] = g
            continue
        contribs = e.vjp(g, 0) if isinstance(e, Structural) else \
            reverse._elementwise_vjp(e, g, 0, active)
        for a, c in zip(tensor_args(e), contribs):
            if c is not None and c is not ZERO and active.get(id(a)):
                cts.setdefault(id(a), []).append(c)
    return [reverse.to_shape(done.get(id(w)), shape_of(w), w) for w in wrt]


@given(formulas(size=10), st.sampled_from([1, sympy.Rational(1, 2), "symbol"]))
def test_reverse_sweep_matches_the_general_rules(case: tuple, seed: Any) -> None:
    """The sweep's inline sums and products and its ``(c, g)`` pairs build the very
    gradient (the same canonical objects) that the general rules build."""
    y, syms = case
    y = SumOver.make(y)
    ct = fresh(()) if seed == "symbol" else seed
    fast = reverse.gradient(y, syms, ct)
    assert all(f is r for f, r in zip(fast, reference_gradient(y, syms, ct))), (fast, y)


def test_a_pair_never_outlives_the_sweep() -> None:
    """A contribution kept as a pair ``(c, g)`` reaches a sum, a structural node and a
    chain of functions as the formula the general rules build (golden: as before
    the shortcut)."""
    a = fresh((3,))
    y = SumOver.make(add(mul(call(sympy.sin, a), sympy.Rational(1, 2)),
                         mul(a, sympy.Float(0.25)), SumOver.make(mul(a, 3))))
    (g,) = reverse.gradient(y, [a], 1)
    assert str(g).replace(str(a), "a") == "3*sum_to(ones(3), ()) + cos(a)/2 + 0.25"
    assert g is reference_gradient(y, [a], 1)[0]
    y = SumOver.make(mul(call(sympy.exp, mul(call(sympy.sin, a), sympy.Rational(1, 2))), 3))
    (g,) = reverse.gradient(y, [a], 1)
    assert str(g).replace(str(a), "a") == "3*exp(sin(a)/2)*cos(a)/2"
    assert g is reference_gradient(y, [a], 1)[0]


def test_node_builds_what_sympy_builds() -> None:
    """``node``'s inline constructor: the same args, hash and assumptions as SymPy's
    unevaluated constructor (equality of two small trees is fine here)."""
    a, b = fresh((3,)), fresh((3,))
    for cls, args in [(sympy.Mul, (intern(sympy.Rational(1, 2)), a)), (sympy.Add, (a, b)),
                      (sympy.Pow, (a, intern(sympy.Integer(2)))), (sympy.sin, (a,))]:
        ours = node(cls, *args)
        theirs = cls(*args, evaluate=False)
        assert type(ours) is type(theirs) and ours.args == theirs.args
        assert hash(ours) == hash(theirs) and ours == theirs
        assert ours.is_commutative is True
    assert algebra._HASH_HEAD[sympy.sin] == ("sin",)
