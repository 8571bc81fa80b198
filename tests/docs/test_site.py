"""The site's configuration: every page in the nav and every nav entry a page; the hooks.

The strict build itself (`python -m mkdocs build --strict`) runs in CI
(`.ci/run`), after the tests.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NAV_ENTRY = re.compile(r"^\s+- (?:[^:]+: )?([\w./-]+\.md)\s*$", re.M)


def nav() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text()
    return NAV_ENTRY.findall(text[text.index("\nnav:"):])


def test_every_page_is_in_the_nav() -> None:
    pages = sorted(p.name for p in (ROOT / "docs").glob("*.md"))
    assert sorted(set(pages) - set(nav())) == []


def test_every_nav_entry_is_a_page() -> None:
    missing = [p for p in nav() if not (ROOT / "docs" / p).exists()]
    assert missing == [], f"mkdocs.yml names pages that do not exist (the strict build fails): " \
                          f"{missing}"


def test_the_nav_has_the_pages_the_site_promises() -> None:
    assert {"index.md", "tutorial.md", "pytorch.md", "symbolic.md", "kernels.md", "check.md",
            "cli.md", "architecture.md", "benchmarks.md", "api.md", "pictures.md"} <= set(nav())


@pytest.fixture(scope="module")
def hooks():
    pytest.importorskip("markdown",
                        reason="the site's hooks need Markdown (pip install -e \".[docs]\")")
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import mkdocs_hooks
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return mkdocs_hooks


def test_bare_doctests_become_code_blocks(hooks) -> None:
    import markdown
    md = markdown.Markdown(extensions=[hooks.DoctestFencesExtension(), "fenced_code"])
    html = md.convert("Text.\n\n>>> 1 + 1\n2\n\nMore text.")
    assert "<blockquote>" not in html and "<code" in html and "&gt;&gt;&gt; 1 + 1\n2" in html


def test_fenced_doctests_are_left_alone(hooks) -> None:
    lines = ["```python", ">>> 1", "1", "```"]
    assert hooks.DoctestFences(None).run(list(lines)) == lines


def test_indexing_is_not_a_reference_link(hooks) -> None:
    text = "out[i][j] = x[i][index[i][j]] and `a[0][1]`\n```\nb[0][1]\n```"
    assert hooks.on_page_markdown(text) == \
        "out[i]\\[j] = x[i]\\[index[i]\\[j]] and `a[0][1]`\n```\nb[0][1]\n```"


# Blocks that are not `>>>` doctests nor `$ symgrad` sessions, each with why it does not run
# here (or where it is checked instead). A new one fails the test below until it runs or is
# listed with its reason.
NOT_RUN = {
    ("adding-an-op.md", 'defop("asinh"'): "an example entry for an op that is not in the table",
    ("adding-an-op.md", "python -m symgrad.ops.doc"): "tests/test_generated.py checks the outputs",
    ("architecture.md", "user code / docs"): "a diagram",
    ("architecture.md", "symgrad/  __init__.py"): "a file map",
    ("benchmarks.md", "python benchmarks/run.py"): "benchmarks take minutes; rerun by hand",
    ("cli.md", "ex3.py, line 6:"): "output only; tutorial.md's session runs the same command",
    ("index.md", 'pip install -e ".[test]"'): "the README's commands, which CI runs "
                                              "(test_getting_started_is_the_readme)",
}
_BLOCK = re.compile(r"^```([\w-]*)\n(.*?)^```", re.M | re.S)


def test_every_block_runs_or_is_accounted_for() -> None:
    unaccounted = []
    for page in sorted((ROOT / "docs").glob("*.md")):
        for _, body in _BLOCK.findall(page.read_text(encoding="utf-8")):
            first = body.strip().splitlines()[0] if body.strip() else ""
            if first.startswith((">>>", "$ ")):
                continue
            if not any(page.name == p and first.startswith(f) for p, f in NOT_RUN):
                unaccounted.append(f"{page.name}: {first[:60]}")
    assert unaccounted == []


def test_getting_started_is_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = re.search(r"```bash\n(.*?)```", readme, re.S).group(1).splitlines()[:2]
    index = (ROOT / "docs" / "index.md").read_text()
    shown = re.search(r"```text\n(.*?)```", index, re.S).group(1).splitlines()
    assert [c.split("#")[0].strip() for c in commands] == \
        [c.split("#")[0].strip() for c in shown]
