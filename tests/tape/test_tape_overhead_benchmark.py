"""The overhead benchmark's arms compute the same thing (no timing assertions)."""

from __future__ import annotations

import importlib.util
import pathlib

import numpy as np

import symgrad as sg

_PATH = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "tape_overhead.py"
_spec = importlib.util.spec_from_file_location("tape_overhead", _PATH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)  # type: ignore[union-attr]


def test_chain_gradient_matches_the_minimal_tape() -> None:
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-1, 1, 3)
    w, b = rng.uniform(0.5, 1.0, 3), rng.uniform(-0.5, 0.5, 3)
    x = sg.tensor(x0, requires_grad=True)
    bench.chain(sg, x, sg.tensor(w), sg.tensor(b), 12).sum().backward()
    leaf = bench._MiniTape(x0)
    y = bench.chain(None, leaf, w, b, 12)
    bench._MiniTape(np.sum(y.data), (y,), lambda g: (np.ones_like(y.data) * g,)).backward()
    np.testing.assert_allclose(x.grad.numpy(), leaf.grad, rtol=1e-12)


def test_every_arm_runs() -> None:
    bench.run_tape(sg, 3, 8)()
    bench.run_numpy(5, 8)()
    bench.run_minitape(3, 8)()
