"""``docs/cookbook.md`` (a doctest of its own) keeps at least twenty identities,
each checked by value; ``make_cookbook`` writes it from one table."""

from __future__ import annotations

import re
from pathlib import Path

from . import make_cookbook

PAGE = Path(__file__).resolve().parents[2] / "docs" / "cookbook.md"


def test_the_page_has_twenty_identities_each_checked_by_value() -> None:
    text = PAGE.read_text()
    titles = re.findall(r"^\d+\. ", text, flags=re.MULTILINE)
    assert len(titles) >= 20
    items = [item for _, items in make_cookbook.SECTIONS for item in items]
    assert len(items) == len(titles)
    checked = [lines for _, lines in items if any("agrees(" in ln or "allclose" in ln
                                                  for ln in lines)]
    assert len(checked) >= 20
    assert "\nFalse\n" not in text
