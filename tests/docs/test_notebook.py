"""docs/notebook.ipynb runs headless, and shows what a notebook should show."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from symgrad.viz import render

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs" / "notebook.ipynb"
MISSING = [m for m in ("nbclient", "nbformat", "ipykernel") if importlib.util.find_spec(m) is None]


@pytest.fixture(scope="module")
def outputs() -> list[dict]:
    if MISSING:
        pytest.skip(f"running notebooks needs {', '.join(MISSING)}: pip install -e \".[test]\"")
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    cells = [c for c in nb.cells if c.cell_type == "code"]
    for c in cells:
        assert not [o for o in c.outputs if o.output_type == "error"], c.source
    return [c.outputs[-1].get("data", {}) if c.outputs else {} for c in cells]


def test_the_gradient_prints_as_pytorch_prints_it(outputs: list[dict]) -> None:
    assert outputs[0]["text/plain"] == "tensor([  6.,  36., 114.])"


def test_formulas_are_typeset_by_symgrads_printer(outputs: list[dict]) -> None:
    assert outputs[1]["text/latex"] == "$\\displaystyle 4 a^{3} + 2 a$"
    import symgrad as sg
    from symgrad.display import formula_latex
    W, x = sg.symbol("W", (2, 3)), sg.symbol("x", (3,))
    assert outputs[3]["text/latex"] == formula_latex(sg.diff((W @ x).sigmoid().sum(), W))


def test_tensors_show_value_and_formula(outputs: list[dict]) -> None:
    assert outputs[2]["text/html"] == ("<div><pre>tensor([1., 4., 9.], grad_fn=&lt;MulBackward0"
                                       "&gt;)</pre>formula: $a^{2}$</div>")


def test_graphs_are_pictures(outputs: list[dict]) -> None:
    for data in outputs[4:6]:
        if render.missing() is None:
            assert "<svg" in data["image/svg+xml"]
        else:
            assert data["text/plain"].startswith("digraph autograd")
    shown = outputs[4].get("image/svg+xml", outputs[4]["text/plain"])
    assert "STALE: backward will raise" in shown
    shown = outputs[5].get("image/svg+xml", outputs[5]["text/plain"])
    assert ".data alias" in shown


def test_the_check_report_is_a_table(outputs: list[dict]) -> None:
    assert "<table>" in outputs[6]["text/html"] and "data-mutation" in outputs[6]["text/html"]


def test_the_step_scan_finds_a_sensible_step(outputs: list[dict]) -> None:
    assert 1e-9 < float(outputs[7]["text/plain"]) < 1e-2
