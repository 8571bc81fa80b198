"""Fixtures for the CLI tests: a clean temp cwd and side-effect guards."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cli_helpers import LAZY_OK, SEED, invoke  # noqa: E402


@pytest.fixture
def clean_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temp cwd; after the test, it must still be empty and no new non-lazy module
    may have been imported."""
    monkeypatch.chdir(tmp_path)
    before = set(sys.modules)
    yield tmp_path
    assert os.listdir(tmp_path) == [], "a file was created"
    new = {m for m in set(sys.modules) - before if not m.startswith(LAZY_OK)}
    assert not new, f"new modules imported: {sorted(new)}"


@pytest.fixture(scope="session", autouse=True)
def _warm_up() -> None:
    """Import what the CLI lazily imports, so the module check sees only surprises."""
    invoke("run", str(SEED / "ex2.py"))
    invoke("diff", "sum(a*a)", "--wrt", "a")
    invoke("diff", "sum(a*a)", "--shape", "a=3", "--at", "a=1,2,3", "--check")
    invoke("diff", "sum(a*a)", "--format", "numpy")
    invoke("diff", "sum(a*a)", "--format", "pretty")
    invoke("diff", "sum(a*a)", "--format", "latex")
    invoke("run", "-", input="import torch\nwith torch.no_grad():\n    x = 1\n")
