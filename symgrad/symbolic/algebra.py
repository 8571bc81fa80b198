"""Cheap elementwise algebra: ``add``, ``mul``, ``power``, ``call``.

SymPy's automatic evaluation walks (and asks assumptions of) whole trees,
which costs milliseconds per op and recursion on deep graphs. These builders
create unevaluated nodes and do only *local* canonicalisation that pays:
numbers are folded, equal terms collected (``a + a`` -> ``2*a``), equal
factors merged (``a*a`` -> ``a**2``), nested sums/products flattened one level
when small, ``x**1`` and ``x*1`` dropped. Everything is O(number of args).

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> a = TensorSymbol("a", (3,))
>>> mul(a, a), add(a, a), add(mul(2, a), mul(a, 2)), power(power(a, 2), 3)
(a**2, 2*a, 4*a, a**6)
>>> (E(a) * E(a) / 4 - 1).x
a**2/4 - 1
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sympy
from sympy import Add, Expr, Integer, Mul, Pow
from sympy.core.basic import Basic
from sympy.core.cache import clear_cache

from .symbols import as_number

_FLAT = 8  # flatten nested Add/Mul only up to this many args (keeps sums of n terms O(n))
ONE, ZERO = Integer(1), Integer(0)

# Hash-consing: every node the builders make is looked up by (type, identities of
# its args), so structurally equal formulas are the *same* object. SymPy's ``==``
# then stops at ``is``, instead of comparing two equal DAGs as trees (exponential).
# ``_CANON`` maps the ids of canonical objects to their shape (known when the node
# is made if that is free, see ``_broadcast_known``; else ``None`` until
# :func:`symgrad.symbolic.shapes.shape_of` asks): they live as long as the table,
# so an id found there can only belong to that very object (the O(1) fast path),
# and whatever is keyed by such an id (shapes, local partials) never goes stale.
_TABLE: dict[tuple, sympy.Basic] = {}
_CANON: dict[int, Any] = {}

# The SymPy number of a Python int/float (``as_number`` costs microseconds).
_NUMBERS: dict[Any, sympy.Expr] = {}
_NUMBERS_MAX = 4096

# Per class: the assumptions a node of a SymPy function class starts with, knowing
# it is commutative (SymPy would otherwise ask its args, recursively, when first
# asked), or ``None`` when the class answers ``is_commutative`` itself.
_FACTS: dict[type, Any] = {}

# Ids of the products ``mul`` returned: normal forms (``mul`` gives them back
# unchanged), so ``add`` keeps such a term as it is.
_NORMAL: set[int] = set()


# Release: the table keeps alive what it interned (so that an id stays unique), which
# would keep every formula and constant array ever built. ``release`` drops the entries
# nothing outside the table refers to (a tensor, a formula, a cache) and, with them,
# every id-keyed cache entry (the hooks in ON_RELEASE clear the recomputable ones);
# live formulas stay canonical. It runs after a full garbage collection once the table
# has doubled since the last release (and holds at least RELEASE_NODES nodes): never
# inside a build, which pauses collection; and at the start of an outermost build once
# RELEASE_BYTES of constant arrays were interned since (see gc_paused).
RELEASE_NODES = 50_000
RELEASE_BYTES = 64 * 2**20
ON_RELEASE: list[Callable[[], None]] = []
_held = [0]  # bytes of the constant arrays interned since the last release
_next = [RELEASE_NODES]  # table size that triggers the next release


def release() -> int:
    """Drop the interned nodes that nothing outside the table (and the caches) refers
    to, so that they and their constant arrays are freed; returns how many stay.

    A node is dead when only the table holds it (``sys.getrefcount``, after its
    dead parents are dropped): one pass, newest first.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> a = intern(TensorSymbol("a", (3,)))
    >>> b = intern(TensorSymbol("b", (3,)))
    >>> key = id(b)
    >>> del b
    >>> _ = release()
    >>> id(a) in _CANON, key in _CANON, intern(a) is a
    (True, False, True)
    """
    for hook in ON_RELEASE:
        hook()
    clear_cache()  # SymPy's own caches (expand's, for one) hold formulas and constants too
    # Newest first: a node comes after its args (it is registered once they are), so
    # when a dead node is dropped, its args lose that reference before their turn.
    keys, nodes = list(_TABLE), list(_TABLE.values())
    canon, normal, table, refcount = _CANON, _NORMAL, _TABLE, sys.getrefcount
    for j in range(len(nodes) - 1, -1, -1):
        # the table's value, `nodes`, and getrefcount's argument: nothing else holds it
        if refcount(nodes[j]) <= 3:
            i = id(nodes[j])
            nodes[j] = None  # freed here, with its references to its args
            del table[keys[j]]
            canon.pop(i, None)
            normal.discard(i)
    _held[0] = 0
    _next[0] = max(RELEASE_NODES, 2 * len(_TABLE))
    return len(_TABLE)


_releasing = [False]


def _after_collection(phase: str, info: dict) -> None:
    """A ``gc.callbacks`` hook: after a full collection, release the table if it has
    doubled (the cost, one walk of the table, is then spread over as many new nodes)."""
    if phase == "stop" and info.get("generation") == 2 and len(_TABLE) > _next[0] \
            and not _releasing[0]:
        _releasing[0] = True
        try:
            release()
        finally:
            _releasing[0] = False


gc.callbacks.append(_after_collection)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a formula is built: building makes many
    long-lived objects and no garbage, so a collection would only walk the
    ever larger heap (a full one every 25% growth: most of the build's time at
    ten thousand ops). Collection resumes after, as it was. The outermost one
    first releases the intern table if it has grown past its bounds."""
    if not gc.isenabled():
        yield
        return
    if _held[0] > RELEASE_BYTES:
        release()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_object_new = object.__new__


