"""Let form: a formula as named intermediates, found in time linear in its DAG.

A formula is a DAG whose tree can be exponentially larger (a loop's body
uses its input several times). Printing it inline would write every shared
node once per path to it, and SymPy's printers recurse once per level. The
let form names a node when it is *shared* (an argument of more than one
node) or when its inline text would pass ``width`` characters; each named
node and the result are then printed as their own top-level node with their
children replaced by their names (or inline, when small and unshared):

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.algebra import add, mul, call
>>> a = TensorSymbol("a", (3,))
>>> t = call(sympy.tanh, a)
>>> lf = let_form(add(mul(t, call(sympy.sin, t)), call(sympy.exp, t)))
>>> [(str(n), str(b)) for n, b in lf.items()], str(lf.result)
([('x1', 'tanh(a)')], 'x1*sin(x1) + exp(x1)')

Every step is an iterative walk over distinct nodes, and every line's inline
part is at most about ``width`` characters, so no printer recurses deeper
than that and a whole print is linear in the DAG (the printers are in
:mod:`symgrad.symbolic.printing`). Small formulas do not need this:
:func:`inline_ok` says whether a formula prints inline (bounded work,
whatever the formula's size).
"""

from __future__ import annotations

import re
from typing import Any

import sympy
from sympy.core.basic import Basic
from sympy.logic.boolalg import Boolean

from .shapes import shape_of
from .symbols import TensorSymbol

INLINE_CHARS = 200   # a formula whose inline text would be longer prints in let form
INLINE_DEPTH = 30    # ... and so does one nested deeper than this
WIDTH = 60           # an unshared intermediate wider than this gets a name
PREFIXES = ("x", "t", "v", "u", "w", "z")


def _nameable(e: Any) -> bool:
    """A computation that may get a name (not a symbol, number, attribute or tuple)."""
    return isinstance(e, (sympy.Expr, Boolean)) and not e.is_Atom and bool(e.args) \
        and not isinstance(e, sympy.Tuple)


def _atom_chars(e: Any) -> int:
    """Characters of an atom's text (an estimate)."""
    if isinstance(e, sympy.Symbol):
        return len(e.name)
    if isinstance(e, sympy.Integer):
        return len(str(e.p))
    if isinstance(e, sympy.Rational):
        return len(str(e.p)) + len(str(e.q)) + 1
    return 6


_OWN: dict[type, tuple[int, int]] = {}


def _own_chars(e: Any) -> int:
    """Characters ``e`` itself adds around its arguments (an estimate)."""
    t = type(e)
    got = _OWN.get(t)
    if got is None:
        if issubclass(t, sympy.Add):
            got = (2, 3)
        elif issubclass(t, (sympy.Mul, sympy.Pow)):
            got = (2, 2)
        else:
            name = getattr(t, "name", None)
            got = (len(name if isinstance(name, str) else t.__name__) + 2, 2)
        _OWN[t] = got
    return got[0] + got[1] * (len(e.args) - 1)


def inline_ok(expr: Any, chars: int = INLINE_CHARS, depth: int = INLINE_DEPTH) -> bool:
    """True if ``expr`` prints inline: its tree (with repetition) is narrower
    than ``chars`` (estimated) and shallower than ``depth``. Stops as soon
    as either is passed, so the cost is bounded whatever the DAG.

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> a = TensorSymbol("a", (3,))
    >>> e = a
    >>> for _ in range(60):
    ...     e = sympy.sin(e) + e
    >>> inline_ok(a + 1), inline_ok(e)
    (True, False)
    """
    if not isinstance(expr, Basic):
        return True
    total = 0
    stack: list[tuple[Any, int]] = [(expr, 1)]
    while stack:
        e, d = stack.pop()
        if d > depth:
            return False
        if e.is_Atom or not e.args:
            total += _atom_chars(e)
        else:
            total += _own_chars(e)
            stack.extend((a, d + 1) for a in e.args)
        if total > chars:
            return False
    return True


