"""A picture: DOT text always; SVG/PNG through the ``graphviz`` package and its ``dot``.

:class:`Picture` holds the DOT source of a graph. Rendering needs two
optional pieces, the Python package ``graphviz`` (``pip install -e ".[viz]"``)
and the Graphviz program ``dot`` (``apt-get install graphviz``, ``brew
install graphviz``, ``conda install graphviz``); without them the DOT text is
still there and :func:`missing` says, in one line, what to install.

>>> p = Picture("digraph G { a -> b; }", "a tiny graph")
>>> print(p)
digraph G { a -> b; }
>>> p.save("/dev/null.txt")
Traceback (most recent call last):
...
ValueError: cannot save a picture as '.txt': use .dot or .gv (DOT text), .svg or .png
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from . import messages

FORMATS = (".dot", ".gv", ".svg", ".png")


def missing() -> str | None:
    """``None`` when SVG/PNG can be rendered here, else the one-line message saying
    what to install (the ``graphviz`` package, the ``dot`` program, or both)."""
    try:
        import graphviz  # noqa: F401
        package = True
    except ImportError:
        package = False
    program = shutil.which("dot") is not None
    if package and program:
        return None
    if not package and not program:
        return messages.NO_GRAPHVIZ_AT_ALL
    return messages.NO_GRAPHVIZ_PACKAGE if not package else messages.NO_DOT_PROGRAM


def render(source: str, fmt: str) -> bytes:
    """``source`` rendered by Graphviz's ``dot`` as ``fmt`` (``svg`` or ``png``);
    raises :class:`RuntimeError` with :func:`missing`'s message when it cannot."""
    why = missing()
    if why is not None:
        raise RuntimeError(why)
    import graphviz
    out = graphviz.Source(source).pipe(format=fmt, engine="dot", quiet=True)
    return out if isinstance(out, bytes) else out.encode()


class Picture:
    """A graph to look at: ``.source`` (DOT text, as the ``graphviz`` package names
    it), ``.svg()``, ``.save(path)``; Jupyter shows it as SVG."""

    def __init__(self, source: str, title: str = "") -> None:
        self.source = source
        self.title = title

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        lines = self.source.count("\n") + 1
        return f"<symgrad picture {self.title!r}: {lines} lines of DOT; .svg() or .save(path)>"

    def svg(self) -> str:
        """The picture as SVG text (needs Graphviz)."""
        return render(self.source, "svg").decode("utf-8")

    def png(self) -> bytes:
        """The picture as PNG bytes (needs Graphviz)."""
        return render(self.source, "png")

    def save(self, path: str | Path) -> Path:
        """Write the picture; the suffix chooses: ``.dot``/``.gv`` (text), ``.svg``, ``.png``."""
        p = Path(path)
        suffix = p.suffix.lower()
        if suffix not in FORMATS:
            raise ValueError(messages.BAD_SUFFIX.format(suffix=suffix or p.name))
        if suffix in (".dot", ".gv"):
            p.write_text(self.source + "\n", encoding="utf-8")
        else:
            p.write_bytes(render(self.source, suffix[1:]))
        return p

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """Jupyter: SVG when Graphviz is here, else the DOT text and what to install."""
        if missing() is None:
            return {"image/svg+xml": self.svg(), "text/plain": repr(self)}
        return {"text/plain": f"{self.source}\n# {missing()}"}
