"""Run one corpus snippet in-process and return what it printed, normalised.

A snippet is a plain PyTorch script. :func:`run_snippet` executes it with
``torch`` bound either to real PyTorch (to record) or to symgrad (to test):
its ``import torch`` / ``from torch import nn`` / ``import torch.nn.functional
as F`` resolve to ``symgrad``, ``symgrad.nn``... through an import alias that
lives only while the snippet runs. The output is everything printed, the
warnings raised (one line each, ``UserWarning: ...``) where they happened,
and, when the snippet raises, a last line ``ExceptionType: message``.
Only object addresses (``0x7f...``) and PyTorch's "(Triggered internally at
...)" source locations are normalised.

>>> out = run_snippet_source("import torch\\nprint(torch.tensor([1., 2.]) * 2)\\n", "symgrad")
>>> out
'tensor([2., 4.])\\n'
>>> run_snippet_source("import torch\\ntorch.ones(2).view(3)\\n", "symgrad").splitlines()[-1]
"RuntimeError: shape '[3]' is invalid for input of size 2"
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.abc
import importlib.util
import io
import re
import sys
import types
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNIPPETS = HERE / "snippets"
PENDING = HERE / "pending.txt"

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_TRIGGERED = re.compile(r" ?\(Triggered internally at [^)]*\.\)")


def normalise(text: str) -> str:
    """Object addresses become ``0x...``; PyTorch's C++ source locations are dropped.

    >>> normalise("<MulBackward0 object at 0x7f3a2c>")
    '<MulBackward0 object at 0x...>'
    """
    return _TRIGGERED.sub("", _ADDRESS.sub("0x...", text))


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``torch`` and ``torch.<x>`` resolve to ``symgrad`` and ``symgrad.<x>``."""

    def find_spec(self, fullname: str, path: object = None, target: object = None):
        if fullname == "torch" or fullname.startswith("torch."):
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def __init__(self) -> None:
        self._specs: dict[str, object] = {}

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = importlib.import_module("symgrad" + spec.name[len("torch"):])
        self._specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        # the import system has just set the alias's spec on the symgrad module: undo it
        module.__spec__ = self._specs.pop(module.__name__)


@contextlib.contextmanager
def _torch_is(lib: str):
    """While inside, ``import torch`` gives ``lib`` ("torch" or "symgrad")."""
    saved = {k: v for k, v in sys.modules.items() if k == "torch" or k.startswith("torch.")}
    if lib == "torch":
        yield
        return
    for k in saved:
        del sys.modules[k]
    finder = _Alias()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        for k in [k for k in sys.modules if k == "torch" or k.startswith("torch.")]:
            del sys.modules[k]
        sys.modules.update(saved)


def _reset(lib: str) -> None:
    """Global state a snippet may change: default dtype, grad mode, print options."""
    mod = importlib.import_module(lib)
    mod.set_default_dtype(mod.float32)
    mod.set_grad_enabled(True)
    mod.set_printoptions(profile="default")


def run_snippet_source(source: str, lib: str, filename: str = "<snippet>") -> str:
    """Run ``source`` with ``import torch`` bound to ``lib``; its normalised output."""
    buf = io.StringIO()

    def show(message, category, filename, lineno, file=None, line=None):  # noqa: ANN001
        if issubclass(category, UserWarning):  # what PyTorch says to users, not import noise
            buf.write(f"{category.__name__}: {message}\n")

    _reset(lib)
    with _torch_is(lib), contextlib.redirect_stdout(buf), warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        try:
            code = compile(source, filename, "exec")
            exec(code, {"__name__": "__main__", "__file__": filename})
        except Exception as exc:  # noqa: BLE001 - the exception is part of the output
            buf.write(f"{type(exc).__name__}: {exc}\n")
        finally:
            _reset(lib)
    return normalise(buf.getvalue())


def run_snippet(path: Path, lib: str) -> str:
    """Run the snippet file ``path`` with ``lib`` as ``torch``."""
    return run_snippet_source(path.read_text(), lib, str(path))


def snippet_paths() -> list[Path]:
    """Every snippet, sorted by name."""
    return sorted(SNIPPETS.glob("*.py"))


def pending() -> dict[str, str]:
    """``{snippet name: the missing feature}`` from ``pending.txt``."""
    out = {}
    if PENDING.exists():
        for line in PENDING.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                name, _, why = line.partition(" ")
                out[name] = why.strip()
    return out
