"""Each corpus snippet, run under ``import symgrad as torch``, prints exactly what
PyTorch 2.13 printed (``snippets/<name>.out``, recorded by ``tests.corpus.record``).

Snippets listed in ``pending.txt`` wait for a feature another part of issue 12
brings; they are strict xfails, so landing the feature makes them fail until
their line is removed.
"""

from __future__ import annotations

import pytest

from .harness import pending, run_snippet, snippet_paths

PATHS = snippet_paths()
PENDING = pending()


def _param(path):  # noqa: ANN001, ANN202
    why = PENDING.get(path.stem)
    marks = [pytest.mark.xfail(strict=True, reason=f"pending: {why}")] if why else []
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [_param(p) for p in PATHS])
def test_snippet_prints_what_pytorch_printed(path) -> None:  # noqa: ANN001
    expected = path.with_suffix(".out").read_text()
    assert run_snippet(path, "symgrad") == expected


def test_corpus_is_large_and_recorded() -> None:
    assert len(PATHS) >= 100
    missing = [p.stem for p in PATHS if not p.with_suffix(".out").exists()]
    assert not missing, f"snippets without a recorded .out: {missing}"
    assert set(PENDING) <= {p.stem for p in PATHS}, "pending.txt names an unknown snippet"
    assert sum(1 for p in PATHS if p.stem not in PENDING) >= 100


def test_every_snippet_cites_its_source() -> None:
    for p in PATHS:
        head = p.read_text().splitlines()[:3]
        assert any(line.startswith("# Source:") for line in head), p.stem