class LetForm:
    """The named intermediates of a formula.

    ``lets[i]`` is the original node named ``name(i)`` (``x1``, ``x2``...),
    in evaluation order; ``root`` is the formula. ``body(node)`` is a named
    node's (or the root's) own expression with its named children replaced
    by their names, ``key(node)`` what its printed text depends on.
    """

    def __init__(self, root: Any, lets: list[Basic], prefix: str) -> None:
        self.root = root
        self.lets = lets
        self.prefix = prefix
        self.index: dict[int, int] = {id(e): i for i, e in enumerate(lets)}
        self._symbols: dict[int, sympy.Symbol] = {}
        self._atoms: dict[int, tuple] = {}

    def __len__(self) -> int:
        return len(self.lets)

    def name(self, i: int) -> str:
        return f"{self.prefix}{i + 1}"

    def symbol(self, i: int) -> sympy.Symbol:
        """The name of ``lets[i]`` as a symbol of its shape."""
        got = self._symbols.get(i)
        if got is None:
            got = self._symbols[i] = named_symbol(self.name(i), self.lets[i])
        return got

    @property
    def result(self) -> Any:
        return self.body(self.root)

    def items(self) -> list[tuple[sympy.Symbol, Basic]]:
        """``(name, body)`` of every intermediate (builds every body)."""
        return [(self.symbol(i), self.body(e)) for i, e in enumerate(self.lets)]

    def body(self, node: Any, sub: Any = None) -> Any:
        """``node`` with each named child replaced by ``sub(i)`` (default: its
        name), unnamed children likewise inside; iterative."""
        if not isinstance(node, Basic) or not node._args:
            return node
        sub = self.symbol if sub is None else sub
        index = self.index
        done: dict[int, Any] = {}
        stack: list[Any] = [node]
        while stack:
            e = stack[-1]
            pending = [a for a in e._args if a._args and id(a) not in done
                       and id(a) not in index]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            new = []
            changed = False
            for a in e._args:
                if a._args:
                    i = index.get(id(a))
                    r = sub(i) if i is not None else done[id(a)]
                    changed = changed or r is not a
                    new.append(r)
                else:
                    new.append(a)
            done[id(e)] = rebuild(e, tuple(new)) if changed else e
        return done[id(node)]

    def key(self, node: Any) -> tuple[tuple, list[int]]:
        """What ``node``'s printed line depends on: its inline part's classes
        and atoms, with each named child as a slot number; and the named
        children (indices into ``lets``) in slot order. Two lines with equal
        keys print alike up to the names."""
        index, atoms = self.index, self._atoms
        parts: list[Any] = []
        slots: dict[int, int] = {}
        order: list[int] = []
        stack: list[Any] = [node]
        first = True
        while stack:
            e = stack.pop()
            if not e._args:
                k = atoms.get(id(e))
                if k is None:
                    k = atoms[id(e)] = (type(e), e._hashable_content())
                parts.append(k)
                continue
            i = None if first else index.get(id(e))
            first = False
            if i is not None:
                j = slots.get(i)
                if j is None:
                    j = slots[i] = len(order)
                    order.append(i)
                parts.append(j)
                continue
            parts.append((type(e), len(e._args)))
            stack.extend(reversed(e._args))
        return tuple(parts), order


def walk(root: Basic) -> tuple[list[Basic], dict[int, int], set[str]]:
    """Distinct non-atomic nodes below ``root`` in post-order (children first,
    left to right), how many times each (by ``id``) is an argument of a
    distinct parent, and the names of the symbols met. Iterative; each node is
    expanded once. Nodes are told apart by identity: symgrad's formulas are
    hash-consed, so equal subformulas are one object."""
    order: list[Basic] = []
    uses: dict[int, int] = {id(root): 0}
    symbols: set[str] = set()
    stack: list[tuple[Basic, Any]] = [(root, iter(root._args))]
    push, pop, append, get = stack.append, stack.pop, order.append, uses.get
    while stack:
        node, rest = stack[-1]
        for a in rest:
            if not a._args:
                if isinstance(a, sympy.Symbol):
                    symbols.add(a.name)
                continue
            k = id(a)
            n = get(k)
            if n is None:  # first sight: expand it now, come back to ``rest`` later
                uses[k] = 1
                push((a, iter(a._args)))
                break
            uses[k] = n + 1  # already done (in a DAG, never an ancestor)
        else:
            pop()
            append(node)
    return order, uses, symbols


