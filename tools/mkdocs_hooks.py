"""MkDocs hooks for symgrad's site (``hooks:`` in mkdocs.yml).

Two small fixes of how Markdown reads text that was written for doctest:

* docstrings hold bare ``>>>`` examples (they run as doctests), which
  Markdown would render as nested block quotes: a Markdown preprocessor
  wraps each run of them in a ``pycon`` code fence, in pages and in the
  docstrings mkdocstrings renders alike;
* ``x[i][j]`` outside code is indexing, not a reference link: page text
  gets ``][`` escaped outside code, so it neither renders as a broken link
  nor fails the strict build as a missing cross-reference.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension
from markdown.preprocessors import Preprocessor

_FENCE = re.compile(r"^\s*(```|~~~)")


class DoctestFences(Preprocessor):
    """Wrap runs of ``>>>`` lines (and their output, up to a blank line) in a fence."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fenced = False
        i = 0
        while i < len(lines):
            line = lines[i]
            if _FENCE.match(line):
                fenced = not fenced
            if fenced or not line.lstrip().startswith(">>>"):
                out.append(line)
                i += 1
                continue
            indent = line[:len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent):] if lines[i].startswith(indent)
                             else lines[i].lstrip())
                i += 1
            if out and out[-1].strip():
                out.append("")
            out += [indent + "```pycon"] + [indent + b for b in block] + [indent + "```", ""]
        return out


class DoctestFencesExtension(Extension):
    def extendMarkdown(self, md: Any) -> None:  # Markdown's name for it
        md.preprocessors.register(DoctestFences(md), "symgrad_doctest_fences", 40)


def on_config(config: Any) -> Any:
    """Add the fences to the Markdown every page and docstring is rendered with."""
    config.markdown_extensions.append(DoctestFencesExtension())
    return config


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def _escape_refs(text: str) -> str:
    parts = []
    last = 0
    for m in _CODE_SPAN.finditer(text):
        parts.append(text[last:m.start()].replace("][", "]\\["))
        parts.append(m.group(0))
        last = m.end()
    parts.append(text[last:].replace("][", "]\\["))
    return "".join(parts)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Escape ``][`` outside code, so ``x[i][j]`` reads as indexing."""
    out = []
    fenced = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and "][" in line and not line.lstrip().startswith(">>>"):
            line = _escape_refs(line)
        out.append(line)
    return "\n".join(out)
