"""Naming the culprit of a stale saved tensor.

When an in-place op bumps a version counter, symgrad writes down who did it
(a :class:`~symgrad.tape.storage.BumpNote`): the call as the user wrote it
(``c.zero_()``, ``x[0] = ...``), where (``snippet.py:4``), and through which
alias of the saved tensor the write went (``c`` is ``out.detach()``, or a
view such as ``x[1:]``). Variable names are found by looking for the tensor
among the locals of the user's frame; the cost is paid only by in-place ops.

``.data`` never appears here: it has a **fresh** version counter, so a
write through ``out.data`` bumps nothing that autograd checks and backward
silently uses the new values (``sg.check`` is the tool that catches that).

>>> import symgrad as sg
>>> a = sg.tensor([1., 2.], requires_grad=True)
>>> out = a.sigmoid()
>>> c = out.detach()
>>> import sys
>>> n = note_for(c, "zero_", frame=sys._getframe())
>>> n.op, n.alias
('c.zero_()', "`c` is `out.detach()`, which shares out's version counter")
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from ..ops import OPS
from ..tape.storage import BumpNote


class _Setitem:
    """Set by ``x[key] = v`` while it runs, so the note reads ``x[key] = ...``."""

    stack: list[tuple[Any, str]] = []


SETITEM = _Setitem()


class ScriptScope:
    """Where an interpreted snippet is (``symgrad run``), used instead of Python
    frames: its file name, current line, and its variables by name.

    >>> scope = ScriptScope("snippet.py", {"c": 1})
    >>> scope.line = 4
    >>> _location(scope), name_in(scope, 1)
    ('snippet.py:4', 'c')
    """

    def __init__(self, filename: str, names: dict[str, Any]) -> None:
        self.filename = filename
        self.line = 0
        self.names = names


SCRIPTS: list[ScriptScope] = []


def user_frame() -> FrameType | ScriptScope | None:
    """The running snippet's scope, else the first frame outside the symgrad
    package, walking up from the caller."""
    if SCRIPTS:
        return SCRIPTS[-1]
    f: FrameType | None = sys._getframe(1)
    while f is not None and f.f_globals.get("__name__", "").startswith("symgrad"):
        f = f.f_back
    return f


def _location(f: FrameType | ScriptScope | None) -> str:
    if f is None:
        return ""
    if isinstance(f, ScriptScope):
        return f"{f.filename.replace(chr(92), '/').rsplit('/', 1)[-1]}:{f.line}"
    return f"{f.f_code.co_filename.replace(chr(92), '/').rsplit('/', 1)[-1]}:{f.f_lineno}"


def name_in(f: FrameType | ScriptScope | None, t: Any) -> str | None:
    """A variable of frame ``f`` bound to the object ``t`` (public names first)."""
    if f is None or t is None:
        return None
    names = f.names if isinstance(f, ScriptScope) else f.f_locals
    found = [k for k, v in names.items() if v is t]
    if not found:
        return None
    found.sort(key=lambda k: (k.startswith("_"), len(k)))
    return found[0]


def view_text(chain: tuple, base: str) -> str:
    """``chain`` as Python applied to ``base``: ``x[1:]``, ``x.view(2, 2)[0]``
    (each view entry's ``view_text`` writes its part).

    >>> view_text((("select", {"dim": 1, "index": 0}),), "x")
    'x[:, 0]'
    """
    out = base
    for name, a in chain:
        text = OPS[name].view_text
        out += text(a) if text is not None else f".{name}(...)"
    return out


def _alias(t: Any, f: FrameType | ScriptScope | None, me: str | None) -> str:
    who = f"`{me}` is" if me else "it was called on"
    if t._base is not None and t._view_fn is not None:
        base = name_in(f, t._base)
        shown = view_text(t._view_fn, base or "base")
        owner = f"{base}'s" if base else "its base's"
        return f"{who} `{shown}`, which shares {owner} version counter"
    op = t._record.op
    if op is not None and op.name == "detach" and (t._record.attrs or {}).get("how") == "detach":
        src = name_in(f, t._record.inputs[0])
        shown = f"{src}.detach()" if src else "a .detach()ed tensor"
        owner = f"{src}'s" if src else "the original's"
        return f"{who} `{shown}`, which shares {owner} version counter"
    return ""


def note_for(t: Any, method: str, frame: FrameType | ScriptScope | None = None) -> BumpNote:
    """The note for the in-place ``t.method(...)`` about to bump ``t``'s counter
    (names are looked up in ``frame``, by default the user's frame)."""
    f = frame if frame is not None else user_frame()
    me = name_in(f, t)
    if SETITEM.stack:
        target, key = SETITEM.stack[-1]
        tname = name_in(f, target)
        op = f"{tname or ''}[{key}] = ..." if tname else f"[{key}] = ..."
        alias = _alias(target, f, tname)
    else:
        op = f"{me}.{method}()" if me else f"{method}()"
        alias = _alias(t, f, me)
    return BumpNote(op, _location(f), alias, t._vc.version + 1)
