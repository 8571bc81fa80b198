"""The command-line jobs, as functions: ``symgrad diff`` (:mod:`.diff`),
``symgrad run`` (:mod:`.run`) and the run's report (:mod:`.present`).

They sit on the restricted parser (:mod:`symgrad.parsing`) and return plain
results; ``symgrad_cli`` only parses options and prints. Each job loads on
first use, so ``symgrad diff`` never imports what only ``run`` needs (``nn``).

>>> from symgrad.commands import differentiate
>>> print(differentiate("sum(sigmoid(x))", ["x"]).results[0].formula)
(1 - sigmoid(x))*sigmoid(x)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..parsing import InputError, Limits, Position, SnippetError
from ..parsing.deadline import Deadline

if TYPE_CHECKING:
    from .diff import (
        DIFF_LIMITS,
        Derivative,
        DiffOutcome,
        differentiate,
        parse_at,
        parse_shape,
    )
    from .run import RunResult, run_snippet

#: public name -> the module of this package that defines it (imported on first use)
_LAZY = {
    "DIFF_LIMITS": "diff", "Derivative": "diff", "DiffOutcome": "diff",
    "differentiate": "diff", "parse_at": "diff", "parse_shape": "diff",
    "RunResult": "run", "run_snippet": "run",
}

__all__ = ["DIFF_LIMITS", "Deadline", "Derivative", "DiffOutcome", "InputError", "Limits",
           "Position", "RunResult", "SnippetError", "differentiate", "parse_at", "parse_shape",
           "run_snippet"]


def __getattr__(name: str) -> Any:  # PEP 562: a job's module loads when it is asked for
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