def _construct(cls: type, args: tuple) -> sympy.Basic:
    """A new unevaluated node (args canonical): SymPy's constructors minus
    their LRU cache, sympification and argument checks, which cost more than
    the node itself."""
    if cls is Mul or cls is Add or cls is Pow:
        obj = Basic.__new__(cls, *args)
        obj.is_commutative = True  # (a slot of these classes)
        return obj
    if issubclass(cls, sympy.Function):
        return Basic.__new__(cls, *args)
    return cls(*args, evaluate=False)  # pragma: no cover - other SymPy classes


def _facts_of(cls: type) -> Any:
    """The starting assumptions of a commutative node of ``cls`` (see ``_FACTS``)."""
    if isinstance(getattr(cls, "is_commutative", None), bool):
        facts = None  # the class says it (ours do): nothing to ask
    else:
        facts = cls.default_assumptions.copy()
        facts.deduce_all_facts((("commutative", True),))
    _FACTS[cls] = facts
    return facts


def _commutative(e: sympy.Basic) -> None:
    """Settle ``e.is_commutative`` now, in O(1), from its (canonical) args; SymPy
    would ask every node below it, recursively, the first time (deep chains)."""
    cls = type(e)
    facts = _FACTS.get(cls, False)
    if facts is False:
        facts = _facts_of(cls)
    if facts is None or not isinstance(e, sympy.Function):
        e.is_commutative  # noqa: B018 - a slot or a class attribute: free
        return
    for a in e._args:
        if a.is_commutative is not True:  # args are settled: a lookup each
            e.is_commutative  # noqa: B018 - SymPy decides (one level: args are settled)
            return
    kb = facts.__class__.__new__(facts.__class__)  # a copy without re-deducing
    dict.update(kb, facts)
    kb.__dict__ = facts.__dict__.copy()
    e._assumptions = kb


# Per class: ``(class name,)`` when its instances hash as ``Basic`` does, from their
# args (``Basic.__hash__`` over ``_args``), else None (the class hashes its own way).
_HASH_HEAD: dict[type, Any] = {Mul: ("Mul",), Add: ("Add",), Pow: ("Pow",)}
_ARGS_CONTENT = (Basic._hashable_content, sympy.Expr._hashable_content)


