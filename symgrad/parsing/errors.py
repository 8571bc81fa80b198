"""The two ways user text fails: bad input (:class:`InputError`, exit 2) and
an error raised by the program it describes (:class:`SnippetError`, exit 1).

>>> e = InputError("unknown function 'sigmod'{where}", Position(1, 0))
>>> str(e)
"unknown function 'sigmod' at column 1"
>>> e.multiline = True; str(e)
"unknown function 'sigmod' at line 1, column 1"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    """A place in the user's text: 1-based line, 0-based column (as ``ast``)."""

    line: int
    col: int


def at(node: object) -> Position | None:
    """The position of an AST node, if it has one."""
    line = getattr(node, "lineno", None)
    return None if line is None else Position(line, getattr(node, "col_offset", 0) or 0)


class InputError(Exception):
    """Bad input: one line naming the problem and where it is.

    ``template`` holds ``{where}`` where the position goes. ``output`` is what the
    snippet printed before a limit stopped it (kept, and shown before the error).
    """

    def __init__(self, template: str, pos: Position | None = None) -> None:
        super().__init__(template)
        self.template = template
        self.pos = pos
        self.multiline = False
        self.output = ""

    def __str__(self) -> str:
        if self.pos is None:
            where = ""
        elif self.multiline:
            where = f" at line {self.pos.line}, column {self.pos.col + 1}"
        else:
            where = f" at column {self.pos.col + 1}"
        text = self.template.replace("{where}", where)
        return " ".join(text.split("\n"))


class SnippetError(Exception):
    """A runtime error of the snippet itself (PyTorch's message), with its line."""

    def __init__(self, exc: BaseException, filename: str, line: int | None,
                 source_line: str) -> None:
        super().__init__(str(exc))
        self.exc = exc
        self.filename = filename
        self.line = line
        self.source_line = source_line

    @property
    def kind(self) -> str:
        return type(self.exc).__name__

    def __str__(self) -> str:
        where = f"{self.filename}, line {self.line}" if self.line else self.filename
        head = f"{where}: {self.source_line.strip()}\n" if self.source_line.strip() else ""
        notes = "".join(f"\n{n}" for n in getattr(self.exc, "__notes__", ()) or ()
                        if isinstance(n, str))
        return f"{head}{self.kind}: {self.exc}{notes}"


def suggest(name: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'sigmoid'?"`` or ``""``.

    >>> suggest("sigmod", ["sigmoid", "sin"])
    "; did you mean 'sigmoid'?"
    """
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
