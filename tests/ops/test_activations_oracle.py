"""PyTorch itself, when installed, against symgrad's activation and robust-loss kernels:
every bit of the forward and of the input's gradient, on random float32 inputs of
every length from 1 to 70 and 1000 (each length puts a different number of elements
through PyTorch's vector and scalar code) and on special values (infinities, NaN, the
thresholds). Skipped without torch; the recorded bits in ``golden/activations.json``
(``test_activations.py``) run everywhere.

Re-record the golden file with ``python -m tests.ops.test_activations_oracle``.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import symgrad

from .activation_cases import CASES, SIZES, bits, inputs, run

GOLDEN = Path(__file__).with_name("golden") / "activations.json"
LENGTHS = list(range(1, 71)) + [1000]


def _agree(case: str, data: dict[str, np.ndarray], torch) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = run(torch, case, data)
        got = run(symgrad, case, data)
    for what, g, w in zip(("forward", "gradient"), got, want):
        assert bits(g) == bits(w), (
            f"{case} {what}, n={data['x'].size}: differs at "
            f"{[i for i, (a, b) in enumerate(zip(bits(g), bits(w))) if a != b][:8]}")


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_length_matches_pytorch(case: str) -> None:
    torch = pytest.importorskip("torch")
    for n in LENGTHS:
        _agree(case, inputs(n, seed=n), torch)


@pytest.mark.parametrize("case", sorted(CASES))
def test_special_values_match_pytorch(case: str) -> None:
    torch = pytest.importorskip("torch")
    _agree(case, inputs(0, seed=99), torch)


def record() -> dict:
    """PyTorch's bits for every case and size of :data:`SIZES` (needs torch)."""
    import torch
    out: dict = {"torch": torch.__version__, "cases": {}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for size, (n, seed) in SIZES.items():
            data = inputs(n, seed)
            for case in CASES:
                fwd, grad = run(torch, case, data)
                out["cases"][f"{case}/{size}"] = {"forward": " ".join(bits(fwd)),
                                                  "gradient": " ".join(bits(grad))}
    return out


if __name__ == "__main__":
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(record(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {GOLDEN}")