def _hash_head(cls: type) -> Any:
    head = _HASH_HEAD[cls] = (cls.__name__,) if cls.__hash__ is Basic.__hash__ \
        and cls._hashable_content in _ARGS_CONTENT else None
    return head


# Per class: whether its nodes broadcast all their args (no ``tensor_args`` or
# ``shape_rule`` of their own: SymPy's Mul, Add, Pow and functions), the nodes
# whose shape ``_register`` works out when it can (see ``_broadcast_known``).
_BROADCASTS: dict[type, bool] = {Mul: True, Add: True, Pow: True}


def _broadcasts(cls: type) -> bool:
    b = _BROADCASTS[cls] = getattr(cls, "tensor_args", None) is None \
        and getattr(cls, "shape_rule", None) is None
    return b


def _broadcast_known(args: tuple) -> Any:
    """The shape of an elementwise node over canonical ``args`` when it needs no
    work: every arg's shape is known (a number's is ``()``) and the non-scalar
    ones are all the same (``shapes.broadcast``'s common case); else ``None``
    (``shapes.shape_of`` works it out when asked). Shapes live in ``_CANON``.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> from symgrad.symbolic.shapes import shape_of
    >>> v = intern(TensorSymbol("v_broadcast_known", (3,)))
    >>> print(_broadcast_known((ONE, v)))  # v's shape is not known yet
    None
    >>> shape_of(v), _broadcast_known((ONE, v)), _broadcast_known((v, v))
    ((3,), (3,), (3,))
    """
    canon = _CANON
    first = ()
    for a in args:
        k = canon.get(id(a))
        if k is None:
            if not a.is_Number:
                return None
        elif k:
            if not first:
                first = k
            elif k != first:
                return None
    return first


def _register(key: tuple, e: sympy.Basic) -> sympy.Basic:
    cls = type(e)
    head = _HASH_HEAD.get(cls, False)
    if head is False:
        head = _hash_head(cls)
    if head is not None and e._mhash is None:  # SymPy's hash, without its two calls
        e._mhash = hash(head + e._args)
    else:
        hash(e)  # memoised bottom-up: later dict lookups never recurse deeply
    if cls is not Mul and cls is not Add and cls is not Pow:  # (those know it already)
        _commutative(e)  # likewise the assumption SymPy asks when building Mul/Add
    _TABLE[key] = e
    b = _BROADCASTS.get(cls)
    if b is None:
        b = _broadcasts(cls)
    _CANON[id(e)] = _broadcast_known(e._args) if b and e._args and not e.is_Atom else None
    return e


def node(cls: type, *args: sympy.Basic) -> sympy.Basic:
    """The canonical ``cls(*args)`` (unevaluated) for canonical ``args``.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> a = intern(TensorSymbol("a", (3,)))
    >>> node(Pow, a, intern(Integer(2))) is node(Pow, a, intern(Integer(2)))
    True
    """
    n = len(args)
    key = (cls, id(args[0]), id(args[1])) if n == 2 else (cls, id(args[0])) if n == 1 \
        else (cls, *map(id, args))
    got = _TABLE.get(key)
    if got is not None:
        return got
    if cls is Mul or cls is Add or cls is Pow:  # _construct and _register, inlined
        e = _object_new(cls)  # Basic.__new__(cls, *args), inlined
        e._assumptions = cls.default_assumptions
        e._args = args
        e.is_commutative = True  # (a slot of these classes)
        e._mhash = hash(_HASH_HEAD[cls] + args)  # hash(e), without Basic.__hash__'s calls
        _TABLE[key] = e
        canon = _CANON
        shape: Any = ()  # _broadcast_known(args), inlined: the shape when it is that simple
        for a in args:
            k = canon.get(id(a))
            if k is None:
                if not a.is_Number:
                    shape = None
                    break
            elif k:
                if not shape:
                    shape = k
                elif k != shape:
                    shape = None
                    break
        canon[id(e)] = shape
        return e
    return _register(key, _construct(cls, args))


