"""Resource limits for user text, and the budget that enforces them.

Every size is checked *before* the work is done: ``9**9**9`` is refused
from the sizes of its operands, ``zeros(10**9)`` from its arguments, a
``for`` loop from the length of its ``range``.

>>> b = Budget(Limits(max_tensor_elements=100))
>>> b.check_elements(50, None)
>>> b.check_elements(500, None)
Traceback (most recent call last):
...
symgrad.parsing.errors.InputError: tensor of 500 elements exceeds the limit of 100 per tensor
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from typing import Any

from .. import errors
from .deadline import Deadline, seconds_of
from .errors import InputError, Position


@dataclass(frozen=True)
class Limits:
    """Upper bounds on what one expression or snippet may ask for."""

    max_chars: int = 100_000           # length of the input text
    max_depth: int = 100               # AST nesting depth
    max_int_literal_bits: int = 128    # integer literals in the text
    max_int_bits: int = 4096           # integers computed by the text
    max_sequence: int = 1_000_000      # items of a list/tuple/str built by the text
    max_total_items: int = 30_000_000  # summed over every list/tuple/str the text builds
    max_tensor_elements: int = 10_000_000
    max_total_elements: int = 200_000_000  # summed over every tensor an operation creates
    max_live_bytes: int = 512 * 2**20  # arrays alive at once (8 bytes an element when estimated)
    max_matmul_work: int = 2_000_000_000   # multiply-adds of one matrix product
    max_loop_iterations: int = 100_000     # summed over all loops
    max_call_depth: int = 40           # nested calls of the snippet's own functions
    max_output_chars: int = 1_000_000  # printed text and warnings, together
    timeout: float = 20.0              # wall time, seconds (finite: it cannot be switched off)

    def __post_init__(self) -> None:
        seconds_of(self.timeout)  # NaN, inf, 0 and negatives are refused here


class Budget:
    """Running totals against :class:`Limits`, plus the command's wall-time
    :class:`~.deadline.Deadline` (a fresh one started now unless one is given)."""

    def __init__(self, limits: Limits, deadline: Deadline | None = None) -> None:
        self.limits = limits
        self.deadline = deadline if deadline is not None else Deadline(limits.timeout)
        self.deadline.start()
        self.elements = 0
        self.iterations = 0
        self.output_chars = 0
        self.items = 0  # list, tuple and string items created so far (never credited back)
        self.live_bytes = 0  # of the arrays :meth:`hold` counted that are still alive

    def check_time(self, pos: Position | None) -> None:
        self.deadline.check(pos)

    def check_elements(self, n: int, pos: Position | None) -> None:
        lim = self.limits
        if n > lim.max_tensor_elements:
            raise InputError(errors.PARSE_TENSOR_TOO_BIG.format(
                n=n, limit=lim.max_tensor_elements, where="{where}"), pos)
        self.elements += n
        if self.elements > lim.max_total_elements:
            raise InputError(errors.PARSE_TOTAL_TOO_BIG.format(
                limit=lim.max_total_elements, where="{where}"), pos)

    def check_room(self, nbytes: int, pos: Position | None) -> None:
        """Refuse, before allocating, ``nbytes`` more than :attr:`Limits.max_live_bytes`
        allows next to the arrays alive now."""
        if self.live_bytes + nbytes > self.limits.max_live_bytes:
            raise InputError(errors.PARSE_MEMORY_TOO_BIG.format(
                mb=self.limits.max_live_bytes // 2**20, where="{where}"), pos)

    def hold(self, array: Any, pos: Position | None) -> None:
        """Count a new array while it lives (checked against the live limit)."""
        nbytes = int(getattr(array, "nbytes", 0))
        if not nbytes:
            return
        self.check_room(nbytes, pos)
        self.live_bytes += nbytes
        try:
            weakref.finalize(array, self._free, nbytes)
        except TypeError:  # not weak-referenceable: counted for good
            pass

    def _free(self, nbytes: int) -> None:
        self.live_bytes -= nbytes

    def check_sequence(self, n: int, pos: Position | None) -> None:
        if n > self.limits.max_sequence:
            raise InputError(errors.PARSE_SEQ_TOO_LONG.format(
                n=n, limit=self.limits.max_sequence, where="{where}"), pos)

    def new_items(self, n: int, pos: Position | None, commit: bool = True) -> None:
        """``n`` list, tuple or string items about to be created: one sequence's length
        (:meth:`check_sequence`) and the running total, checked before allocating (so a
        loop appending big lists cannot pass the memory limit one list at a time).
        ``commit=False`` only checks (the call that makes them counts them)."""
        self.check_sequence(n, pos)
        if self.items + n > self.limits.max_total_items:
            raise InputError(errors.PARSE_ITEMS_TOTAL.format(
                limit=self.limits.max_total_items, where="{where}"), pos)
        if commit:
            self.items += n
        if self.items > self.limits.max_total_items:
            raise InputError(errors.PARSE_ITEMS_TOTAL.format(
                limit=self.limits.max_total_items, where="{where}"), pos)

    def check_loop(self, n: int, pos: Position | None) -> None:
        lim = self.limits.max_loop_iterations
        if n > lim:
            raise InputError(errors.PARSE_LOOP_TOO_LONG.format(n=n, limit=lim, where="{where}"),
                             pos)

    def tick(self, pos: Position | None) -> None:
        """One loop iteration: count it and look at the clock."""
        self.iterations += 1
        if self.iterations > self.limits.max_loop_iterations:
            raise InputError(errors.PARSE_LOOPS_TOTAL.format(
                limit=self.limits.max_loop_iterations, where="{where}"), pos)
        self.check_time(pos)

    def check_output(self, n: int, pos: Position | None) -> None:
        self.output_chars += n
        if self.output_chars > self.limits.max_output_chars:
            raise InputError(errors.PARSE_OUTPUT_TOO_LONG.format(
                limit=self.limits.max_output_chars, where="{where}"), pos)

    def check_int_pow(self, base: int, exp: int, pos: Position | None) -> None:
        """Refuse ``base ** exp`` (both ints) whose result would be too large."""
        if exp < 0 or abs(base) <= 1:
            return
        bits = exp * math.log2(abs(base))
        if bits > self.limits.max_int_bits:
            raise InputError(errors.PARSE_INT_RESULT.format(
                bits=_fmt_bits(bits), limit=self.limits.max_int_bits, where="{where}"), pos)

    def check_int_bits(self, bits: float, pos: Position | None) -> None:
        if bits > self.limits.max_int_bits:
            raise InputError(errors.PARSE_INT_RESULT.format(
                bits=_fmt_bits(bits), limit=self.limits.max_int_bits, where="{where}"), pos)


def _fmt_bits(bits: float) -> str:
    return f"{bits:.3g}" if bits >= 1e6 else str(int(math.ceil(bits)))


def numel(shape: Any) -> int:
    """Number of elements of ``shape`` (``None`` entries, unknown lengths, count as 1).

    >>> numel((3, None, 4))
    12
    """
    n = 1
    for s in shape:
        if s is not None:
            n *= max(int(s), 0)
    return n
