"""The README's Python example runs and prints what its comments say."""

from __future__ import annotations

import contextlib
import io
import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_prints_what_its_comments_say() -> None:
    text = README.read_text()
    block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    expected = [m.group(1).strip() for m in re.finditer(r"^print\(.*?\)\s+# (.*?)(?:\s{2,}\(|$)",
                                                          block, re.M)]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    assert out.getvalue().splitlines() == expected
    assert expected == ["tensor([  6.,  36., 114.])", "4*a**3 + 2*a"]
