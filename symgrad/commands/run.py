"""``symgrad run``: execute a PyTorch-style snippet through the whitelist
interpreter and collect what it printed, the leaves it named and the
backward calls it made.

>>> r = run_snippet("import torch\\nx = torch.tensor([1., 2.])\\nprint(x * 2)\\n")
>>> r.stdout
'tensor([2., 4.])\\n'
>>> sorted(r.leaves)
['x']
"""

from __future__ import annotations

import contextlib
import signal
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..eager.tensor import Tensor
from ..parsing.errors import InputError, SnippetError
from ..parsing.interp import ApiError, Interpreter
from ..parsing.limits import Budget, Limits
from ..parsing.validate import parse
from ..tape.grad_mode import STATE


@dataclass
class BackwardCall:
    """One ``backward()`` made by the snippet: the leaf values just before it."""

    line: int
    values: dict[str, np.ndarray]


@dataclass
class RunResult:
    """What a snippet did: its output, named leaves, backward calls, warnings."""

    stdout: str = ""
    leaves: dict[str, Tensor] = field(default_factory=dict)
    backward_calls: list[BackwardCall] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: SnippetError | None = None


class _TimeUp(BaseException):
    """Raised by the wall-time alarm; not an ``Exception`` so no library swallows it."""


@contextlib.contextmanager
def wall_time(seconds: float) -> Iterator[None]:
    """Interrupt Python code running longer than ``seconds`` (main thread, POSIX only;
    elsewhere the interpreter's own checks between statements still apply)."""
    usable = (hasattr(signal, "setitimer") and seconds > 0
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise _TimeUp

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def timeout_error(limits: Limits) -> InputError:
    return InputError(errors.PARSE_TIMEOUT.format(limit=limits.timeout, where=""))


class _Recorder:
    """Names leaves after their variables and notes each ``backward()``."""

    def __init__(self, result: RunResult) -> None:
        self.result = result
        self.interp: Interpreter | None = None

    def on_assign(self, var: str, value: Any) -> None:
        if not isinstance(value, Tensor) or value._grad_fn is not None \
                or value._name is not None or value.record.op is not None:
            return
        leaves = self.result.leaves
        name, k = var, 1
        while name in leaves and leaves[name] is not value:
            name, k = f"{var}_{k}", k + 1
        value.name = name
        leaves[name] = value

    def on_call(self, fn: str, owner: Any, args: tuple) -> None:
        if fn != "backward":
            return
        values = {n: np.array(t._data, copy=True) for n, t in self.result.leaves.items()
                  if t._data is not None}
        line = self.interp.line if self.interp is not None else 0
        self.result.backward_calls.append(BackwardCall(line, values))


def run_snippet(text: str, filename: str = "<snippet>", limits: Limits = Limits()) -> RunResult:
    """Run ``text``; bad input raises :class:`InputError`, the snippet's own runtime
    error is returned in ``result.error`` (with what it printed before failing)."""
    tree = parse(text, "exec", limits)
    result = RunResult()
    chunks: list[str] = []
    rec = _Recorder(result)
    interp = Interpreter(Budget(limits), filename=filename, write=chunks.append,
                         on_assign=rec.on_assign, on_call=rec.on_call)
    rec.interp = interp
    lines = text.splitlines()
    saved_grad_mode, saved_dtype = STATE.enabled, dtypes.get_default_dtype()
    try:
        caught: list[tuple[int, type, object]] = []
        with warnings.catch_warnings(), wall_time(limits.timeout):
            warnings.simplefilter("always")
            # attribute each warning to the snippet line running when it was raised
            warnings.showwarning = (lambda message, category, *args, **kwargs:
                                    caught.append((interp.line, category, message)))
            try:
                interp.run(tree.body)  # type: ignore[attr-defined]
            except ApiError as e:
                line = e.pos.line if e.pos is not None else interp.line
                src = lines[line - 1] if 0 < line <= len(lines) else ""
                result.error = SnippetError(e.exc, filename, line, src)
        result.warnings = [f"{filename}, line {line}: {category.__name__}: {message}"
                           for line, category, message in caught]
    except _TimeUp:
        raise timeout_error(limits) from None
    except InputError as e:
        e.multiline = True
        raise
    finally:
        STATE.enabled = saved_grad_mode
        dtypes.set_default_dtype(saved_dtype)
    result.stdout = "".join(chunks)
    return result
