"""The Python API never turns text into code: no ``str`` reaches ``sympify`` or a
kernel's source (HARDENING C1, C2)."""

from __future__ import annotations

import os

import numpy as np
import pytest
import sympy

import symgrad as sg
from symgrad.symbolic.evaluate import evaluate
from symgrad.symbolic.reverse import vjp
from symgrad.symbolic.symbols import TensorSymbol, dims

PAYLOAD = "__import__('pathlib').Path('PWNED').touch()"


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert os.listdir(tmp_path) == [], "a file was created"


@pytest.mark.parametrize("formula", [PAYLOAD, [PAYLOAD], (PAYLOAD, PAYLOAD), b"1", object()])
def test_lambdify_refuses_text_and_other_objects(in_tmp, formula) -> None:  # C1
    with pytest.raises(TypeError, match="lambdify: expected a symgrad Tensor, a SymPy"):
        sg.lambdify(formula, ["a"])


def test_lambdify_still_takes_numbers_tensors_and_sympy() -> None:
    a = sg.symbol("a", (3,))
    assert sg.lambdify(2.5, [a])(np.ones(3)) == 2.5
    np.testing.assert_allclose(sg.lambdify(a * 2, [a])(np.ones(3)), [2.0, 2.0, 2.0])
    x = sympy.Symbol("x")
    assert sg.lambdify(x + 1, [x])(1.0) == 2.0


@pytest.mark.parametrize("bad", ["3", PAYLOAD + " or 3", 3.5, -1, 10**30, True, None.__class__])
def test_symbol_dims_must_be_ints_or_none(in_tmp, bad) -> None:  # C2
    with pytest.raises((TypeError, ValueError), match="shape must be a tuple of non-negative"):
        sg.symbol("a", (None, bad))
    with pytest.raises((TypeError, ValueError), match="shape must be a tuple of non-negative"):
        TensorSymbol("a", (None, bad))


def test_c2_repro_writes_nothing_and_runs(in_tmp) -> None:
    a = sg.symbol("a", (None, np.int64(3)))
    b = sg.symbol("b", ())
    k = sg.lambdify(sg.diff((a + b).sum(), b), [a, b])
    assert "np.int64" not in k.source  # dims print as plain ints
    assert k(np.ones((2, 3)), 2.0) == 6


def test_dims_normalises_numpy_ints() -> None:
    assert dims((np.int32(2), None)) == (2, None)
    assert type(dims((np.int32(2),))[0]) is int


def test_evaluate_and_vjp_refuse_text(in_tmp) -> None:
    with pytest.raises(sympy.SympifyError):
        evaluate(PAYLOAD, {})
    a = TensorSymbol("a", (3,))
    with pytest.raises(sympy.SympifyError):
        vjp(a * 2, [a], PAYLOAD)
