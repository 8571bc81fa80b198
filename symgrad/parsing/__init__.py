"""The restricted parser behind ``symgrad diff`` and ``symgrad run``.

User text is parsed with :mod:`ast`, checked against a whitelist
(:mod:`.validate`) and walked by an interpreter (:mod:`.interp`) that calls
symgrad's public API directly. Nothing the user types reaches ``eval``,
``exec``, ``compile`` (beyond ``ast.parse``), ``sympify`` or ``parse_expr``.
The commands built on it (``diff``, ``run`` and their report) live in
:mod:`symgrad.commands`.

>>> from symgrad.parsing import parse
>>> type(parse("sum(x*x)", "eval")).__name__
'Expression'
"""

from __future__ import annotations

from .errors import InputError, Position, SnippetError
from .limits import Budget, Limits
from .validate import parse

__all__ = ["Budget", "InputError", "Limits", "Position", "SnippetError", "parse"]
