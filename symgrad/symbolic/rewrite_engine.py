"""The rewrite engine: patterns, rules, and the one bottom-up pass over a DAG.

See :mod:`.rewrite` for what the pass is for and :mod:`.rewrite_rules` for
the rules. :class:`Rewriter` visits every distinct node once, iteratively,
memoised by identity; a rule's replacement is rewritten in the same walk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy
from sympy import Add, Mul, Pow

from .algebra import add, intern, mul, node, power
from .shapes import shape_of

MAX_FIRINGS = 12      # rule firings on one node (and its replacements), at most
TARGETS = ("print", "kernel")


# ------------------------------------------------------------------ patterns
@dataclass(frozen=True)
class Pat:
    """A pattern: a node of class ``cls`` (any class when None), whose
    arguments match ``args`` position by position (any arguments when None),
    captured under ``name``, and for which ``where(node)`` holds.

    >>> from symgrad.symbolic.nodes import Permute
    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> X = TensorSymbol("X", (2, 3))
    >>> p = Pat(Permute, (Pat(Permute, (Pat(name="x"), Pat())), Pat()))
    >>> p.match(Permute.new(Permute.new(X, (1, 0)), (1, 0)))["x"]
    X
    """

    cls: Any = None
    args: tuple | None = None
    name: str | None = None
    where: Callable[[Any], bool] | None = None

    def match(self, e: Any, got: dict | None = None) -> dict | None:
        """The captures of ``e`` (a dict, ``"self"`` the whole node) or None."""
        got = {"self": e} if got is None else got
        stack = [(self, e)]
        while stack:
            p, x = stack.pop()
            if p.cls is not None and not isinstance(x, p.cls):
                return None
            if p.args is not None:
                xa = getattr(x, "args", ())
                if len(xa) != len(p.args):
                    return None
                stack.extend(zip(p.args, xa))
            if p.where is not None and not p.where(x):
                return None
            if p.name is not None:
                if p.name in got and got[p.name] is not x:
                    return None
                got[p.name] = x
        return got


@dataclass(frozen=True)
class Rule:
    """``pattern`` -> ``build(captures, ctx)`` (None: no replacement).

    ``kernel``: also applied when kernels are built; ``needs``: classes of which
    the node must have an argument (a cheap first test); ``example`` documents it.
    """

    name: str
    pattern: Pat
    build: Callable[[dict, Context], Any]
    kernel: bool = True
    example: str = ""
    needs: frozenset = frozenset()

    @property
    def heads(self) -> tuple:
        c = self.pattern.cls
        return c if isinstance(c, tuple) else (c,)

    def apply(self, e: Any, ctx: Context) -> Any:
        got = self.pattern.match(e)
        return None if got is None else self.build(got, ctx)


# ------------------------------------------------------------------ sizes
def _weight(e: Any) -> int:
    """The operations a node stands for: a sum or product of ``n`` terms ``n - 1``;
    ``diag(v)`` none (it only lays ``v`` out as a matrix), nor a constant such as
    ``ones(3)`` (a number broadcast); any other node one."""
    t = type(e)
    if t is Add or t is Mul:
        return len(e.args) - 1
    name = getattr(t, "name", None)
    if name == "diag" or name == "broadcast_to" and e.args[0].is_Number:
        return 0
    return 1


def dag_size(*exprs: Any) -> int:
    """The operations of the formulas' DAG, each distinct node once (:func:`_weight`;
    atoms count 0).

    >>> from symgrad.symbolic.symbols import TensorSymbol
    >>> a = TensorSymbol("a", (3,))
    >>> dag_size(sympy.sin(a) * sympy.sin(a) + 1)
    3
    """
    seen: set[int] = set()
    stack = list(exprs)
    n = 0
    while stack:
        e = stack.pop()
        if id(e) in seen or not isinstance(e, sympy.Basic) or not e.args:
            continue
        seen.add(id(e))
        n += _weight(e)
        stack.extend(e.args)
    return n


def local_size(e: Any, depth: int = 4) -> int:
    """:func:`dag_size` of the top ``depth`` levels of ``e`` (bounded work: for
    comparing two local forms of one node)."""
    seen: set[int] = set()
    stack = [(e, 0)]
    n = 0
    while stack:
        x, d = stack.pop()
        if id(x) in seen or not isinstance(x, sympy.Basic) or not x.args:
            continue
        seen.add(id(x))
        n += _weight(x)
        if d + 1 < depth:
            stack.extend((a, d + 1) for a in x.args)
    return n


# ------------------------------------------------------------------ the pass
def rebuild(e: Any, args: tuple) -> Any:
    """The canonical node of ``e``'s kind over ``args`` (cheap builders; a sum of a
    sum, or a product of a product, stays nested: flattening would copy a shared
    inner sum into every parent)."""
    t = type(e)
    if t is Add:
        return node(Add, *args) if any(type(a) is Add for a in args) else add(*args)
    if t is Mul:
        return node(Mul, *args) if any(type(a) is Mul for a in args) else mul(*args)
    if t is Pow:
        return power(*args)
    if isinstance(e, sympy.Function):
        return node(t, *args)
    return intern(e.func(*args))


@dataclass
class Context:
    """What a rule's ``build`` may ask: shapes, the target, and ``rewrite`` of
    a candidate (for rules that try a form and keep it when smaller)."""

    target: str
    rewriter: Rewriter
    depth: int = 0
    budget: dict = field(default_factory=lambda: {"algebra": 24})  # ``cancel`` calls

    def shape(self, e: Any) -> tuple:
        return tuple(shape_of(e))

    def is_region_root(self) -> bool:
        """The node being rewritten is not only ever inside sums, products and
        powers (so a rule on a whole elementwise region runs once, at its top)."""
        rw = self.rewriter
        if rw.inner is None:
            rw.mark_inner(rw.roots)
        return id(rw.current) not in rw.inner

    def rewrite(self, e: Any) -> Any:
        """``e`` rewritten (its already rewritten parts are memoised)."""
        return self.rewriter.walk(intern(e))


class Rewriter:
    """One pass: rules by head class, a memo shared by every root it walks."""

    def __init__(self, rules: Sequence[Rule], target: str = "print") -> None:
        if target not in TARGETS:
            raise ValueError(f"rewrite: target must be one of {TARGETS}, not {target!r}")
        self.rules = [r for r in rules if target == "print" or r.kernel]
        self.by_type: dict[type, list[Rule]] = {}
        self.memo: dict[int, Any] = {}
        self.keep: list = []  # every node the memo names stays alive (ids stay unique)
        self.fired: dict[int, int] = {}  # id(node) -> rule firings that led to it
        self.firings = 0
        self.max_firings = 10_000
        self.roots: list = []  # the formulas being rewritten
        self.inner: set[int] | None = None  # ids of nodes whose parents are all Add/Mul/Pow
        self.current: Any = None      # the (original) node the rules look at
        # id(sum, product or power) -> a division below it, through sums, products
        # and powers (for the ``cancel`` rule: the print target only)
        self.divisions: dict[int, bool] | None = {} if target == "print" else None
        self.ctx = Context(target, self)

    def close(self) -> None:
        """Forget every node (the memo) and the context's link back (a cycle)."""
        self.memo.clear()
        self.keep.clear()
        self.fired.clear()
        self.roots = []
        self.inner = None
        self.current = None
        if self.divisions is not None:
            self.divisions.clear()
        self.ctx.rewriter = None  # type: ignore[assignment]

    def mark_inner(self, roots: Sequence[Any]) -> None:
        """Find the nodes that only ever sit inside sums, products and powers."""
        outside: set[int] = {id(r) for r in roots}
        inside: set[int] = set()
        seen: set[int] = set()
        stack = list(roots)
        while stack:
            e = stack.pop()
            if id(e) in seen or not isinstance(e, sympy.Basic) or not e._args:
                continue
            seen.add(id(e))
            arith = type(e) in (Add, Mul, Pow)
            for a in e._args:
                (inside if arith else outside).add(id(a))
                stack.append(a)
        self.inner = inside - outside

    def _divides(self, y: Any) -> bool:
        get = self.divisions.get
        if type(y) is Pow:
            return bool(y._args[1].is_Number and y._args[1].is_negative) \
                or get(id(y._args[0]), False)
        for a in y._args:
            if get(id(a), False):
                return True
        return False

    def has_division(self, e: Any) -> bool | None:
        """Whether the sums, products and powers under ``e`` divide (None: not known)."""
        return None if self.divisions is None else self.divisions.get(id(e))

    def rules_for(self, t: type) -> list[Rule]:
        got = self.by_type.get(t)
        if got is None:
            got = self.by_type[t] = [r for r in self.rules
                                     if any(h is None or issubclass(t, h) for h in r.heads)]
        return got

    def fire(self, e: Any) -> Any:
        """The first rule's replacement of ``e`` (None when no rule fires)."""
        rules = self.rules_for(type(e))
        if not rules:
            return None
        kinds = set(map(type, e._args))
        for rule in rules:
            if rule.needs and rule.needs.isdisjoint(kinds):
                continue
            r = rule.apply(e, self.ctx)
            if r is not None and r is not e:
                return intern(r)
        return None

    def walk(self, root: Any) -> Any:
        """``root`` rewritten: iterative, bottom-up, once per distinct node."""
        memo, keep, fired = self.memo, self.keep, self.fired
        got = memo.get(id(root))
        if got is not None:
            return got
        # id(node) -> [its replacement, the node rebuilt, replacement pushed yet]
        forward: dict[int, list] = {}
        stack = [root]
        while stack:
            x = stack[-1]
            if id(x) in memo:
                stack.pop()
                continue
            fw = forward.get(id(x))
            if fw is not None:  # x's replacement was pushed above it
                r = memo.get(id(fw[0]))
                if r is None and not fw[2]:
                    fw[2] = True
                    stack.append(fw[0])
                    continue
                stack.pop()  # done, or a replacement that contains x: x stays
                memo[id(x)] = fw[1] if r is None else r
                keep.append(x)
                continue
            xa = getattr(x, "_args", ())
            if not xa or not isinstance(x, sympy.Basic):
                stack.pop()
                memo[id(x)] = x
                keep.append(x)
                continue
            pending = [a for a in xa if id(a) not in memo]
            if pending:
                stack.extend(pending)
                continue
            args = [memo[id(a)] for a in xa]
            same = True
            for a, b in zip(args, xa):
                if a is not b:
                    same = False
                    break
            y = x if same else rebuild(x, tuple(args))
            if self.divisions is not None and type(y) in (Add, Mul, Pow):
                self.divisions[id(y)] = self._divides(y)  # (its args are settled)
            n = fired.get(id(x), 0)
            self.current = x
            r = self.fire(y) if n < MAX_FIRINGS and self.firings < self.max_firings else None
            if r is not None and id(r) in memo:
                y, r = memo[id(r)], None
            if r is None or r is x or r is y:
                stack.pop()
                memo[id(x)] = y
                memo.setdefault(id(y), y)
                keep.append(x)
                keep.append(y)
                continue
            self.firings += 1
            fired[id(r)] = max(fired.get(id(r), 0), n + 1)
            keep.append(r)
            forward[id(x)] = [r, y, True]
            stack.append(r)
        return memo[id(root)]


__all__ = ["MAX_FIRINGS", "TARGETS", "Context", "Pat", "Rewriter", "Rule", "dag_size",
           "local_size", "rebuild"]
