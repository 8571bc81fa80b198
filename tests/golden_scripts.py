"""Run a recorded script (``tests/optim/golden/*.py``) with ``import torch`` meaning
symgrad, and return what it printed: the scripts' ``.out`` files hold PyTorch 2.13's
output for the same source."""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "optim" / "golden"


def run_script(name: str, monkeypatch: Any) -> str:
    """Standard output of ``golden/<name>`` with ``torch`` (and ``torch.utils.data``)
    resolved to symgrad's modules."""
    import symgrad
    from symgrad.utils import data
    monkeypatch.setitem(sys.modules, "torch", symgrad)
    monkeypatch.setitem(sys.modules, "torch.utils", symgrad.utils)
    monkeypatch.setitem(sys.modules, "torch.utils.data", data)
    return run_as_is(name)


def run_as_is(name: str) -> str:
    """Standard output of ``golden/<name>`` with whatever ``torch`` imports now."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile((GOLDEN / name).read_text(), name, "exec"), {"__name__": "__main__"})
    return out.getvalue()


def recorded(name: str) -> str:
    """PyTorch's output for ``golden/<name>`` (the ``.out`` beside it)."""
    return (GOLDEN / name).with_suffix(".out").read_text()