def _intern_flat(e: sympy.Basic, args: tuple) -> sympy.Basic:
    """The canonical node of ``e``'s type over canonical ``args`` (``e`` itself
    when its args are already those)."""
    if all(x is y for x, y in zip(args, e._args)):
        key = (type(e), *map(id, args))
        got = _TABLE.get(key)
        return got if got is not None else _register(key, e)
    if isinstance(e, (Add, Mul, Pow, sympy.Function)):
        return node(type(e), *args)
    r = e.func(*args, evaluate=False)  # pragma: no cover - other SymPy classes
    return r if id(r) in _CANON else intern(r)  # pragma: no cover


def _intern_atom(e: sympy.Basic) -> sympy.Basic:
    key: tuple = (type(e), e._hashable_content())
    got = _TABLE.get(key)
    if got is not None:
        return got
    _held[0] += getattr(getattr(e, "value", None), "nbytes", 0)  # a constant's array
    return _register(key, e)


def intern(e: Any) -> Any:
    """The canonical object equal to ``e`` (a number, symbol or any tree).

    One iterative walk, memoised by identity: a DAG built outside the builders
    (SymPy's own constructors) is walked once per distinct object, never as a
    tree and never recursively.
    """
    if id(e) in _CANON or not isinstance(e, sympy.Basic):
        return e
    if not e._args:
        return _intern_atom(e)
    memo: dict[int, sympy.Basic] = {}
    stack = [e]
    while stack:
        x = stack[-1]
        if id(x) in memo:
            stack.pop()
            continue
        pending = [a for a in x._args if id(a) not in memo and id(a) not in _CANON]
        if pending:
            for a in pending:
                if not a._args:
                    memo[id(a)] = _intern_atom(a)
                else:
                    stack.append(a)
            if len(stack) > 1 and stack[-1] is not x:
                continue
        stack.pop()
        memo[id(x)] = _intern_flat(x, tuple(memo.get(id(a), a) for a in x._args))
    return memo[id(e)]


def _is(n: sympy.Expr, v: int) -> bool:
    """``n == v`` for a canonical number, without SymPy's ``__eq__`` when possible."""
    return n is (ONE if v == 1 else ZERO) or (n.is_Float and n == v)


def _canon(x: Any) -> sympy.Expr:
    if id(x) in _CANON:
        return x
    t = type(x)
    if t is float or t is int:
        got = _NUMBERS.get(x)
        if got is None:
            got = intern(as_number(x))
            if len(_NUMBERS) >= _NUMBERS_MAX:
                _NUMBERS.clear()
            _NUMBERS[x] = got
        return got
    return intern(as_number(x))


def _term_key(p: sympy.Expr) -> Any:
    """``add``'s collection key of a canonical term ``p`` (not a number or a
    sum), or None when ``add`` would rebuild ``p`` (a product not in normal form)."""
    if p.is_Mul and p._args[0].is_Number:
        rest = p._args[1:]
        if id(p) not in _NORMAL or len(rest) > _FLAT:
            return None
        if len(rest) == 1:
            return id(rest[0])
        ids = tuple(map(id, rest))
        t = _TABLE.get((Mul, *ids))
        return id(t) if t is not None else ids
    return id(p)


def _add2(x: Any, y: Any) -> sympy.Expr | None:
    """``add(x, y)`` of two canonical terms that cannot combine (the commonest
    sum of a derivative chain), without ``add``'s dictionaries; else None."""
    canon = _CANON
    if id(x) not in canon or id(y) not in canon or x.is_Number or y.is_Number \
            or x.is_Add or y.is_Add:
        return None
    kx, ky = _term_key(x), _term_key(y)
    if kx is None or ky is None or kx == ky:
        return None
    return node(Add, x, y)


