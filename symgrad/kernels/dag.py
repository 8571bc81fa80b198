"""The formula DAG, walked once: nodes in dependency order and who shares what.

Formulas are SymPy DAGs whose trees can be exponentially larger (the W2
chain uses each level three times). Everything here is iterative and
visits each distinct node once; two nodes that are structurally equal are
one node (SymPy caches hashes, so a dict keyed by the expression merges
them in O(1) per lookup).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> t = sp.sin(x)
>>> plan = walk([t * t + t])
>>> [str(n) for n in plan.order]
['sin(x)', 'sin(x)**2', 'sin(x)**2 + sin(x)']
>>> plan.uses[t]
3
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.logic.boolalg import Boolean


def is_operand(x: object) -> bool:
    """True for a child that is an array-valued computation (gets a temporary
    when shared); symbols, numbers and parameter tuples are not."""
    return isinstance(x, (sp.Expr, Boolean)) and not x.is_Atom and not isinstance(x, sp.Tuple)


def operands(node: sp.Basic) -> tuple[sp.Basic, ...]:
    """The children of ``node`` that are computations.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> operands(sp.exp(x) + sp.Integer(2) * sp.exp(x) * x)
    (2*x*exp(x), exp(x))
    """
    return tuple(a for a in node.args if is_operand(a))


def edge_weight(parent: sp.Basic, child: sp.Basic) -> int:
    """How many times ``parent``'s code reads ``child``: ``c**3`` prints as
    ``c*c*c``, so a small integer power counts as that many uses."""
    if isinstance(parent, sp.Pow) and parent.base is child:
        e = parent.exp
        if e.is_Integer and 2 <= abs(int(e)) <= 4:
            return abs(int(e))
        if e.is_Rational and e.q == 2 and abs(e.p) == 3:  # c*sqrt(c)
            return 2
    return 1


@dataclass
class Plan:
    """Distinct nodes in dependency order (children first) and their use counts."""

    order: list[sp.Basic] = field(default_factory=list)
    uses: dict[sp.Basic, int] = field(default_factory=dict)


def walk(roots: list[sp.Basic]) -> Plan:
    """Post-order over the distinct computation nodes below ``roots``."""
    plan = Plan()
    uses = plan.uses
    done: set[sp.Basic] = set()
    expanded: set[sp.Basic] = set()
    for root in roots:
        if not is_operand(root):
            continue
        uses[root] = uses.get(root, 0) + 1
        stack: list[tuple[sp.Basic, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if ready:
                done.add(node)
                plan.order.append(node)
                continue
            if node in expanded:  # a second copy on the stack, or already emitted
                continue
            expanded.add(node)
            stack.append((node, True))
            for child in reversed(operands(node)):
                uses[child] = uses.get(child, 0) + edge_weight(node, child)
                if child not in expanded:
                    stack.append((child, False))
    return plan


def square_links(plan: Plan) -> dict[sp.Basic, sp.Basic]:
    """``b**3`` and ``b**4`` nodes that can read an earlier ``b**2`` node
    (printed ``v*b``, ``v*v``); counts those reads as uses of ``b**2``.

    >>> import sympy as sp
    >>> a = sp.Symbol("a")
    >>> sq, cube = sp.Pow(a, 2), sp.Pow(a, 3)
    >>> plan = walk([sq + sp.sin(sq), cube])
    >>> square_links(plan)
    {a**3: a**2}
    """
    position = {n: i for i, n in enumerate(plan.order)}
    links: dict[sp.Basic, sp.Basic] = {}
    for i, node in enumerate(plan.order):
        if isinstance(node, sp.Pow) and node.exp.is_Integer and int(node.exp) in (3, 4):
            sq = sp.Pow(node.base, 2, evaluate=False)
            if position.get(sq, i) < i:
                links[node] = sq
                plan.uses[sq] = plan.uses.get(sq, 0) + 1
    return links


def dag_size(roots: list[sp.Basic]) -> int:
    """Number of distinct computation nodes (the formula's size as a DAG).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> e = x
    >>> for _ in range(50):
    ...     e = sp.sin(e) + e * e
    >>> dag_size([e])
    150
    """
    return len(walk(list(roots)).order)
