"""Generated files are current: the Tensor stub and the op pages."""

from __future__ import annotations

import ast
import pathlib

from symgrad.eager import stubs

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_tensor_stub_is_current() -> None:
    path = ROOT / "symgrad" / "eager" / "tensor.pyi"
    assert path.read_text() == stubs.render(), \
        "symgrad/eager/tensor.pyi is stale: run `python -m symgrad.eager.stubs > symgrad/eager/tensor.pyi`"


def test_tensor_stub_parses_and_names_every_method() -> None:
    import symgrad as sg
    tree = ast.parse(stubs.render())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Tensor")
    named = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    from symgrad.eager.methods import OPERATORS, method_names
    assert set(method_names()) <= named and set(OPERATORS) <= named
    assert {"backward", "detach", "grad", "expr", "grad_formula", "record"} <= named
    assert all(hasattr(sg.Tensor, n) for n in named)


def test_adding_an_op_page_is_current() -> None:
    from symgrad.ops.doc import render_adding
    assert (ROOT / "docs" / "adding-an-op.md").read_text() == render_adding(), \
        "docs/adding-an-op.md is stale: run `python -m symgrad.ops.doc adding > docs/adding-an-op.md`"
