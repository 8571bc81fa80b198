"""Whole training loops print PyTorch's numbers: every ``loss.item()`` of every step and
the final parameters, bit for bit, against traces recorded from PyTorch 2.13
(``golden_training.json``, ``python -m tests.nn.record_training``).

PyTorch's float32 matrix products and ``exp``/``log``/``sqrt``... come from Intel MKL;
symgrad calls the same library where the ``mkl`` wheel is installed (the ``test``
extra), so without it these tests skip. The traces were recorded with PyTorch's
default thread count on a two-core machine; symgrad's MKL products are split over
the same number of threads here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import symgrad
from symgrad.ops.torch_float import mkl

from .training_cases import CASES, digest

GOLDEN = json.loads(Path(__file__).with_name("golden_training.json").read_text())
pytestmark = pytest.mark.skipif(not mkl.available(), reason=f"MKL: {mkl.status()}")


@pytest.fixture(autouse=True)
def _recorded_threads():
    before = mkl.get_num_threads()
    mkl.set_num_threads(GOLDEN["threads"])
    yield
    mkl.set_num_threads(before)


@pytest.mark.parametrize("name", sorted(CASES))
def test_training_loop_prints_pytorchs_losses(name: str) -> None:
    got, want = digest(CASES[name](symgrad)), GOLDEN["cases"][name]
    for step, (g, w) in enumerate(zip(got["losses"], want["losses"])):
        assert g == w, f"{name}: step {step} loss {g!r}, PyTorch {w!r}"
    assert len(got["losses"]) == len(want["losses"])
    for param, hexbits in want["params"].items():
        assert got["params"][param] == hexbits, f"{name}: final {param} differs"


def test_the_traces_can_tell_numpy_from_mkl() -> None:
    # the test can fail: NumPy's own float32 matmul changes the first loss of the
    # manual two-layer net, whose 64x100 @ 100x50 product MKL and OpenBLAS round apart
    rng = np.random.default_rng(0)
    a = rng.standard_normal((64, 100)).astype(np.float32)
    b = rng.standard_normal((100, 50)).astype(np.float32)
    assert not np.array_equal(np.matmul(a, b), mkl.gemm(a, b))
