"""symgrad's random values are PyTorch 2.13's, bit for bit (``golden.json``, recorded
from PyTorch by ``python -m tests.rng.record``), for many seeds, sizes around the
16-value switch of the normal sampler, both float dtypes, integer ranges on both
sides of the 64-bit switch, generators, the state bytes and ``nn`` initialisation.

``bernoulli_(p)`` with a float ``p`` is recorded on an AMD CPU: on Intel CPUs PyTorch
takes an MKL path instead, which symgrad does not model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import symgrad

from .cases import cases, digest

GOLDEN = json.loads(Path(__file__).with_name("golden.json").read_text())["cases"]
CASES = cases()


def test_every_case_is_recorded() -> None:
    assert set(GOLDEN) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_are_pytorchs(name: str) -> None:
    got = digest(CASES[name](symgrad))
    want = GOLDEN[name]
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert g[:2] == w[:2], f"{name}[{i}]: dtype/shape {g[:2]} != {w[:2]}"
        if g[2] != w[2]:
            a = np.frombuffer(bytes.fromhex(g[2]), dtype=g[0])
            b = np.frombuffer(bytes.fromhex(w[2]), dtype=w[0])
            bad = np.flatnonzero(a != b)
            pytest.fail(f"{name}[{i}]: {bad.size} values differ, first at {bad[0]}: "
                        f"{a[bad[0]]!r} != {b[bad[0]]!r}")


def test_the_state_loads_into_the_generator_it_describes() -> None:
    raw = bytes.fromhex(GOLDEN["state-42"][0][2])  # PyTorch's bytes after some draws
    symgrad.manual_seed(42)
    symgrad.randn(3)
    symgrad.rand(700)
    symgrad.randn(1, dtype=symgrad.float64)
    expected = symgrad.randn(20)
    symgrad.set_rng_state(symgrad.from_numpy(np.frombuffer(raw, np.uint8).copy()))
    assert symgrad.equal(symgrad.randn(20), expected)


def test_live_against_torch() -> None:
    torch = pytest.importorskip("torch")
    for name in ("seq-0-float32", "rand-1-float64", "ints-42", "linear-0"):
        assert digest(CASES[name](symgrad)) == digest(CASES[name](torch)), name
