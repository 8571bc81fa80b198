"""Reading a DOT picture back in the tests: node labels and edges, by key."""

from __future__ import annotations

import re

_NODE = re.compile(r'^  (n\d+) \[label="((?:[^"\\]|\\.)*)"(.*)\];$')
_EDGE = re.compile(r'^  (n\d+) -> (n\d+)(?: \[(.*)\])?;$')


def nodes(source: str) -> dict[str, tuple[str, str]]:
    """key -> (label with real newlines, the other attributes as text)."""
    out = {}
    for line in source.splitlines():
        m = _NODE.match(line)
        if m:
            out[m.group(1)] = (m.group(2).replace("\\n", "\n").replace('\\"', '"'), m.group(3))
    return out


def edges(source: str) -> list[tuple[str, str, str]]:
    """(tail, head, attributes) in order."""
    return [(m.group(1), m.group(2), m.group(3) or "") for m in map(_EDGE.match,
                                                                      source.splitlines()) if m]


def grad_fn_names(source: str) -> list[str]:
    """The grad_fn node labels, in the order the picture found them (breadth first)."""
    return [label for label, attrs in nodes(source).values() if 'rounded,filled' in attrs]


def find(source: str, text: str) -> str:
    """The key of the one node whose label contains ``text``."""
    keys = [k for k, (label, _) in nodes(source).items() if text in label]
    assert len(keys) == 1, (text, keys, source)
    return keys[0]
