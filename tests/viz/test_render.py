"""Pictures render through Graphviz when it is here, and say what to install when not."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import symgrad as sg
from symgrad.viz import messages, render

needs_graphviz = pytest.mark.skipif(render.missing() is not None,
                                    reason=f"no Graphviz here: {render.missing()}")


def picture() -> sg.viz.Picture:
    a = sg.tensor([1., 2., 3.], requires_grad=True)
    out = a.sigmoid()
    c = out.detach()
    c.zero_()
    return sg.viz.graph(out.sum(), {"a": a, "out": out, "c": c})


@pytest.mark.parametrize("package, program, message", [
    (False, False, messages.NO_GRAPHVIZ_AT_ALL),
    (False, True, messages.NO_GRAPHVIZ_PACKAGE),
    (True, False, messages.NO_DOT_PROGRAM),
])
def test_missing_pieces_are_named_in_one_line(monkeypatch: pytest.MonkeyPatch, package: bool,
                                              program: bool, message: str) -> None:
    if not package:
        monkeypatch.setitem(sys.modules, "graphviz", None)  # import graphviz fails
    elif "graphviz" not in sys.modules:
        monkeypatch.setitem(sys.modules, "graphviz", type(sys)("graphviz"))
    monkeypatch.setattr(render.shutil, "which", lambda name: "/usr/bin/dot" if program else None)
    assert render.missing() == message
    assert "\n" not in message and "install" in message
    p = picture()
    with pytest.raises(RuntimeError, match="^rendering SVG/PNG needs"):
        p.svg()
    bundle = p._repr_mimebundle_()
    assert set(bundle) == {"text/plain"} and bundle["text/plain"].startswith("digraph")
    assert bundle["text/plain"].endswith("# " + message)


def test_dot_text_needs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    out = picture().save(tmp_path / "g.dot")
    assert out.read_text().startswith("digraph autograd {")
    assert str(picture()) == picture().source


def test_unknown_suffixes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"cannot save a picture as '\.jpg'"):
        picture().save(tmp_path / "g.jpg")


def test_the_repr_says_what_it_is() -> None:
    assert repr(picture()).startswith("<symgrad picture 'autograd graph of ")


@needs_graphviz
def test_svg_renders_with_the_stale_tensor_in_red(tmp_path: Path) -> None:
    svg = picture().svg()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "STALE: backward will raise" in svg and "#ff8a80" in svg
    assert "SigmoidBackward0" in svg
    assert picture()._repr_mimebundle_()["image/svg+xml"] == svg
    assert (tmp_path / "g.svg").exists() is False
    picture().save(tmp_path / "g.svg")
    assert "<svg" in (tmp_path / "g.svg").read_text()


@needs_graphviz
def test_png_renders(tmp_path: Path) -> None:
    data = picture().png()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    picture().save(tmp_path / "g.png")
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"


@needs_graphviz
def test_a_formula_renders() -> None:
    a = sg.symbol("a", (3,))
    assert "sigmoid" in sg.viz.formula(sg.diff(a.sigmoid().sum(), a)).svg()