def add(*xs: Any) -> sympy.Expr:
    """The sum of ``xs``, unevaluated but with equal terms collected."""
    if len(xs) == 2:
        r = _add2(*xs)
        if r is not None:
            return r
    const = ZERO
    # key of t -> [t's factors, coefficient, the term if seen once in normal form] for
    # each term c*t; the key is t's id, or
    # (for a product t that is no node yet) its factors' ids: no node is built for t
    # unless its coefficient is needed on its own
    terms: dict[Any, list] = {}
    canon = _CANON
    for x in xs:
        if id(x) not in canon:
            x = _canon(x)
        if x.is_Add and len(x._args) <= _FLAT:
            parts = x._args
        else:
            parts = (x,)
        for p in parts:
            if p.is_Number:
                const = p if const is ZERO else const + p
                continue
            if p.is_Mul and p._args[0].is_Number:
                pa = p._args
                c, rest = pa[0], pa[1:]
                if len(rest) == 1:
                    key: Any = id(rest[0])
                else:
                    ids = tuple(map(id, rest))
                    t = _TABLE.get((Mul, *ids))
                    key = id(t) if t is not None else ids
                normal = id(p) in _NORMAL and len(rest) <= _FLAT  # (else nested)
            else:
                c, rest, key, normal = ONE, (p,), id(p), True
            slot = terms.get(key)
            if slot is None:
                terms[key] = [rest, c, p if normal else None]
            else:
                slot[1] = slot[1] + c
                slot[2] = None
    out = []
    for rest, c, p in terms.values():
        if p is not None:  # a term seen once, in normal form: itself
            out.append(p)
            continue
        if c is ZERO or _is(c, 0):
            continue
        t = rest[0] if len(rest) == 1 else node(Mul, *rest)
        out.append(t if c is ONE else mul(c, t))
    if not _is(const, 0) or not out:
        out.insert(0, intern(const))
    return out[0] if len(out) == 1 else node(Add, *out)


def mul(*xs: Any, keep_zero: bool = False) -> sympy.Expr:
    """The product of ``xs``, unevaluated, equal bases merged into powers.

    ``0*x`` is ``0`` unless ``keep_zero`` (which keeps the shape of ``x``).
    """
    if len(xs) == 2:
        r = _mul2(*xs)
        if r is not None:
            return r
    coeff = ONE
    powers: dict[int, list] = {}  # id(base) -> [base, exponent]; args are canonical
    canon = _CANON
    for x in xs:
        if id(x) not in canon:
            x = _canon(x)
        if x.is_Mul and len(x._args) <= _FLAT:
            parts = x._args
        else:
            parts = (x,)
        for p in parts:
            if p.is_Number:
                coeff = p if coeff is ONE else coeff * p
                continue
            if p.is_Pow and p._args[1].is_Number:
                b, e = p._args
            else:
                b, e = p, ONE
            slot = powers.get(id(b))
            if slot is None:
                powers[id(b)] = [b, e]
            else:
                slot[1] = slot[1] + e
    if coeff is not ONE and not keep_zero and _is(coeff, 0):
        return ZERO
    factors = []
    normal = True  # every factor splits again into its (base, exponent): mul(r) is r
    for b, e in powers.values():
        if e is ONE:
            f = b
            if f.is_Number or f.is_Mul and len(f._args) <= _FLAT \
                    or f.is_Pow and f._args[1].is_Number:
                normal = False  # (x**(1/2))**2 -> a factor x (a power, or a product)
        elif _is(e, 0):
            continue
        else:
            f = power(b, e)
            if f is ONE:
                continue
            if not (f.is_Pow and f._args[0] is b):
                normal = False  # power() folded or merged: sqrt(2)**2 -> 2, (y**(1/2))**4
        factors.append(f)
    if coeff is not ONE:
        if not _is(coeff, 1) or not factors:
            factors.insert(0, intern(coeff))
    elif not factors:
        return ONE
    if len(factors) == 1:
        return factors[0]
    r = node(Mul, *factors)
    if normal:
        _NORMAL.add(id(r))
    return r


