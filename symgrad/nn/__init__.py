"""``sg.nn``: only ``functional`` (losses and activations)."""

from . import functional  # noqa: F401
