"""``torch.inference_mode``: no recording, and tensors that autograd refuses.

Tensors created inside inference mode are *inference tensors*: they never
require grad, do not track a version counter (reading ``_version`` raises),
cannot be saved for backward by an op recorded outside inference mode, and
cannot be modified in place outside it. ``inference_mode(False)`` inside it
turns it back off.

>>> import symgrad as torch
>>> x = torch.ones(2, requires_grad=True)
>>> with torch.inference_mode():
...     y = x * 2
>>> y.requires_grad, y.is_inference(), x.is_inference()
(False, True, False)
>>> y._version
Traceback (most recent call last):
RuntimeError: Inference tensors do not track version counter.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..tape.grad_mode import STATE as GRAD


class _State:
    enabled = False


STATE = _State()


def is_inference_mode_enabled() -> bool:
    """Whether tensors created now are inference tensors."""
    return STATE.enabled


def is_inference(input: Any) -> bool:
    """``torch.is_inference(t)``: whether ``t`` was created in inference mode."""
    return input.is_inference()


class inference_mode:  # noqa: N801  (PyTorch's name)
    """Context manager and decorator (``@inference_mode()`` or ``@inference_mode``)."""

    def __init__(self, mode: bool | Callable[..., Any] = True) -> None:
        self._fn = mode if callable(mode) else None
        self.mode = True if callable(mode) else bool(mode)
        self._prev: list[tuple[bool, bool]] = []
        if self._fn is not None:
            functools.update_wrapper(self, self._fn)

    def __enter__(self) -> None:
        self._prev.append((STATE.enabled, GRAD.enabled))
        STATE.enabled = self.mode
        if self.mode:
            GRAD.enabled = False

    def __exit__(self, *exc: object) -> None:
        STATE.enabled, GRAD.enabled = self._prev.pop()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._fn is not None:  # used bare: @inference_mode
            with inference_mode(True):
                return self._fn(*args, **kwargs)
        fn, mode = args[0], self.mode

        @functools.wraps(fn)
        def wrapper(*a: Any, **k: Any) -> Any:
            with inference_mode(mode):
                return fn(*a, **k)
        return wrapper

    def clone(self) -> inference_mode:
        return inference_mode(self.mode)
