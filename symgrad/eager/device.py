"""``torch.device`` and ``torch.cuda`` on a CPU-only build, with PyTorch's errors.

symgrad computes on the CPU only, so every tensor's ``.device`` is
``device(type='cpu')``. Asking for CUDA raises what a CPU-only PyTorch raises;
a misspelled device string raises PyTorch's parse error.

>>> device("cpu")
device(type='cpu')
>>> str(device("cuda", 0)), device("cpu") == "cpu"
('cuda:0', True)
>>> check_device("cuda")
Traceback (most recent call last):
AssertionError: Torch not compiled with CUDA enabled
"""

from __future__ import annotations

import re
from typing import Any

from .. import errors

DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
                "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                "privateuseone")
"""PyTorch 2.13's device types, in the order its parse error lists them."""

_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::(\d+))?")


class device:  # noqa: N801  (PyTorch's name)
    """``torch.device(type, index=None)`` or ``torch.device("type:index")``."""

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            raise RuntimeError(errors.NO_ACCELERATOR)
        elif not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({_type_name(type)}), but expected one of:\n"
                            " * (torch.device device)\n * (str type, int index = -1)\n")
        else:
            type, parsed = _parse(type)
            if parsed is not None:
                if index is not None:
                    raise RuntimeError(f"type (string) must not include an index because index "
                                       f"was passed explicitly: {type}:{parsed}")
                index = parsed
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self.type: str = type
        self.index: int | None = index

    def __repr__(self) -> str:
        idx = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{idx})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __reduce__(self) -> tuple:
        return (device, (self.type, self.index))


def _type_name(x: Any) -> str:
    return type(x).__name__


def _parse(text: str) -> tuple[str, int | None]:
    m = _DEVICE_STRING.fullmatch(text)
    name = text.split(":", 1)[0]
    if name not in DEVICE_TYPES:
        raise RuntimeError(f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of "
                           f"device string: {text}")
    if m is None:
        raise RuntimeError(f"Invalid device string: '{text}'")
    return name, None if m[2] is None else int(m[2])


CPU = device("cpu")


def as_device(d: Any) -> device:
    """A :class:`device` for ``d`` (a device, a string, or an int meaning an accelerator)."""
    return d if isinstance(d, device) else device(d)


def check_device(d: Any) -> device:
    """``d`` if it is the CPU; otherwise the error a CPU-only PyTorch raises for it.

    >>> check_device(None), check_device("cpu:0")
    (device(type='cpu'), device(type='cpu', index=0))
    """
    if d is None:
        return CPU
    dev = as_device(d)
    if dev.type == "cpu":
        return dev
    if dev.type == "cuda":
        raise AssertionError(errors.NO_CUDA)
    if dev.type == "meta":
        raise NotImplementedError("symgrad computes on the CPU only; device='meta' is not "
                                  "modelled")
    raise RuntimeError(errors.not_linked(dev.type))


class cuda:  # noqa: N801  (PyTorch's module name: torch.cuda)
    """``torch.cuda`` on a CPU-only build: nothing is available.

    >>> cuda.is_available(), cuda.device_count()
    (False, 0)
    """

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 0

    @staticmethod
    def is_initialized() -> bool:
        return False

    @staticmethod
    def manual_seed(seed: int) -> None:
        """Silently ignored, as PyTorch does without CUDA."""

    manual_seed_all = manual_seed

    @staticmethod
    def current_device() -> int:
        raise AssertionError(errors.NO_CUDA)

    @staticmethod
    def synchronize(device: Any = None) -> None:
        raise AssertionError(errors.NO_CUDA)
