"""The restricted parser behind ``symgrad diff`` and ``symgrad run``.

User text is parsed with :mod:`ast`, checked against a whitelist
(:mod:`.validate`) and walked by an interpreter (:mod:`.interp`) that calls
symgrad's public API directly. Nothing the user types reaches ``eval``,
``exec``, ``compile`` (beyond ``ast.parse``), ``sympify`` or ``parse_expr``.

>>> from symgrad.parsing import differentiate
>>> print(differentiate("sum(sigmoid(x))", ["x"]).results[0].formula)
(1 - sigmoid(x))*sigmoid(x)
"""

from __future__ import annotations

from .diffing import Derivative, DiffOutcome, differentiate, parse_at, parse_shape
from .errors import InputError, Position, SnippetError
from .limits import Limits
from .runner import RunResult, run_snippet

__all__ = ["Derivative", "DiffOutcome", "InputError", "Limits", "Position", "RunResult",
           "SnippetError", "differentiate", "parse_at", "parse_shape", "run_snippet"]
