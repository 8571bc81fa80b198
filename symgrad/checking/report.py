"""What ``sg.check`` returns: per-input errors, pass/fail and the diagnoses.

>>> r = InputReport("a", (3,), "float32", 0.0, 0.0, 1e-9, 1e-9, True, True, 3, 3)
>>> print(CheckReport(True, [r], [], None, None, 1e-5, 1e-3, 1e-6, "formula kernel (float64)"))
sg.check: PASSED (eps=1e-06, atol=1e-05, rtol=1e-03; finite differences of the formula kernel (float64))
  input  shape  dtype    tape abs/rel err   symbolic abs/rel err  checked
  a      (3,)   float32  0 / 0  ok          1e-09 / 1e-09  ok     3/3
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class InputReport:
    """Max abs/rel error of the tape and symbolic gradients vs finite differences."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    tape_abs: float
    tape_rel: float
    symbolic_abs: float
    symbolic_rel: float
    tape_ok: bool
    symbolic_ok: bool | None   # None: no symbolic gradient (see the report's note)
    checked: int               # elements compared
    numel: int


@dataclass(frozen=True)
class Diagnosis:
    """A likely cause: ``cause`` is one of ``data-mutation``, ``inplace``,
    ``float32``, ``kink``, ``non-finite``, ``tape-rule``, ``symbolic-rule``, ``custom-backward``,
    ``symbolic-error``, ``unexplained``; ``message`` says what happened and what to do."""

    cause: str
    message: str
    where: str = ""

    def __str__(self) -> str:
        return self.cause


def _num(x: float) -> str:
    if x != x:
        return "-"
    return "0" if x == 0 else f"{x:.2g}" if abs(x) < 1e-3 or abs(x) >= 1e4 else f"{x:.3g}"


def _flag(ok: bool | None) -> str:
    return "n/a" if ok is None else "ok" if ok else "FAIL"


@dataclass(frozen=True)
class CheckReport:
    """The result of :func:`symgrad.check`; true when all three gradients agree."""

    passed: bool
    inputs: list[InputReport]
    diagnoses: list[Diagnosis]
    tape_error: str | None
    symbolic_error: str | None
    atol: float
    rtol: float
    eps: float
    forward: str
    # the float64 step scan of the checked graph (set by sg.check; not data of the report)
    scan: Callable[..., Any] | None = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.passed

    def fd_steps(self, steps: Sequence[float] | None = None) -> Any:
        """The central difference's error against step size, per input (the V whose
        bottom is the step to trust; ``sg.check`` used ``eps``): a ``StepScan``."""
        if self.scan is None:
            raise RuntimeError("this report has no graph to scan (it was not made by sg.check)")
        return self.scan(steps)

    def plot_steps(self, steps: Sequence[float] | None = None, ax: Any = None) -> Any:
        """:meth:`fd_steps` drawn log-log, ``eps`` marked: the matplotlib Figure."""
        return self.fd_steps(steps).plot(ax)

    def _rows(self) -> list[list[str]]:
        rows = [["input", "shape", "dtype", "tape abs/rel err", "symbolic abs/rel err",
                 "checked"]]
        for r in self.inputs:
            rows.append([r.name, str(r.shape), r.dtype,
                         f"{_num(r.tape_abs)} / {_num(r.tape_rel)}  {_flag(r.tape_ok)}",
                         f"{_num(r.symbolic_abs)} / {_num(r.symbolic_rel)}  "
                         f"{_flag(r.symbolic_ok)}",
                         f"{r.checked}/{r.numel}"])
        return rows

    def _notes(self) -> list[str]:
        notes = []
        if self.tape_error:
            notes.append(f"tape: {self.tape_error}")
        if self.symbolic_error:
            notes.append(f"symbolic: {self.symbolic_error}")
        return notes

    def __str__(self) -> str:
        head = (f"sg.check: {'PASSED' if self.passed else 'FAILED'} (eps={self.eps:.0e}, "
                f"atol={self.atol:.0e}, rtol={self.rtol:.0e}; finite differences of the "
                f"{self.forward})")
        rows = self._rows()
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = [head] + ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
                          for r in rows]
        lines += ["  note: " + n for n in self._notes()]
        for d in self.diagnoses:
            lines.append(f"  likely cause [{d.cause}]: {d.message}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        e = html.escape
        color = "#1a7f37" if self.passed else "#cf222e"
        out = [f"<div><b style='color:{color}'>sg.check: "
               f"{'PASSED' if self.passed else 'FAILED'}</b> "
               f"<small>eps={self.eps:.0e}, atol={self.atol:.0e}, rtol={self.rtol:.0e}; "
               f"finite differences of the {e(self.forward)}</small>", "<table>"]
        rows = self._rows()
        out.append("<tr>" + "".join(f"<th>{e(c)}</th>" for c in rows[0]) + "</tr>")
        for r in rows[1:]:
            out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>")
        out.append("</table>")
        items = [f"<li>note: {e(n)}</li>" for n in self._notes()]
        items += [f"<li><b>{e(d.cause)}</b>: {e(d.message)}</li>" for d in self.diagnoses]
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
        out.append("</div>")
        return "".join(out)
