"""``torch.autograd.graph``: hooks on what the graph saves.

``saved_tensors_hooks(pack_hook, unpack_hook)``: inside it, every tensor an
op saves for backward goes through ``pack_hook`` and comes back through
``unpack_hook`` when backward needs it (then no version check is made:
the hooks own the value). ``save_on_cpu`` is PyTorch's ready-made pair
(on a CPU-only machine it keeps the tensors as they are).

>>> import symgrad as torch
>>> def pack(t):
...     print("pack", t)
...     return t * 1
>>> with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
...     a = torch.tensor([1., 2.], requires_grad=True)
...     y = a.exp()
pack tensor([2.7183, 7.3891], grad_fn=<ExpBackward0>)
>>> y.sum().backward(); a.grad
tensor([2.7183, 7.3891])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..tape.node import Node
from ..tape.saved import SAVED_HOOKS

__all__ = ["Node", "disable_saved_tensors_hooks", "save_on_cpu", "saved_tensors_hooks"]


class saved_tensors_hooks:
    """Context manager: ``pack_hook(tensor) -> anything`` at save time,
    ``unpack_hook(anything) -> tensor`` when backward unpacks it."""

    def __init__(self, pack_hook: Callable[[Any], Any], unpack_hook: Callable[[Any], Any]
                 ) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> None:
        SAVED_HOOKS.stack = SAVED_HOOKS.stack + [(self.pack_hook, self.unpack_hook)]

    def __exit__(self, *exc: object) -> None:
        SAVED_HOOKS.stack = SAVED_HOOKS.stack[:-1]


class save_on_cpu(saved_tensors_hooks):
    """Keep saved tensors on the CPU (where symgrad keeps everything)."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        super().__init__(lambda t: t, lambda t: t)


class disable_saved_tensors_hooks:
    """Context manager: no saved-tensor hooks inside (PyTorch raises if one is set;
    symgrad just suspends them)."""

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self) -> None:
        self._saved = SAVED_HOOKS.stack
        SAVED_HOOKS.stack = []

    def __exit__(self, *exc: object) -> None:
        SAVED_HOOKS.stack = self._saved
