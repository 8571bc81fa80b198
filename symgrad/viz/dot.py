"""A small writer of Graphviz DOT text: nodes and edges with attributes, quoted safely.

No dependency: the text is what :mod:`symgrad.viz.render` hands to Graphviz.

>>> d = Dot("g")
>>> d.node("n1", label='a "quoted" label', shape="box")
>>> d.edge("n1", "n2", style="dashed")
>>> print(d.source())
digraph g {
  graph [rankdir=TB, fontname="Helvetica", fontsize=11];
  node [fontname="Helvetica", fontsize=11];
  edge [fontname="Helvetica", fontsize=9];
  n1 [label="a \\"quoted\\" label", shape="box"];
  n1 -> n2 [style="dashed"];
}
"""

from __future__ import annotations

from dataclasses import dataclass, field


def quote(text: object) -> str:
    """``text`` as a DOT string literal (backslashes, quotes and newlines escaped).

    >>> quote('say "hi"\\nnow')
    '"say \\\\"hi\\\\"\\\\nnow"'
    """
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


def _attrs(attrs: dict[str, object]) -> str:
    items = [f"{k}={quote(v)}" for k, v in attrs.items() if v is not None]
    return f" [{', '.join(items)}]" if items else ""


@dataclass
class Dot:
    """A directed graph being written: lines in the order they were added."""

    name: str = "G"
    rankdir: str = "TB"
    lines: list[str] = field(default_factory=list)

    def node(self, key: str, **attrs: object) -> None:
        """Add node ``key`` (an identifier made of letters, digits and ``_``)."""
        self.lines.append(f"  {key}{_attrs(attrs)};")

    def edge(self, tail: str, head: str, **attrs: object) -> None:
        """Add the edge ``tail -> head``."""
        self.lines.append(f"  {tail} -> {head}{_attrs(attrs)};")

    def source(self) -> str:
        """The whole graph as DOT text."""
        head = [f"digraph {self.name} {{",
                f'  graph [rankdir={self.rankdir}, fontname="Helvetica", fontsize=11];',
                '  node [fontname="Helvetica", fontsize=11];',
                '  edge [fontname="Helvetica", fontsize=9];']
        return "\n".join(head + self.lines + ["}"])
