"""symgrad's float32 numbers are PyTorch 2.13's CPU numbers (``golden.json``, recorded
by ``python -m tests.float32.record``): sums and means bit for bit in every loop of
PyTorch's cascade sum, the gradients that sum broadcast dims, ``sigmoid`` (SLEEF's
``expf``) and ``pow`` with the exponents PyTorch special-cases.

``exp``/``log``/``sin``/``cos``/``tanh`` come from Intel MKL's VML inside PyTorch:
with the ``mkl`` wheel installed (the ``test`` extra) symgrad calls the same library
and matches every bit; without it symgrad rounds the exact value, and these tests
pin how often that differs from MKL (NumPy's own float32 functions differ far more).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import symgrad
from symgrad.ops.torch_float import mkl

from .cases import MKL_OPS, cases, digest

GOLDEN = json.loads(Path(__file__).with_name("golden.json").read_text())["cases"]
CASES = cases()
EXACT = sorted(name for name in CASES if not name.startswith("mkl-"))

# how many of the 2000 MKL values symgrad's correctly rounded values miss, measured
# on the recorded inputs (NumPy's float32 functions miss 742, 145, 139, 251 and 557)
MKL_MISSES = {"exp": 22, "log": 89, "sin": 51, "cos": 122, "tanh": 1}


def _arrays(entry: list) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(entry[2]), dtype=entry[0])


def test_every_case_is_recorded() -> None:
    assert set(GOLDEN) == set(CASES)


@pytest.mark.parametrize("name", EXACT)
def test_bit_for_bit(name: str) -> None:
    got = digest(CASES[name](symgrad))
    want = GOLDEN[name]
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g[:2] == w[:2], f"{name}[{i}]: dtype/shape {g[:2]} != {w[:2]}"
        if g[2] != w[2]:
            a, b = _arrays(g), _arrays(w)
            same = a.tobytes() == b.tobytes() if a.dtype.kind != "f" else None
            if same is None:  # floats: the same bits, and any NaN for a NaN (payloads aside)
                ai, bi = a.view(f"u{a.itemsize}"), b.view(f"u{b.itemsize}")
                bad = np.flatnonzero((ai != bi) & ~(np.isnan(a) & np.isnan(b)))
            else:
                bad = np.flatnonzero(a != b)
            if not bad.size:
                continue
            pytest.fail(f"{name}[{i}]: {bad.size} of {a.size} differ, first at {bad[0]}: "
                        f"{a[bad[0]]!r} != PyTorch's {b[bad[0]]!r}")


@pytest.mark.parametrize("op", MKL_OPS)
def test_mkl_ops_are_correctly_rounded_and_near_pytorch(op: str) -> None:
    got = _arrays(digest(CASES["mkl-" + op](symgrad))[0])
    want = _arrays(GOLDEN["mkl-" + op][0])
    misses = np.flatnonzero(got.view(np.uint32) != want.view(np.uint32))
    assert misses.size == (0 if mkl.available() else MKL_MISSES[op])
    # where they differ, MKL is one float32 step away from the correctly rounded value
    ulps = np.abs(got.view(np.int32)[misses].astype(np.int64) - want.view(np.int32)[misses])
    assert (ulps == 1).all()