def _mul2(x: Any, y: Any) -> sympy.Expr | None:
    """``mul(x, y)`` in the commonest cases of a derivative chain, without its
    dictionaries (the very node ``mul`` builds), else None: ``number * plain``
    (either way round), ``normal product * plain`` and ``plain * plain`` (a new base),
    where a plain factor is a canonical one that ``mul`` keeps as it is (no number,
    product or power; tested inline: this is the hot path of every chain)."""
    canon = _CANON
    if id(y) in canon and not (y.is_Number or y.is_Mul or y.is_Pow):  # _plain(y)
        if id(x) not in canon:
            x = _canon(x)
        if x.is_Number:
            return _scale(x, y)
        if x.is_Mul and id(x) in _NORMAL and len(x._args) < _FLAT:
            for f in x._args:  # y must be a new base
                if f is y or (f.is_Pow and f._args[0] is y):
                    return None
            args: tuple = (*x._args, y)
        elif x is not y and not (x.is_Mul or x.is_Pow):  # _plain(x): canonical, not a number
            args = (x, y)
        else:
            return None
    elif id(x) in canon and not (x.is_Number or x.is_Mul or x.is_Pow):  # _plain(x)
        if id(y) not in canon:
            y = _canon(y)
        return _scale(y, x) if y.is_Number else None
    else:
        return None
    r = node(Mul, *args)
    _NORMAL.add(id(r))
    return r


def _scale(c: sympy.Expr, y: sympy.Expr) -> sympy.Expr | None:
    """``c*y`` for a number ``c`` and a plain ``y`` (None: let ``mul`` decide)."""
    if c is ONE:
        return y
    if c is ZERO or c.is_Float and (c == 0 or c == 1):  # (_is(c, 0) or _is(c, 1))
        return None
    r = node(Mul, c, y)
    _NORMAL.add(id(r))
    return r


def scalable(c: Any, g: Any) -> bool:
    """Whether ``mul(g, c)`` is the product node ``c*g`` itself: ``c`` a number
    other than 0 and 1, ``g`` a canonical plain factor (no number, product or
    power). The reverse sweep may then keep the pair and build the product
    later (:func:`mul_scaled`), or never, when ``c*g`` only feeds ``c*g*p``.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> a = intern(TensorSymbol("a", (3,)))
    >>> h = intern(sympy.Rational(1, 2))
    >>> scalable(h, a), scalable(ONE, a), scalable(h, mul(a, a))
    (True, False, False)
    """
    canon = _CANON
    return c.is_Number and c is not ONE and c is not ZERO \
        and not (c.is_Float and (c == 0 or c == 1)) and id(g) in canon \
        and not (g.is_Number or g.is_Mul or g.is_Pow)


def mul_scaled(c: Any, g: Any, p: Any) -> sympy.Expr:
    """``mul(mul(g, c), p)`` for a :func:`scalable` pair ``(c, g)``, without
    building ``c*g`` when ``p`` is a new plain factor (the product is ``c*g*p``).

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> a, b = intern(TensorSymbol("a", (3,))), intern(TensorSymbol("b", (3,)))
    >>> h = intern(sympy.Rational(1, 2))
    >>> mul_scaled(h, a, b) is mul(mul(a, h), b), mul_scaled(h, a, a) is mul(mul(a, h), a)
    (True, True)
    """
    canon = _CANON
    if id(p) in canon and not (p.is_Number or p.is_Mul or p.is_Pow) and p is not g:
        r = node(Mul, c, g, p)  # what _mul2 makes of (c*g)*p
        _NORMAL.add(id(r))
        return r
    return mul(mul(g, c), p)


def power(b: Any, e: Any) -> sympy.Expr:
    """``b**e`` with numbers folded and ``(x**p)**n`` merged for integer ``n``."""
    b, e = _canon(b), _canon(e)
    if e.is_Number:
        if _is(e, 0):
            return ONE
        if _is(e, 1):
            return b
        if b.is_Number:
            return intern(b ** e)
        if b.is_Pow and b.args[1].is_Number and e.is_Integer:
            return power(b.args[0], b.args[1] * e)
    return node(Pow, b, e)


def neg(x: Any) -> sympy.Expr:
    return mul(-1, x)


def sub(x: Any, y: Any) -> sympy.Expr:
    return add(x, mul(-1, y))


def div(x: Any, y: Any) -> sympy.Expr:
    return mul(x, power(y, -1))


# Per callable given to ``call``: whether it is a SymPy function class (bounded).
_IS_FUNCTION: dict[Any, bool] = {}


