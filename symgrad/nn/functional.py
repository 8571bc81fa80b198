"""``sg.nn.functional``: activations and losses."""

from __future__ import annotations

from ..functions import relu, sigmoid, tanh  # noqa: F401
