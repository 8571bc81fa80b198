"""Notation as people write it: the LaTeX of the matrix functions (``\\operatorname{tr}``,
``\\det``, ``X^{-1}``, ``a b^{\\top}``, ``\\otimes``) and 2-D text wrapped between tokens
(:func:`wrap_pretty`). Used by :mod:`.printing`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PRETTY_COLUMNS = 80  # ``pretty`` wraps an inline formula at this width, between tokens


def _operand(p: Any, e: Any) -> str:
    """``e`` as the base of a superscript: parenthesised unless a symbol or a function."""
    return p.parenthesize(e, 70, strict=True)


# the textbook's notation for the matrix functions, by node name
LATEX_FORMS: dict[str, Callable[[Any, Any], str]] = {
    "trace": lambda p, e: r"\operatorname{tr}\left(" + p._print(e.args[0]) + r"\right)",
    "det": lambda p, e: r"\det\left(" + p._print(e.args[0]) + r"\right)",
    "logdet": lambda p, e: r"\log\det\left(" + p._print(e.args[0]) + r"\right)",
    "logabsdet": lambda p, e: r"\log\left|\det\left(" + p._print(e.args[0]) + r"\right)\right|",
    "inverse": lambda p, e: "{" + _operand(p, e.args[0]) + "}^{-1}",
    "solve": lambda p, e: "{" + _operand(p, e.args[0]) + r"}^{-1} \cdot " +
                          p.parenthesize(e.args[1], 50),
    "outer": lambda p, e: p.parenthesize(e.args[0], 50) + " {" + _operand(p, e.args[1]) +
                          r"}^{\top}",
    "kron": lambda p, e: p.parenthesize(e.args[0], 50) + r" \otimes " +
                         p.parenthesize(e.args[1], 50),
}


def wrap_pretty(text: str, width: int = PRETTY_COLUMNS) -> str:
    """2-D text cut into screens of at most ``width`` columns *between tokens*
    (at a column that is blank in every row), never inside a name; SymPy's
    own wrapping cuts at the column, "s ↪ igmoid". Screens are marked with
    ``↪`` as SymPy marks them.

    >>> print(wrap_pretty("sigmoid(a) + sigmoid(b)", 16))
    sigmoid(a) + ↪
    <BLANKLINE>
    ↪ sigmoid(b)
    """
    rows = text.split("\n")
    total = max(map(len, rows))
    if total <= width:
        return text
    rows = [r.ljust(total) for r in rows]
    blank = [all(r[c] == " " for r in rows) for c in range(total)]
    screens, start = [], 0
    while total - start > width - (2 if start else 0):
        room = width - 2 - (2 if start else 0)  # the markers' columns
        cut = next((c for c in range(start + room, start, -1) if blank[c]), start + room)
        screens.append((start, cut))
        start = cut + 1 if blank[cut] else cut
    screens.append((start, total))
    out = []
    for i, (a, b) in enumerate(screens):
        head, tail = ("↪ " if i else ""), (" ↪" if i < len(screens) - 1 else "")
        out.append("\n".join((head + r[a:b] + tail).rstrip() if r[a:b].strip() else ""
                             for r in rows).strip("\n"))
    return "\n\n".join(out)


__all__ = ["LATEX_FORMS", "PRETTY_COLUMNS", "wrap_pretty"]
