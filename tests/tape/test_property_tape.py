"""Property: on random compositions of the ops (broadcastable shapes), the tape
gradient equals float64 central finite differences.

Programs come from :func:`tests.helpers.programs`, over the samples of
``tests/ops/samples.py`` that take any shape; each op's inputs are mapped into
its domain (log/sqrt/... get positive values), and programs whose values come
within 1e-3 of a kink (each sample's ``kink_margin``: relu/abs at 0, clamp
bounds, ties of max/maximum/where) are rejected.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given

import symgrad as sg

from ..helpers import Program, central_diff, kink_margin, programs, run_program

H = 1e-6


def tape_and_fd(p: Program) -> tuple[list[np.ndarray], list[np.ndarray]] | None:
    """Tape gradients of <program(leaves), W> and their central differences
    (``None`` if the program's shapes stop broadcasting)."""
    leaves = p.leaves()
    xs = [sg.tensor(a, dtype=sg.float64, requires_grad=True) for a in leaves]
    try:
        y = run_program(p, sg, xs)
    except RuntimeError as exc:  # shapes that stopped broadcasting after a reduction
        assert "must match the size" in str(exc) or "cannot be multiplied" in str(exc) \
            or "inconsistent tensor size" in str(exc) or "size mismatch" in str(exc) \
            or "Expected size" in str(exc), str(exc)
        return None
    w = np.random.default_rng(p.seed + 1).uniform(-1, 1, tuple(y.shape))
    loss = (y * sg.tensor(w)).sum()
    grads = sg.autograd.grad(loss, xs, allow_unused=True)

    def f(arrays: list[np.ndarray]) -> float:
        with sg.no_grad():
            out = run_program(p, sg, [sg.tensor(a) for a in arrays])
        return float(np.sum(out.numpy() * w))

    tape = [np.zeros(a.shape) if g is None else g.numpy() for a, g in zip(leaves, grads)]
    fd = [central_diff(f, [a.copy() for a in leaves], i, H) for i in range(len(leaves))]
    return tape, fd


@given(programs(max_steps=5))
def test_tape_gradient_matches_central_differences(p: Program) -> None:
    assume(kink_margin(p, p.leaves()) > 1e-3)
    result = tape_and_fd(p)
    assume(result is not None)
    tape, fd = result
    for i, (g, d) in enumerate(zip(tape, fd)):
        np.testing.assert_allclose(g, d, rtol=1e-5, atol=1e-5, err_msg=f"leaf {i} of {p!r}")


# small cases kept from shrunk failures and hand-picked compositions
def test_broadcast_chain_example() -> None:
    p = Program(shapes=((2, 3), (3,), (2, 1)),
                steps=(("mul", (0, 1)), ("div", (3, 2)), ("sigmoid", (4,)), ("maximum", (5, 1)),
                       ("sum-dim0", (6,))), seed=7)
    assert kink_margin(p, p.leaves()) > 1e-3
    tape, fd = tape_and_fd(p)
    for g, d in zip(tape, fd):
        np.testing.assert_allclose(g, d, rtol=1e-5, atol=1e-5)


def test_matmul_and_reductions_example() -> None:
    p = Program(shapes=((3, 2), (3,)), steps=(("matmul-self", (0,)), ("log", (2,)),
                                              ("max_dim-dim0", (3,)), ("mul", (4, 1)),
                                              ("prod", (5,))), seed=3)
    assert kink_margin(p, p.leaves()) > 1e-3
    tape, fd = tape_and_fd(p)
    for g, d in zip(tape, fd):
        np.testing.assert_allclose(g, d, rtol=1e-5, atol=1e-5)
