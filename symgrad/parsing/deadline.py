"""One wall-time deadline per command, covering everything the command does.

A :class:`Deadline` is made once per ``symgrad diff`` or ``symgrad run`` (parse,
run, derivatives, report, every output format) and cannot be switched off: a
time limit that is not a finite number of seconds in ``(0, MAX_SECONDS]`` is
refused with one line. While it is entered (``with deadline:``), a ``SIGALRM``
timer interrupts Python code at the deadline by raising :class:`TimeUp`, which
is a ``BaseException`` so that no ``except Exception`` on the way (SymPy's, a
report's) can swallow it; leaving the outermost ``with`` turns it into the
one-line :class:`~.errors.InputError` ``time limit of 20 s exceeded``. If some
code swallows it anyway, the timer fires again every :data:`REPEAT` seconds.

The alarm only interrupts Python code: C-level calls (NumPy, list comparisons)
are kept short by the size limits (:mod:`.limits`, :mod:`.estimate`), checked
before the call. Off the main thread, or without ``setitimer``, only the
cooperative :meth:`Deadline.check` calls (between statements and loop
iterations of the interpreter) apply.

>>> d = Deadline(5)
>>> with d:
...     d.remaining() > 4
True
>>> Deadline(float("nan"))
Traceback (most recent call last):
...
symgrad.parsing.errors.InputError: time limit nan is not a number of seconds between 0.1 and 3600; the limit cannot be switched off
"""

from __future__ import annotations

import math
import signal
import threading
import time
from typing import Any

from .. import errors
from .errors import InputError, Position

MIN_SECONDS = 0.1
MAX_SECONDS = 3600.0
REPEAT = 0.25          # seconds between alarms once a deadline has passed


class TimeUp(BaseException):
    """Raised by the alarm when a deadline passes; not an ``Exception`` on purpose."""


def seconds_of(value: Any) -> float:
    """``value`` as a time limit in seconds, or :class:`InputError` (NaN, infinities,
    zero, negatives and anything past :data:`MAX_SECONDS` are refused).

    >>> seconds_of("2.5")
    2.5
    """
    try:
        s = float(value)
    except (TypeError, ValueError, OverflowError):
        s = math.nan
    if not (MIN_SECONDS <= s <= MAX_SECONDS):  # also False for NaN
        raise InputError(errors.PARSE_BAD_TIMEOUT.format(value=value, low=MIN_SECONDS,
                                                         high=MAX_SECONDS))
    return s


# the deadlines currently entered on this process's main thread, innermost last; what
# SIGALRM did before the first of them (handler, pending timer, when), restored after
_ACTIVE: list[Deadline] = []
_SAVED: list[tuple[Any, tuple[float, float], float]] = []


def _alarm_usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _on_alarm(signum: int, frame: Any) -> None:
    if any(d.expired() for d in _ACTIVE):
        raise TimeUp
    _rearm()  # woke early (an inner deadline ended): wait for the earliest one


def _rearm() -> None:
    if not _ACTIVE:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    left = min(d.remaining() for d in _ACTIVE)
    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-4), REPEAT)


def stop_alarms() -> None:
    """Disarm the timer and restore SIGALRM's handler, whatever is entered: for the
    command's last words after a :class:`TimeUp` (an alarm repeated while the stack
    unwinds must not interrupt the one-line error)."""
    if not _alarm_usable():
        return
    signal.setitimer(signal.ITIMER_REAL, 0)
    for d in _ACTIVE:
        d._alarm, d._depth = False, 0
    _ACTIVE.clear()
    if _SAVED:
        handler = _SAVED[0][0]
        _SAVED.clear()
        signal.signal(signal.SIGALRM, handler if handler is not None else signal.SIG_DFL)


class Deadline:
    """A wall-time limit that starts when first entered (or :meth:`start`-ed)."""

    def __init__(self, seconds: Any) -> None:
        self.seconds = seconds_of(seconds)
        self.end: float | None = None
        self._depth = 0
        self._alarm = False

    def start(self) -> Deadline:
        if self.end is None:
            self.end = time.monotonic() + self.seconds
        return self

    def remaining(self) -> float:
        self.start()
        assert self.end is not None
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.end is not None and time.monotonic() >= self.end

    def error(self, pos: Position | None = None) -> InputError:
        where = "{where}" if pos is not None else ""
        return InputError(errors.PARSE_TIMEOUT.format(limit=self.seconds, where=where), pos)

    def check(self, pos: Position | None = None) -> None:
        """Cooperative check: :class:`InputError` once the deadline has passed."""
        if self.remaining() <= 0:
            raise self.error(pos)

    def __enter__(self) -> Deadline:
        self.start()
        if self._depth == 0 and _alarm_usable():
            if not _ACTIVE:
                handler = signal.signal(signal.SIGALRM, _on_alarm)
                _SAVED.append((handler, signal.getitimer(signal.ITIMER_REAL), time.monotonic()))
            _ACTIVE.append(self)
            self._alarm = True
            _rearm()
        self._depth += 1
        return self

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> bool:
        self._depth -= 1
        if self._depth == 0 and self._alarm:
            self._alarm = False
            _ACTIVE.remove(self)
            if _ACTIVE:
                _rearm()
            else:
                signal.setitimer(signal.ITIMER_REAL, 0)
                handler, (delay, interval), since = _SAVED.pop()
                signal.signal(signal.SIGALRM, handler if handler is not None else signal.SIG_DFL)
                if delay > 0:  # someone else's alarm (pytest-timeout, say) was pending
                    left = delay - (time.monotonic() - since)
                    signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), interval)
        if isinstance(exc, TimeUp) and self.expired():
            raise self.error() from None
        return False

    def __repr__(self) -> str:
        return f"Deadline({self.seconds:g} s)"
