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

import random as _pyrandom

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import dtypes, errors
from ..eager import threads as _threads
from ..eager.formatting import PRINT_OPTS
from ..eager.tensor import Tensor
from ..nn.module import Module
from ..parsing.deadline import Deadline, TimeUp
from ..parsing.errors import InputError, SnippetError
from ..parsing.interp import ApiError, Interpreter
from ..parsing.limits import Budget, Limits
from ..parsing.validate import parse
from ..tape.grad_mode import STATE


@dataclass
class BackwardCall:
    """One ``backward()`` made by the snippet: the leaf values just before it (kept
    for the first call only, which is all the report reads)."""

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


class _Recorder:
    """Names leaves after their variables and notes each ``backward()``."""

    def __init__(self, result: RunResult,
                 on_backward: Callable[[Any, dict[str, Any]], None] | None = None) -> None:
        self.result = result
        self.interp: Interpreter | None = None
        self.on_backward = on_backward  # (tensor, the snippet's variables), before backward

    def on_assign(self, var: str, value: Any) -> None:
        if isinstance(value, Module):  # a model: its parameters are leaves, named by path
            value._name_symbols()
            for _, p in value.named_parameters():
                self.result.leaves.setdefault(p.name, p)
            return
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
        calls = self.result.backward_calls
        values: dict[str, np.ndarray] = {}
        if not calls:  # a training loop would otherwise keep a copy of every leaf per step
            for n, t in self.result.leaves.items():
                if t._data is not None:
                    if self.interp is not None:
                        self.interp.budget.check_elements(int(t._data.size), None)
                    values[n] = np.array(t._data, copy=True)
        line = self.interp.line if self.interp is not None else 0
        calls.append(BackwardCall(line, values))
        if self.on_backward is not None and self.interp is not None:
            self.on_backward(owner, self.interp.env)


def run_snippet(text: str, filename: str = "<snippet>", limits: Limits = Limits(), *,
                deadline: Deadline | None = None,
                write: Callable[[str], None] | None = None,
                on_backward: Callable[[Any, dict[str, Any]], None] | None = None) -> RunResult:
    """Run ``text``; bad input raises :class:`InputError`, the snippet's own runtime
    error is returned in ``result.error`` (with what it printed before failing).

    Everything (parsing included) runs inside ``deadline`` (by default a new one of
    ``limits.timeout`` seconds); a command passes its own so that one deadline covers
    the run and what follows it. ``write`` receives the snippet's output as it is
    printed; when a limit stops the snippet, the error's ``output`` holds what it
    printed before. ``on_backward(tensor, variables)`` is called before each
    ``backward()`` the snippet makes (``symgrad run --graph`` draws the graph then).
    """
    deadline = deadline if deadline is not None else Deadline(limits.timeout)
    result = RunResult()
    chunks: list[str] = []

    def emit(s: str) -> None:
        chunks.append(s)
        if write is not None:
            write(s)

    saved_grad_mode, saved_dtype = STATE.enabled, dtypes.get_default_dtype()
    saved_print = dict(vars(PRINT_OPTS))  # the snippet may call set_printoptions
    saved_random = _pyrandom.getstate()  # ... and seed Python's random
    saved_threads = _threads.setting()  # ... and torch.set_num_threads
    with deadline:
        try:
            _run(text, filename, limits, deadline, result, emit, on_backward)
        except TimeUp:
            if not deadline.expired():
                raise  # an outer deadline's: let its owner report it
            err = deadline.error()
            err.multiline, err.output = True, "".join(chunks)
            raise err from None
        except InputError as e:
            e.multiline, e.output = True, "".join(chunks)
            raise
        except MemoryError:
            err = InputError(errors.PARSE_OUT_OF_MEMORY.format(where=""))
            err.multiline, err.output = True, "".join(chunks)
            raise err from None
        finally:
            STATE.enabled = saved_grad_mode
            dtypes.set_default_dtype(saved_dtype)
            vars(PRINT_OPTS).clear()
            vars(PRINT_OPTS).update(saved_print)
            _pyrandom.setstate(saved_random)
            _threads.restore(saved_threads)
    result.stdout = "".join(chunks)
    return result


def _run(text: str, filename: str, limits: Limits, deadline: Deadline, result: RunResult,
         emit: Callable[[str], None],
         on_backward: Callable[[Any, dict[str, Any]], None] | None = None) -> None:
    tree = parse(text, "exec", limits)
    rec = _Recorder(result, on_backward)
    budget = Budget(limits, deadline)
    interp = Interpreter(budget, filename=filename, write=emit,
                         on_assign=rec.on_assign, on_call=rec.on_call)
    rec.interp = interp
    lines = text.splitlines()

    def show(message: Any, category: type, *args: Any, **kwargs: Any) -> None:
        # attribute each warning to the snippet line running when it was raised; warnings
        # count against the output limit, like print
        shown = f"{filename}, line {interp.line}: {category.__name__}: {message}"
        budget.check_output(len(shown) + 1, None)
        result.warnings.append(shown)

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        try:
            interp.run(tree.body)  # type: ignore[attr-defined]
        except ApiError as e:
            line = e.pos.line if e.pos is not None else interp.line
            src = lines[line - 1] if 0 < line <= len(lines) else ""
            result.error = SnippetError(e.exc, filename, line, src)
