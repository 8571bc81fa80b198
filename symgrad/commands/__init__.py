"""The command-line jobs, as functions: ``symgrad diff`` (:mod:`.diff`),
``symgrad run`` (:mod:`.run`) and the run's report (:mod:`.present`).

They sit on the restricted parser (:mod:`symgrad.parsing`) and return plain
results; ``symgrad_cli`` only parses options and prints.

>>> from symgrad.commands import differentiate
>>> print(differentiate("sum(sigmoid(x))", ["x"]).results[0].formula)
(1 - sigmoid(x))*sigmoid(x)
"""

from __future__ import annotations

from ..parsing import InputError, Limits, Position, SnippetError
from ..parsing.deadline import Deadline
from .diff import (
    DIFF_LIMITS,
    Derivative,
    DiffOutcome,
    differentiate,
    parse_at,
    parse_shape,
)
from .run import RunResult, run_snippet

__all__ = ["DIFF_LIMITS", "Deadline", "Derivative", "DiffOutcome", "InputError", "Limits",
           "Position", "RunResult", "SnippetError", "differentiate", "parse_at", "parse_shape",
           "run_snippet"]
