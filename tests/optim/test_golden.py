"""The optimizers' updates are PyTorch 2.13's (``golden.json``, recorded from PyTorch by
``python -m tests.optim.record``): SGD bit for bit in every variant; Adam, AdamW and
RMSprop bit for bit too where MKL is installed (PyTorch's ``sqrt`` is MKL's vector
math, not correctly rounded), and within a few units in the last place without it;
their other steps (``lerp``, ``addcmul``, ``addcdiv``, the bias corrections) are
modelled exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import symgrad
from symgrad.ops.torch_float import mkl

from .cases import cases

GOLDEN = json.loads(Path(__file__).with_name("golden.json").read_text())["cases"]
CASES = cases()


def _arrays(name: str) -> list[np.ndarray]:
    return [np.frombuffer(bytes.fromhex(h), dtype=d).reshape(s) for d, s, h in GOLDEN[name]]


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.startswith("sgd")))
def test_sgd_is_bit_exact(name: str) -> None:
    for step, (got, want) in enumerate(zip(CASES[name](symgrad), _arrays(name))):
        assert np.array_equal(got, want), f"{name}: step {step} differs"


@pytest.mark.parametrize("name", sorted(n for n in CASES if not n.startswith("sgd")))
def test_adaptive_optimizers_within_sqrts_rounding(name: str) -> None:
    rtol = 2e-6 if name.endswith("float32") else 1e-14
    for step, (got, want) in enumerate(zip(CASES[name](symgrad), _arrays(name))):
        if mkl.available():
            assert np.array_equal(got, want), f"{name}: step {step} differs"
        else:
            np.testing.assert_allclose(got, want, rtol=rtol, atol=0,
                                       err_msg=f"{name} step {step}")


def test_live_against_torch() -> None:
    torch = pytest.importorskip("torch")
    for name in ("sgd-nesterov-wd-float32", "sgd-dampening-max-float64"):
        for a, b in zip(CASES[name](symgrad), CASES[name](torch)):
            assert np.array_equal(a, b), name
