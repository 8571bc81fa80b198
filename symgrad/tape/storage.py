"""Version counters: shared by a tensor, its views and ``detach()``; fresh for ``.data``.

Each bump can carry a note of which in-place op did it, where and through
which alias, so that a stale-saved-tensor error can name the culprit. The
note is recorded by in-place ops only.

>>> vc = VersionCounter()
>>> vc.bump(); vc.version
1
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BumpNote:
    """Who bumped a version counter: ``c.zero_()`` at ``snippet.py:4``, through alias text."""

    op: str
    location: str
    alias: str
    version: int


class VersionCounter:
    """A counter of in-place writes to one storage."""

    __slots__ = ("version", "notes")

    def __init__(self) -> None:
        self.version = 0
        self.notes: list[BumpNote] | None = None

    def bump(self, note: BumpNote | None = None) -> None:
        self.version += 1
        if note is not None:
            if self.notes is None:
                self.notes = []
            self.notes.append(note)

    def notes_since(self, version: int) -> list[BumpNote]:
        """The recorded bumps that took the counter past ``version``."""
        return [n for n in (self.notes or ()) if n.version > version]
