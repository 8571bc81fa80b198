"""The autograd graph under tensors, drawn as torchviz draws it, and what torchviz cannot show.

As in torchviz's ``make_dot``: each output tensor (green), the ``grad_fn``
nodes with PyTorch's names, ``AccumulateGrad`` and the leaf it feeds (blue,
with name, shape and dtype), and each node's saved tensors (orange, dotted
edges). symgrad adds what the tape knows:

* each saved tensor's version when it was saved and its version now; a stale
  one (backward will raise) is red, with the in-place op that bumped it (the
  version counter's notes: ``c.zero_()`` at ``ex3.py:5``, and that ``c`` is
  ``out.detach()``, which shares ``out``'s counter);
* a saved tensor whose values changed while its version did not move (a
  write through ``.data``, found as :mod:`symgrad.checking` finds it, by
  recomputing the saved value from the recorded ops) is red too;
* variables of ``scope`` that alias a stale or changed saved tensor: sharing its version
  counter (``detach()``, views) or only its storage (``.data``, whose fresh
  counter no saved tensor watches), each with its own version;
* ``detach()`` and ``.data`` inside the graph as dashed edges: a value that
  flows forward but no gradient back.

>>> import symgrad as sg
>>> a = sg.tensor([1., 2., 3.], requires_grad=True, name="a")
>>> y = (a * a).sum()
>>> print(draw([y], {"a": a, "y": y}).source)  # doctest: +ELLIPSIS
digraph autograd {
...
  n0 [label="y\\n()", shape="box", style="filled", fillcolor="darkolivegreen1"];
  n1 [label="SumBackward0", shape="box", style="rounded,filled", fillcolor="lightgrey"];
  n1 -> n0;
  n2 [label="MulBackward0", shape="box", style="rounded,filled", fillcolor="lightgrey"];
  n2 -> n1;
  n3 [label="AccumulateGrad", shape="box", style="rounded,filled", fillcolor="lightgrey"];
  n3 -> n2;
  n3 -> n2;
  n4 [label="other = a\\n(3) float32\\nsaved at version 0, now 0", ...];
  n4 -> n2 [style="dotted", arrowhead="none"];
  n5 [label="self = a\\n(3) float32\\nsaved at version 0, now 0", ...];
  n5 -> n2 [style="dotted", arrowhead="none"];
  n6 [label="a\\n(3) float32", shape="box", style="filled", fillcolor="lightblue"];
  n6 -> n3;
}
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..checking.graph import graph_tensors, in_graph, replay, saved_tensors
from ..eager.tensor import Tensor
from ..tape.node import AccumulateGrad
from ..tape.saved import SavedTensor
from .dot import Dot
from .render import Picture

LEAF = {"shape": "box", "style": "filled", "fillcolor": "lightblue"}
OUTPUT = {"shape": "box", "style": "filled", "fillcolor": "darkolivegreen1"}
NODE = {"shape": "box", "style": "rounded,filled", "fillcolor": "lightgrey"}
SAVED = {"shape": "box", "style": "filled", "fillcolor": "orange"}
STALE = {"shape": "box", "style": "filled,bold", "fillcolor": "#ff8a80", "color": "red",
         "penwidth": "2"}
FREED = {"shape": "box", "style": "filled,dashed", "fillcolor": "white", "color": "grey"}
ALIAS = {"shape": "box", "style": "filled,dashed", "fillcolor": "lightyellow"}
NOTE = {"shape": "note", "style": "filled", "fillcolor": "lightyellow"}
DETACHED = {"style": "dashed", "color": "grey40"}


def size_text(shape: Sequence[Any]) -> str:
    """A shape as torchviz writes it: ``(3)``, ``(2, 3)``, ``()``.

    >>> size_text((3,)), size_text((2, 3)), size_text(())
    ('(3)', '(2, 3)', '()')
    """
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + ")"


def _dtype_text(t: Tensor) -> str:
    dt = t.dtype
    return str(dt).removeprefix("torch.") if dt is not None else ""


class _Names:
    """Variable names of ``scope`` by object (public names first, then shortest)."""

    def __init__(self, scope: Mapping[str, Any]) -> None:
        self.by_id: dict[int, str] = {}
        for k in sorted(scope, key=lambda k: (k.startswith("_"), len(k), k)):
            v = scope[k]
            if isinstance(v, Tensor):
                self.by_id.setdefault(id(v), k)
        seen: set[int] = set()  # each tensor once, under its best name (not ``_``)
        self.tensors = [(self.by_id[id(v)], v) for v in scope.values()
                        if isinstance(v, Tensor) and not (id(v) in seen or seen.add(id(v)))]

    def of(self, t: Any) -> str | None:
        """The variable name of ``t`` (or of the tensor a ghost stands for)."""
        if t is None:
            return None
        found = self.by_id.get(id(t))
        if found is None and type(t._ghost) is weakref.ref:
            real = t._ghost()
            found = self.by_id.get(id(real)) if real is not None else None
        return found

    def leaf(self, t: Tensor) -> str:
        return self.of(t) or t.name


class _Drawing:
    """One picture being drawn: node keys are given in order of discovery (``n0``,
    ``n1``...), so the DOT text of the same program is always the same."""

    def __init__(self, names: _Names, check_data: bool) -> None:
        self.dot = Dot("autograd")
        self.names = names
        self.keys: dict[int, str] = {}
        self.check_data = check_data

    def key(self, obj: Any, token: Any = None) -> tuple[str, bool]:
        """The key of ``obj``'s picture node (or of ``token``), and whether it is new."""
        t = id(obj) if token is None else token
        k = self.keys.get(t)
        if k is not None:
            return k, False
        k = self.keys[t] = f"n{len(self.keys)}"
        return k, True

    # ------------------------------------------------------------ the tape
    def output(self, t: Tensor) -> str:
        k, new = self.key(t)
        if new:
            name = self.names.of(t) or ""
            self.dot.node(k, label=f"{name}\n{size_text(t.shape)}".lstrip("\n"),
                          **(LEAF if t._grad_fn is None else OUTPUT))
        return k

    def leaf(self, t: Tensor) -> str:
        k, new = self.key(t)
        if new:
            self.dot.node(k, label=f"{self.names.leaf(t)}\n{size_text(t.shape)} "
                                   f"{_dtype_text(t)}", **LEAF)
        return k

    def walk(self, roots: Sequence[Tensor], stale_notes: bool = True) -> None:
        """Every node reachable from ``roots``' ``grad_fn`` (iteratively), with its
        edges, leaves and saved tensors."""
        changed = self.changed_saved(roots) if self.check_data else set()
        stack: list[Any] = []
        for t in roots:
            k = self.output(t)
            fn = t._grad_fn
            if fn is not None:
                fk, new = self.node(fn)
                self.dot.edge(fk, k)
                if new:
                    stack.append(fn)
        while stack:
            fn = stack.pop(0)  # breadth first: the picture reads from the output up
            fk = self.keys[id(fn)]
            if isinstance(fn, AccumulateGrad):
                self.dot.edge(self.leaf(fn.variable), fk)
                continue
            for u, _ in fn.next_functions:
                if u is None:
                    continue
                uk, new = self.node(u)
                self.dot.edge(uk, fk)
                if new:
                    stack.append(u)
            for sname, s in fn._saved.items():
                if type(s) is SavedTensor:
                    self.saved(fk, sname, s, id(s) in changed)
        self.detached(roots)

    def node(self, fn: Any) -> tuple[str, bool]:
        k, new = self.key(fn)
        if new:
            self.dot.node(k, label=type(fn).__name__, **NODE)
        return k, new

    def saved(self, node_key: str, sname: str, s: SavedTensor, changed: bool) -> None:
        k, new = self.key(s)
        if not new:
            self.dot.edge(k, node_key, style="dotted", arrowhead="none")
            return
        if s.freed:
            self.dot.node(k, label=f"{sname}\nfreed by backward()", **FREED)
            self.dot.edge(k, node_key, style="dotted", arrowhead="none")
            return
        t = s.tensor
        who = self.names.of(t)
        now = s.vc.version
        label = f"{sname} = {who}" if who else sname
        label += f"\n{size_text(s.data.shape)} {_dtype_text(t)}"
        label += f"\nsaved at version {s.version}, now {now}"
        style = SAVED
        if now != s.version:
            label += "\nSTALE: backward will raise"
            style = STALE
        elif changed:
            label += "\nvalues changed with no version bump:\nbackward silently uses them"
            style = STALE
        self.dot.node(k, label=label, **style)
        self.dot.edge(k, node_key, style="dotted", arrowhead="none")
        if style is STALE:  # who changed it: the counter's notes, and the aliases in scope
            self.bumps(k, s)
            self.aliases(k, s, who)

    def bumps(self, saved_key: str, s: SavedTensor) -> None:
        """The in-place writes that made ``s`` stale, as the version counter noted them."""
        for n in s.vc.notes_since(s.version):
            k, _ = self.key(n)
            text = f"{n.op}" + (f" at {n.location}" if n.location else "")
            if n.alias:
                text += "\n" + n.alias.replace("`", "")
            self.dot.node(k, label=text, **NOTE)
            self.dot.edge(k, saved_key, label=f"version {n.version - 1} -> {n.version}",
                          color="red", fontcolor="red")

    def aliases(self, saved_key: str, s: SavedTensor, owner: str | None) -> None:
        """Variables that share ``s``'s version counter, or only its storage."""
        whose = f"{owner}'s" if owner else "its"
        for name, v in self.names.tensors:
            if v is s.tensor or v._data is None or not isinstance(v._data, np.ndarray):
                continue
            if v._vc is s.vc:
                how = f"{name}: shares {whose} version counter\n(version {v._vc.version})"
                edge = {"label": "same counter", "color": "red", "style": "bold"}
            elif s.data is not None and np.may_share_memory(v._data, s.data):
                how = (f"{name}: .data alias, shares {whose} storage\nbut has its own version "
                       f"counter (version {v._vc.version}):\nno counter of the graph saw "
                       f"its writes")
                edge = {"label": "same storage, other counter", "color": "red",
                        "style": "dashed"}
            else:
                continue
            k, new = self.key(None, ("alias", name, id(s)))
            if new:
                self.dot.node(k, label=how, **ALIAS)
                self.dot.edge(k, saved_key, **edge)

    def changed_saved(self, roots: Sequence[Tensor]) -> set[int]:
        """Saved tensors (by ``id``) whose values differ from their recomputation
        while their version did not move: as ``sg.check``'s data-mutation test."""
        out: set[int] = set()
        for y in roots:
            try:
                current = replay(y)
            except Exception:  # noqa: BLE001 - a picture draws what it can
                continue
            for owner, name, st in saved_tensors(y):
                if st.freed or st.data is None or st.vc.version != st.version:
                    continue
                want = current.get(id(in_graph(owner, name, st)))
                if want is None or want.shape != st.data.shape:
                    continue
                with np.errstate(all="ignore"):
                    if not np.allclose(st.data, want, rtol=1e-5, atol=1e-7, equal_nan=True):
                        out.add(id(st))
        return out

    def detached(self, roots: Sequence[Tensor]) -> None:
        """``detach()`` and ``.data`` inputs as dashed edges from where the value came."""
        for y in roots:
            for t in graph_tensors(y):
                fn = t._grad_fn
                if fn is None or id(fn) not in self.keys:
                    continue
                for x in t.record.inputs:
                    if not isinstance(x, Tensor) or x.record.op is None \
                            or x.record.op.name != "detach":
                        continue
                    src = x.record.inputs[0]
                    how = (x.record.attrs or {}).get("how", "detach")
                    label = ".data" if how == "data" else "detach()"
                    if src._grad_fn is not None:
                        sk, new = self.key(src._grad_fn)
                        if new:
                            self.dot.node(sk, label=type(src._grad_fn).__name__,
                                          **{**NODE, "style": "rounded,dashed"})
                    else:
                        sk = self.leaf(src)
                    self.dot.edge(sk, self.keys[id(fn)], label=label, **DETACHED)


def draw(roots: Sequence[Tensor], scope: Mapping[str, Any] | None = None,
         check_data: bool = True) -> Picture:
    """The autograd picture of ``roots``; names come from ``scope`` (variables)."""
    d = _Drawing(_Names(scope or {}), check_data)
    d.walk(list(roots))
    title = ", ".join(d.names.of(t) or "tensor" for t in roots)
    return Picture(d.dot.source(), f"autograd graph of {title}")