def _prefix(symbols: set[str]) -> str:
    for p in PREFIXES:
        pat = re.compile(re.escape(p) + r"\d+$")
        if not any(pat.match(s) for s in symbols):
            return p
    k = 0
    while any(s.startswith(f"_{k}") for s in symbols):  # pragma: no cover - absurd leaf names
        k += 1
    return f"_{k}x"


def rebuild(e: Basic, args: tuple) -> Basic:
    """``e`` with new ``args``, unevaluated, without hash-consing (printing only)."""
    if isinstance(e, (sympy.Add, sympy.Mul)):
        return type(e)._from_args(args, e.is_commutative)
    if isinstance(e, sympy.Pow):
        obj = sympy.Expr.__new__(sympy.Pow, *args)
        obj.is_commutative = True
        return obj
    if isinstance(e, sympy.Function):
        return Basic.__new__(type(e), *args)
    try:
        return e.func(*args, evaluate=False)
    except TypeError:
        return e.func(*args)


def named_symbol(name: str, e: Any) -> sympy.Symbol:
    """A symbol called ``name`` with the shape of ``e`` (printers of structural
    nodes may ask for their arguments' shapes)."""
    try:
        shape = shape_of(e)
    except Exception:  # noqa: BLE001 - a plain SymPy node: a scalar name prints the same
        shape = ()
    return TensorSymbol(name, shape)


def let_form(expr: Any, width: int = WIDTH) -> LetForm:
    """Name the shared and the wide nodes of ``expr`` (see the module docstring):
    one walk, then one pass in evaluation order estimating each node's inline
    width. Nothing is built or printed here."""
    if not isinstance(expr, Basic) or not expr._args:
        return LetForm(expr, [], PREFIXES[0])
    order, uses, symbols = walk(expr)
    chars: dict[int, int] = {}   # id(node) -> characters its parent prints for it (atoms too)
    lets: list[Basic] = []
    get = chars.get
    for e in order:
        args = e._args
        own = _own_chars(e)
        for a in args:
            c = get(id(a))
            if c is None:  # an atom, met for the first time
                c = chars[id(a)] = _atom_chars(a)
            own += c
        if (own > width or uses[id(e)] > 1) and e is not expr and _nameable(e):
            lets.append(e)
            own = 1 + len(str(len(lets)))  # its name
        chars[id(e)] = own
    return LetForm(expr, lets, _prefix(symbols))


def symbol_names(expr: Any) -> list[str]:
    """The names of the symbols in ``expr``, sorted (a memoised walk: SymPy's
    ``free_symbols`` walks a shared DAG as a tree).

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> a, b = TensorSymbol("a", (3,)), TensorSymbol("b", (3,))
    >>> symbol_names(sympy.sin(a) * b + a)
    ['a', 'b']
    """
    if not isinstance(expr, Basic):
        return []
    if isinstance(expr, sympy.Symbol):
        return [expr.name]
    return sorted(walk(expr)[2])


def has_class(expr: Basic, classes: tuple) -> bool:
    """True if a node of ``expr`` (the root, an inner node or an atom) is one of
    ``classes``; a memoised walk."""
    if isinstance(expr, classes):
        return True
    seen: set[int] = set()
    stack = [expr]
    while stack:
        e = stack.pop()
        for a in e._args:
            if isinstance(a, classes):
                return True
            if a._args and id(a) not in seen:
                seen.add(id(a))
                stack.append(a)
    return False
