"""Live comparison with PyTorch (skipped when torch is not installed).

The same random programs as the property tests (``tests.helpers.programs``,
here with shapes that may not broadcast and with in-place ops that make some
backward passes stale), and the per-op samples, run on symgrad and on torch:
values, gradients, reprs, ``grad_fn`` names and ``_version`` of every value,
and which programs raise (exception type, and PyTorch's message where symgrad
copies it).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given

import symgrad as sg

from ..helpers import Program, programs, run_program
from ..ops.samples import SAMPLES, Sample

torch = pytest.importorskip("torch")

# PyTorch messages symgrad copies word for word (after ``normalise``)
COPIED = ("The size of tensor a", "one of the variables needed", "Trying to backward",
          "a leaf Variable", "grad can be implicitly", "mat1 and mat2 shapes",
          "inconsistent tensor size", "size mismatch, got", "Expected size for first two")


def normalise(msg: str) -> str:
    """A message as compared: symgrad prints PyTorch 2.13's text (its culprit is a
    note on the exception, not part of ``str``)."""
    return msg


def outcome(lib: Any, p: Program) -> dict[str, Any]:
    """Run ``p`` forward and backward with ``lib``; what happened, as plain data."""
    leaves = [lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in p.leaves()]
    res: dict[str, Any] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            vals = run_program(p, lib, leaves, every=True)
        except Exception as e:  # noqa: BLE001 - the type is what we compare
            return {"raised": ("forward", type(e).__name__, str(e))}
        out = vals[-1]
        res["values"] = [np.asarray(v.detach().numpy()) for v in vals]
        res["reprs"] = [repr(v) for v in vals[len(leaves):]]
        res["names"] = [None if v.grad_fn is None else v.grad_fn.name() for v in vals]
        res["versions"] = [v._version for v in vals]
        w = lib.tensor(np.random.default_rng(p.seed + 1).uniform(-1, 1, tuple(out.shape)),
                       dtype=lib.float64)
        try:
            (out * w).sum().backward()
        except Exception as e:  # noqa: BLE001
            res["raised"] = ("backward", type(e).__name__, str(e))
            return res
        res["grads"] = [None if t.grad is None else t.grad.numpy() for t in leaves]
    return res


def compare(p: Program) -> None:
    mine, theirs = outcome(sg, p), outcome(torch, p)
    if "raised" in theirs or "raised" in mine:
        assert mine.get("raised", (None, None))[:2] == theirs.get("raised", (None, None))[:2], \
            (mine.get("raised"), theirs.get("raised"))
        msg = theirs["raised"][2]
        if msg.startswith(COPIED):
            assert normalise(mine["raised"][2]) == normalise(msg)
    for key in ("values", "grads"):
        for a, b in zip(mine.get(key, ()), theirs.get(key, ())):
            if b is None:
                assert a is None or not np.any(a)
            else:
                np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert mine.get("reprs") == theirs.get("reprs")
    assert mine.get("names") == theirs.get("names")
    assert mine.get("versions") == theirs.get("versions")


@given(programs(max_steps=5, broadcast_only=False, with_inplace=True))
def test_random_programs_behave_as_in_pytorch(p: Program) -> None:
    compare(p)


def test_stale_program_raises_like_pytorch() -> None:
    p = Program(shapes=((3,),), steps=(("exp", (0,)), ("sum", (1,))), seed=1, inplace=(0,))
    mine = outcome(sg, p)
    assert mine["raised"][:2] == ("backward", "RuntimeError")
    compare(p)


def test_size_mismatch_program_raises_like_pytorch() -> None:
    compare(Program(shapes=((2,), (3,)), steps=(("mul", (0, 1)),), seed=1))


def _sample_outcome(lib: Any, s: Sample) -> dict[str, Any]:
    ts = [lib.tensor(a) if a.dtype == np.bool_ else
          lib.tensor(a, dtype=lib.float64, requires_grad=True) for a in s.args]
    y = s.fn(lib, *ts)
    res: dict[str, Any] = {"value": y.detach().numpy().copy(), "repr": repr(y),
                           "name": None if y.grad_fn is None else y.grad_fn.name()}
    if y.requires_grad:
        w = lib.tensor(np.random.default_rng(0).uniform(-1, 1, tuple(y.shape)), dtype=lib.float64)
        (y * w).sum().backward()
        res["grads"] = [None if t.grad is None else t.grad.numpy() for t in ts]
    return res


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.id for s in SAMPLES])
def test_samples_match_pytorch(sample: Sample) -> None:
    mine, theirs = _sample_outcome(sg, sample), _sample_outcome(torch, sample)
    np.testing.assert_allclose(mine["value"], theirs["value"], rtol=1e-9, atol=1e-12)
    assert mine["repr"] == theirs["repr"]
    assert mine["name"] == theirs["name"]
    for a, b in zip(mine.get("grads", ()), theirs.get("grads", ())):
        if b is None:
            assert a is None or not np.any(a)
        else:
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
