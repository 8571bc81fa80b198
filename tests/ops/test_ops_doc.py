"""``docs/ops.md`` is generated from the op table and must be current."""

from __future__ import annotations

import pathlib

from symgrad.ops import OPS
from symgrad.ops.doc import render

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "ops.md"


def test_ops_page_is_current() -> None:
    assert PAGE.read_text() == render(), \
        "docs/ops.md is stale: run `python -m symgrad.ops.doc > docs/ops.md`"


def test_every_op_is_listed() -> None:
    text = render()
    for name in OPS:
        assert f"| `{name}` |" in text
