"""Grad mode: ``no_grad`` and ``enable_grad``, as context managers and decorators.

>>> with no_grad():
...     is_grad_enabled()
False
>>> is_grad_enabled()
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    enabled = True


STATE = _State()


def is_grad_enabled() -> bool:
    """Whether operations are recorded on the tape now."""
    return STATE.enabled


def set_grad_enabled_flag(mode: bool) -> None:
    STATE.enabled = bool(mode)


class _GradMode:
    _mode = True

    def __init__(self) -> None:
        self._prev: list[bool] = []

    def __enter__(self) -> None:
        self._prev.append(STATE.enabled)
        STATE.enabled = self._mode

    def __exit__(self, *exc: object) -> None:
        STATE.enabled = self._prev.pop()

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with type(self)():
                return fn(*args, **kwargs)
        return wrapper  # type: ignore[return-value]


class no_grad(_GradMode):
    """Context manager and decorator that turns recording off."""

    _mode = False


class enable_grad(_GradMode):
    """Context manager and decorator that turns recording back on."""

    _mode = True


class set_grad_enabled(_GradMode):
    """``set_grad_enabled(False)``: like ``no_grad`` (also usable as a plain call)."""

    def __init__(self, mode: bool) -> None:
        super().__init__()
        self._mode = bool(mode)
        self._prev.append(STATE.enabled)
        STATE.enabled = self._mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        STATE.enabled = self._prev.pop()

    def __call__(self, fn: F) -> F:
        mode = self._mode
        STATE.enabled = self._prev.pop()

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapper  # type: ignore[return-value]
