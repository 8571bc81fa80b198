"""Textbook forms: a rewrite pass of pattern -> replacement rules over the formula DAG.

The rules are data (:mod:`.rewrite_rules`): each names the node classes it
looks at, a :class:`Pat` (a small pattern, in the style of tinygrad's
``UPat``) and a ``build`` function from the captured parts to the
replacement, or ``None`` when the case does not fit. The pass visits every
distinct node once, bottom-up and memoised by identity (formulas are
shared DAGs: linear time, never a tree walk, no recursion), rebuilds a node
from its rewritten arguments with the cheap builders of :mod:`.algebra`,
then applies the rules to it until none fires (a bounded number of times);
a replacement's new nodes are rewritten in the same walk.

Rules never change a value (each is tested on random inputs) and never
grow the DAG (:func:`dag_size`). Rules marked ``kernel=False`` give display
forms that would cost more to compute (``diag``): the pass applied when
kernels are built (``target="kernel"``) leaves them out.

Where it runs: when a formula is printed (:mod:`.printing`: ``to_str``,
``to_pretty``, ``to_latex``, ``to_json``, the let form), in ``tidy`` (so
``sg.diff``/``jacobian``/``hessian`` return the textbook form of a formula
that prints inline), and when a kernel is built
(:func:`symgrad.kernels.codegen.generate`). Never while a formula is built
(taping, ``build``, ``reverse``): that path stays as cheap as it is.

>>> from symgrad.symbolic.symbols import TensorSymbol
>>> from symgrad.symbolic.nodes import Permute, Softmax, LogSoftmax
>>> from symgrad.symbolic.algebra import call
>>> import sympy
>>> X, z = TensorSymbol("X", (2, 3)), TensorSymbol("z", (3,))
>>> rewrite(Permute.new(Permute.new(X, (1, 0)), (1, 0)))
X
>>> rewrite(call(sympy.exp, LogSoftmax.new(z, 0)))
softmax(z, dim=0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sympy

from .algebra import gc_paused, intern
from .rewrite_engine import (
    MAX_FIRINGS,
    Context,
    Pat,
    Rewriter,
    Rule,
    dag_size,
    local_size,
)
from .rewrite_rules import RULES


def rewrite_many(exprs: Iterable[Any], target: str = "print",
                 rules: Sequence[Rule] | None = None) -> list:
    """Every formula of ``exprs`` rewritten in one pass (shared parts once)."""
    if rules is None:
        rules = RULES
    rw = Rewriter(rules, target)
    exprs = list(exprs)
    with gc_paused():
        try:
            roots = [intern(e) if isinstance(e, sympy.Basic) else e for e in exprs]
            rw.roots = [e for e in roots if isinstance(e, sympy.Basic)]
            out = [rw.walk(e) if isinstance(e, sympy.Basic) else e for e in roots]
        finally:
            rw.close()  # its memo holds every node: freed now, not at the next collection
        # rules never grow a DAG on their own; a formula they grew together stays as it
        # was; and one no rule changed comes back as the very object given
        return [x if r is e or dag_size(r) > dag_size(e) else r
                for x, e, r in zip(exprs, roots, out)]


def rewrite(expr: Any, target: str = "print", rules: Sequence[Rule] | None = None) -> Any:
    """``expr`` in textbook form (``target="kernel"``: only the rules that
    do not make a kernel costlier). Values never change."""
    return rewrite_many([expr], target, rules)[0]


__all__ = ["MAX_FIRINGS", "RULES", "Context", "Pat", "Rewriter", "Rule", "dag_size",
           "local_size", "rewrite", "rewrite_many"]
