"""``torch.utils.benchmark``: ``Timer`` and the ``Measurement`` it returns.

``Timer(stmt, setup, globals=...)`` times a statement as PyTorch's does (on top
of :class:`timeit.Timer`): ``timeit(number)`` runs a warm-up of ``number // 100``
(at least 2) runs, then ``number`` timed runs, and returns a :class:`Measurement`
that prints in PyTorch's form. The times are symgrad's own, so they never match
PyTorch's. Under ``symgrad run`` the statement is parsed and run by the
whitelist interpreter instead (:meth:`Timer.interpreted`), never compiled.

>>> m = Timer("x * 2", globals={"x": 3}).timeit(10)
>>> m.number_per_run, len(m.times)
(10, 1)
>>> print(Measurement(10, [2.5e-5], TaskSpec("x * 2")))  # doctest: +ELLIPSIS
<torch.utils.benchmark.utils.common.Measurement object at 0x...>
x * 2
  2.50 us
  1 measurement, 10 runs , 1 thread
"""

from __future__ import annotations

import math
import statistics
import textwrap
import timeit as _timeit
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Measurement", "TaskSpec", "Timer", "select_unit"]


@dataclass(frozen=True)
class TaskSpec:
    """What was timed: the statement, its setup and labels (PyTorch's ``TaskSpec``)."""

    stmt: str
    setup: str = "pass"
    global_setup: str = ""
    label: str | None = None
    sub_label: str | None = None
    description: str | None = None
    env: str | None = None
    num_threads: int = 1

    @property
    def title(self) -> str:
        """The label, or the statement when it is one line."""
        if self.label is not None:
            return self.label + (f": {self.sub_label}" if self.sub_label else "")
        if "\n" not in self.stmt:
            return self.stmt + (f": {self.sub_label}" if self.sub_label else "")
        return (f"stmt:{f' ({self.sub_label})' if self.sub_label else ''}\n"
                f"{textwrap.indent(self.stmt, '  ')}")

    def setup_str(self) -> str:
        if self.setup == "pass" or not self.setup:
            return ""
        if "\n" in self.setup:
            return f"setup:\n{textwrap.indent(self.setup, '  ')}"
        return f"setup: {self.setup}"

    def summarize(self) -> str:
        sections = [self.title, self.description or "", self.setup_str()]
        return "\n".join(f"{s}\n" if "\n" in s else s for s in sections if s)


def select_unit(t: float) -> tuple[str, float]:
    """The unit that shows ``t`` seconds with an integer part of one to three digits.

    >>> select_unit(2.5e-5)
    ('us', 1e-06)
    """
    unit = {-3: "ns", -2: "us", -1: "ms"}.get(int(math.log10(t) // 3), "s")
    return unit, {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1}[unit]


@dataclass(repr=False)
class Measurement:
    """Timed runs of one statement: ``raw_times`` (seconds per block of
    ``number_per_run`` runs); ``times``, ``median`` and ``mean`` are per run."""

    number_per_run: int
    raw_times: list[float]
    task_spec: TaskSpec
    metadata: dict[Any, Any] | None = field(default=None)

    @property
    def times(self) -> list[float]:
        return [t / self.number_per_run for t in self.raw_times]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def mean(self) -> float:
        return statistics.mean(self.times)

    @property
    def iqr(self) -> float:
        ts = sorted(self.times)
        if len(ts) < 2:
            return 0.0
        q = statistics.quantiles(ts, n=4, method="inclusive")
        return q[2] - q[0]

    @property
    def title(self) -> str:
        return self.task_spec.title

    @property
    def stmt(self) -> str:
        return self.task_spec.stmt

    def __repr__(self) -> str:
        n = len(self.raw_times)
        unit, scale = select_unit(self.median)
        lines = [f"<torch.utils.benchmark.utils.common.Measurement object at {id(self):#x}>",
                 self.task_spec.summarize(),
                 f"  {'Median: ' if n > 1 else ''}{self.median / scale:.2f} {unit}"]
        if n >= 4:
            ts = sorted(self.times)
            q = statistics.quantiles(ts, n=4, method="inclusive")
            lines.append(f"  IQR:    {self.iqr / scale:.2f} {unit} ({q[0] / scale:.2f} to "
                         f"{q[2] / scale:.2f})")
        threads = self.task_spec.num_threads
        lines.append(f"  {n} measurement{'s' if n > 1 else ''}, {self.number_per_run} runs "
                     f"{'per measurement,' if n > 1 else ','} {threads} "
                     f"thread{'s' if threads > 1 else ''}")
        return "\n".join(lines)


class Timer:
    """Time ``stmt`` (a string of Python) after ``setup``, with names from ``globals``.

    >>> Timer("x + 1", globals={"x": 1}).timeit(3).number_per_run
    3
    """

    def __init__(self, stmt: str = "pass", setup: str = "pass", global_setup: str = "",
                 timer: Callable[[], float] = _timeit.default_timer,
                 globals: dict[str, Any] | None = None, label: str | None = None,
                 sub_label: str | None = None, description: str | None = None,
                 env: str | None = None, num_threads: int = 1, language: str = "python"
                 ) -> None:
        if not isinstance(stmt, str):
            raise ValueError("Currently only a `str` stmt is supported.")
        if language not in ("python", "py"):
            raise ValueError(f"Invalid language `{language}`: symgrad times Python only")
        self._task_spec = TaskSpec(
            stmt=textwrap.dedent(stmt).strip(), setup=textwrap.dedent(setup).strip(),
            global_setup=global_setup, label=label, sub_label=sub_label,
            description=description, env=env, num_threads=num_threads)
        self._clock = timer
        self._globals = dict(globals or {})  # a copy, as PyTorch's: the statement's names
        self._runner: Callable[[int], None] | None = None

    @classmethod
    def interpreted(cls, run: Callable[[int], None], stmt: str = "pass", **kwargs: Any) -> Timer:
        """A timer whose runs are ``run(number)`` (``symgrad run``: the whitelist
        interpreter runs the parsed statement ``number`` times); ``stmt`` is its label."""
        self = cls(stmt, **kwargs)
        self._runner = run
        return self

    def _timeit(self, number: int) -> float:
        if self._runner is None:
            spec = self._task_spec
            inner = _timeit.Timer(stmt=spec.stmt, setup=spec.setup, timer=self._clock,
                                  globals=self._globals)
            return max(inner.timeit(number), 1e-9)
        start = self._clock()
        self._runner(number)
        return max(self._clock() - start, 1e-9)

    def timeit(self, number: int = 1000000) -> Measurement:
        """Run the statement ``number // 100`` times (at least twice) to warm up, then
        ``number`` times, timed."""
        self._timeit(max(number // 100, 2))
        return Measurement(number, [self._timeit(number)], self._task_spec)