def call(func: Any, *args: Any) -> sympy.Expr:
    """``func(*args)`` unevaluated (SymPy functions and our node classes)."""
    canon = _CANON
    if len(args) == 1:
        x = args[0]
        xs: Any = (x if id(x) in canon else _canon(x),)
    else:
        xs = [a if id(a) in canon else _canon(a) for a in args]
    is_function = _IS_FUNCTION.get(func)
    if is_function is None:
        if len(_IS_FUNCTION) >= _NUMBERS_MAX:
            _IS_FUNCTION.clear()
        is_function = _IS_FUNCTION[func] = isinstance(func, type) and \
            issubclass(func, sympy.Function)
    if is_function:
        return node(func, *xs)
    return intern(func(*xs, evaluate=False))


def compile_recipe(expr: sympy.Expr, slots: list) -> tuple:
    """A small template (a local derivative) as a recipe for :func:`run_recipe`:
    ``slots[i]`` becomes ``("s", i)``; sums, products, powers and calls are
    rebuilt by the cheap builders. Templates have a handful of nodes.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> x, a = sympy.Dummy("x"), TensorSymbol("a", (3,))
    >>> r = compile_recipe(1 - x**2, [x])
    >>> run_recipe(r, [sympy.tanh(a)])
    1 - tanh(a)**2
    """
    index = {id(s): i for i, s in enumerate(slots)}

    def comp(x: sympy.Expr) -> tuple:
        if id(x) in index:
            return ("s", index[id(x)])
        for i, s in enumerate(slots):
            if x == s:
                return ("s", i)
        if not x.args or x.is_Number:
            return ("c", intern(x))
        kids = tuple(comp(a) for a in x.args)
        if x.is_Add:
            return ("+", kids)
        if x.is_Mul:
            return ("*", kids)
        if x.is_Pow:
            return ("^", kids)
        return ("f", x.func, kids)

    return comp(expr)


def run_recipe(r: tuple, vals: list) -> sympy.Expr:
    """The formula of recipe ``r`` with slot ``i`` set to ``vals[i]``."""
    tag = r[0]
    if tag == "s":
        return vals[r[1]]
    if tag == "c":
        return r[1]
    if tag == "f":
        return call(r[1], *[run_recipe(k, vals) for k in r[2]])
    args = [run_recipe(k, vals) for k in r[1]]
    if tag == "+":
        return add(*args)
    if tag == "*":
        return mul(*args)
    return power(*args)


def unwrap(x: Any) -> Any:
    """The SymPy expression inside an :class:`E` (or ``x`` itself)."""
    return x.x if isinstance(x, E) else x


class E:
    """A thin wrapper whose Python operators use the cheap builders; the op
    table's ``sym`` lambdas compute with these (``x + alpha*y``, ``1/S.sqrt(x)``)."""

    __slots__ = ("x",)

    def __init__(self, x: Any) -> None:
        if not isinstance(x, Basic):
            x = x.x if type(x) is E else as_number(x)
        self.x = x

    def __add__(self, o: Any) -> E:
        return E(add(self.x, o.x if isinstance(o, E) else o))

    __radd__ = __add__

    def __sub__(self, o: Any) -> E:
        return E(sub(self.x, unwrap(o)))

    def __rsub__(self, o: Any) -> E:
        return E(sub(unwrap(o), self.x))

    def __mul__(self, o: Any) -> E:
        if type(o) is int and o == 1:  # ``alpha * y`` with the default alpha
            return self
        return E(mul(self.x, o.x if isinstance(o, E) else o))

    __rmul__ = __mul__

    def __truediv__(self, o: Any) -> E:
        return E(div(self.x, unwrap(o)))

    def __rtruediv__(self, o: Any) -> E:
        return E(div(unwrap(o), self.x))

    def __pow__(self, o: Any) -> E:
        return E(power(self.x, unwrap(o)))

    def __rpow__(self, o: Any) -> E:
        return E(power(unwrap(o), self.x))

    def __neg__(self) -> E:
        return E(neg(self.x))

    def __pos__(self) -> E:
        return self

    def __repr__(self) -> str:
        return f"E({self.x})"
