"""A formula's DAG drawn with each shared subexpression once.

symgrad's formulas are hash-consed DAGs: ``sigmoid(a)`` in
``sigmoid(a)*(1 - sigmoid(a))`` is one object used twice. The picture has
one node per distinct subexpression (a shared one has a double border and
says how many times it is used), edges from operands to the operation, and
is built by one memoised, iterative walk (:func:`symgrad.symbolic.letform.walk`),
so it costs time linear in the DAG, however large its tree.

>>> import symgrad as sg
>>> a = sg.symbol("a", (3,))
>>> g = sg.diff(a.sigmoid().sum(), a)
>>> print(draw(g).source)  # doctest: +ELLIPSIS
digraph formula {
...
  n0 [label="a\\n(3)", shape="box", style="filled", fillcolor="lightblue"];
  n1 [label="sigmoid", peripheries="2", tooltip="used 2 times", shape="ellipse"];
  n0 -> n1;
  n2 [label="-1", shape="plaintext"];
  n3 [label="*", shape="ellipse"];
  n2 -> n3;
  n1 -> n3;
  n4 [label="1", shape="plaintext"];
  n5 [label="+", shape="ellipse"];
  n4 -> n5;
  n3 -> n5;
  n6 [label="*", shape="ellipse"];
  n5 -> n6;
  n1 -> n6;
}
"""

from __future__ import annotations

from typing import Any

import sympy

from ..symbolic.letform import walk
from ..symbolic.nodebase import Structural
from ..symbolic.printing import StrPrinter
from ..symbolic.symbols import Param, TensorSymbol
from . import messages
from .autograd_graph import size_text
from .dot import Dot
from .render import Picture

MAX_NODES = 1000  # more distinct nodes than this is not a picture anyone can read

_OPERATORS = {sympy.Add: "+", sympy.Mul: "*", sympy.Pow: "**"}


def _atom_label(e: Any) -> tuple[str, dict[str, str]]:
    if isinstance(e, TensorSymbol):
        return f"{e.name}\n{size_text(e.shape)}", {"shape": "box", "style": "filled",
                                                   "fillcolor": "lightblue"}
    return str(e), {"shape": "plaintext"}  # a number: an atom, so printing it is O(1)


def _label(e: Any, printer: StrPrinter) -> str:
    op = _OPERATORS.get(type(e))
    if op is not None:
        return op
    name = getattr(type(e), "name", None)
    if isinstance(name, str):
        if isinstance(e, Structural):
            extra = e._attr_str(printer)  # the node's attributes only: a few atoms
            return f"{name}\n{extra}" if extra else name
        return name
    return type(e).__name__


def draw(expr: Any, max_nodes: int = MAX_NODES) -> Picture:
    """The DAG of ``expr`` (a SymPy formula): one node per distinct subexpression."""
    if not isinstance(expr, sympy.Basic):
        raise TypeError(messages.NOT_DRAWABLE.format(kind=type(expr).__name__))
    dot = Dot("formula")
    if not expr._args:
        label, style = _atom_label(expr)
        dot.node("n0", label=label, **style)
        return Picture(dot.source(), "formula")
    order, uses, _ = walk(expr)
    if len(order) > max_nodes:
        raise ValueError(messages.TOO_BIG.format(n=len(order), limit=max_nodes))
    keys: dict[int, str] = {}
    printer = StrPrinter()

    def key_of(e: Any) -> str:
        k = keys.get(id(e))
        if k is None:
            k = keys[id(e)] = f"n{len(keys)}"
            label, style = _atom_label(e)
            dot.node(k, label=label, **style)
        return k

    for e in order:  # children before parents: every operand already has its node
        operands = [a for a in e._args if not isinstance(a, Param)]
        for a in operands:
            if not a._args:
                key_of(a)
        k = keys[id(e)] = f"n{len(keys)}"
        n = uses.get(id(e), 0)
        shared = {"peripheries": "2", "tooltip": f"used {n} times"} if n > 1 else {}
        dot.node(k, label=_label(e, printer), **shared, shape="ellipse")
        ordered = len(operands) > 1 and not isinstance(e, (sympy.Add, sympy.Mul))
        for i, a in enumerate(operands):
            dot.edge(keys[id(a)], k, label=str(i) if ordered else None)
    return Picture(dot.source(), "formula")
