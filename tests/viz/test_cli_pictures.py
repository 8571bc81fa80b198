"""``symgrad graph``, ``symgrad run --graph`` and ``symgrad plot`` on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from symgrad.viz import render
from symgrad_cli.main import cli
from tests.viz.dot_text import find, grad_fn_names, nodes

SEED = Path(__file__).resolve().parents[1] / "seed" / "programs"
DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=True)


def one_line_error(result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_graph_prints_dot_text() -> None:
    r = invoke("graph", "sum(sigmoid(a) * a)", "--at", "a=1,2,3")
    assert r.exit_code == 0, r.output
    assert grad_fn_names(r.stdout) == ["SumBackward0", "MulBackward0", "SigmoidBackward0",
                                       "AccumulateGrad"]
    assert "a\n(3) float32" in [label for label, _ in nodes(r.stdout).values()]


def test_graph_without_values_draws_the_formula() -> None:
    r = invoke("graph", "sum(sigmoid(a) * a)")
    assert r.exit_code == 0, r.output
    assert "sigmoid" in [label for label, _ in nodes(r.stdout).values()]


def test_graph_of_a_gradient_shares_its_parts() -> None:
    r = invoke("graph", "sum(exp(a) * exp(a))", "--what", "gradient", "--wrt", "a")
    assert r.exit_code == 0, r.output
    assert [label for label, _ in nodes(r.stdout).values()].count("exp") == 1


def test_graph_writes_a_dot_file(tmp_path: Path) -> None:
    out = tmp_path / "g.dot"
    r = invoke("graph", "sum(a * a)", "--at", "a=1,2", "-o", str(out))
    assert r.exit_code == 0 and r.stderr == f"wrote {out}\n"
    assert out.read_text().startswith("digraph autograd")


def test_graph_without_graphviz_says_what_to_install(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    line = one_line_error(invoke("graph", "sum(a * a)", "-o", str(tmp_path / "g.svg")), 1)
    assert "needs Graphviz" in line and "apt-get install graphviz" in line
    assert not (tmp_path / "g.svg").exists()


@pytest.mark.parametrize("args, match", [
    (("graph", "sum(sine(a))"), "unknown function 'sine'"),
    (("graph", "sum(a)", "-o", "g.jpg"), "cannot save a picture as '.jpg'"),
    (("graph", "sum(a)", "--what", "nope"), "Invalid value for '--what'"),
    (("graph", "x = a\nfor i in range(700):\n    x = exp(x) + x\nsum(x)", "--what", "formula"),
     "more than max_nodes=1000"),
])
def test_graph_bad_input_is_one_line(args: tuple[str, ...], match: str, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert match in one_line_error(invoke(*args), 2)


def test_run_graph_draws_ex3_as_backward_saw_it(tmp_path: Path) -> None:
    out = tmp_path / "ex3.dot"
    r = invoke("run", "--graph", str(out), str(SEED / "ex3.py"))
    assert r.exit_code == 1 and "RuntimeError: one of the variables" in r.stderr
    src = out.read_text()
    assert "STALE" in nodes(src)[find(src, "result = out")][0]
    assert "c: shares out's version counter" in src
    assert "c.zero_() at ex3.py:5" in src


def test_run_graph_draws_ex4_with_the_data_alias(tmp_path: Path) -> None:
    out = tmp_path / "ex4.dot"
    r = invoke("run", "--graph", str(out), str(SEED / "ex4.py"))
    assert r.exit_code == 0 and r.stdout.startswith("tensor([0., 0., 0.])")
    src = out.read_text()
    assert "no version bump" in nodes(src)[find(src, "result = out")][0]
    assert "c: .data alias" in src


@pytest.mark.parametrize("example", ["ex3", "ex4"])
def test_the_docs_pictures_are_current(example: str, tmp_path: Path) -> None:
    """docs/images/exN.dot is what `symgrad run --graph` draws for the seed program
    (regenerate: symgrad run --graph docs/images/exN.svg tests/seed/programs/exN.py,
    and the same with .dot)."""
    out = tmp_path / f"{example}.dot"
    invoke("run", "--graph", str(out), str(SEED / f"{example}.py"))
    assert (DOCS_IMAGES / f"{example}.dot").read_text() == out.read_text()
    assert (DOCS_IMAGES / f"{example}.svg").read_text().count("<svg") == 1


def test_run_graph_without_backward_says_so(tmp_path: Path) -> None:
    snippet = tmp_path / "s.py"
    snippet.write_text("import torch\nx = torch.tensor([1.])\nprint(x)\n")
    line = one_line_error(invoke("run", "--graph", str(tmp_path / "g.dot"), str(snippet)), 1)
    assert "made none" in line


def test_plot_writes_the_picture(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "p.png"
    r = invoke("plot", "sigmoid(x)", "--wrt", "x", "--range", "-6,6", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_plot_without_matplotlib_says_how_to_install(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    line = one_line_error(invoke("plot", "sigmoid(x)", "-o", str(tmp_path / "p.png")), 1)
    assert line == 'error: plotting needs matplotlib: pip install matplotlib (or pip install ' \
                   '-e ".[plot]")'


@pytest.mark.parametrize("args, match", [
    (("plot", "sigmoid(x) * y", "--wrt", "x"), "also depends on y"),
    (("plot", "sigmoid(x)", "--range", "6,-6"), "LO < HI"),
    (("plot", "sigmoid(x)", "--range", "a,b"), "is not LO,HI"),
    (("plot", "sigmoid(x)", "--wrt", "z"), "--wrt z"),
])
def test_plot_bad_input_is_one_line(args: tuple[str, ...], match: str) -> None:
    assert match in one_line_error(invoke(*args), 2)
