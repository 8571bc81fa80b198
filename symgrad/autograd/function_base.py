"""What both sides of a custom ``autograd.Function`` share: how its ``forward``
is called (with ``ctx`` first, or ``setup_context`` style), a plain ``ctx``
for replays and formula runs, and the switch that makes reverse mode
differentiate a Function through its forward's formula.

>>> class Demo:
...     @staticmethod
...     def forward(ctx, x):
...         ctx.k = 2
...         return x * ctx.k
...     setup_context = default_method(lambda ctx, inputs, output: None)
>>> ctx = PlainCtx(); call_forward(Demo, ctx, (3,)), ctx.k
(6, 2)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ..tape.grad_mode import no_grad

__all__ = ["MODE", "PlainCtx", "call_forward", "default_method", "forward_formula_gradients",
           "is_default", "user_backward"]


def default_method(fn: Any) -> Any:
    """Mark ``fn`` as ``Function``'s own (not overridden) method."""
    fn._symgrad_default = True
    return staticmethod(fn)


def is_default(fn: Any) -> bool:
    """Whether ``fn`` is one of ``Function``'s own methods (the user did not define it)."""
    return getattr(fn, "_symgrad_default", False)


def user_backward(cls: type) -> Any:
    """The user's ``backward`` (or ``vjp``, its alias) of Function class ``cls``."""
    if is_default(cls.backward) and not is_default(cls.vjp):
        return cls.vjp
    return cls.backward


def call_forward(cls: type, ctx: Any, args: tuple, kwargs: dict | None = None) -> Any:
    """Run ``cls.forward`` on ``args`` without grad, ``setup_context`` style or not."""
    kwargs = kwargs or {}
    with no_grad():
        if not is_default(cls.setup_context):
            out = cls.forward(*args, **kwargs)
            cls.setup_context(ctx, args, out)
            return out
        return cls.forward(ctx, *args, **kwargs)


class PlainCtx:
    """A ``ctx`` outside the graph (replays, runs on formula tensors): keeps what
    ``forward`` tells it, for ``backward`` to read."""

    def __init__(self, needs_input_grad: tuple = ()) -> None:
        self.to_save: tuple = ()
        self.saved_for_forward: tuple = ()
        self.dirty_tensors: tuple = ()
        self.non_differentiable: tuple = ()
        self.materialize_grads = True
        self.needs_input_grad = needs_input_grad

    def save_for_backward(self, *tensors: Any) -> None:
        self.to_save = tensors

    def save_for_forward(self, *tensors: Any) -> None:
        self.saved_for_forward = tensors

    def mark_dirty(self, *args: Any) -> None:
        self.dirty_tensors = args

    def mark_non_differentiable(self, *args: Any) -> None:
        self.non_differentiable = args

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = bool(value)

    @property
    def saved_tensors(self) -> tuple:
        return tuple(self.to_save)


class _Mode:
    # the custom Function classes differentiated as their forward's formula (None: none)
    forward_formula: frozenset | None = None


MODE = _Mode()


class _All(frozenset):
    def __contains__(self, item: object) -> bool:
        return True


_ALL = _All()


@contextlib.contextmanager
def forward_formula_gradients(classes: Any = None) -> Iterator[None]:
    """Within: reverse mode differentiates the custom Functions ``classes`` (default:
    all) through their forward's formula, not their user-written backward
    (``sg.check``'s third opinion)."""
    was = MODE.forward_formula
    MODE.forward_formula = _ALL if classes is None else frozenset(classes)
    try:
        yield
    finally:
        MODE.forward_formula = was
