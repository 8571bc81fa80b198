"""Hypothesis: random (batched) matrix programs pass ``sg.check`` (tape = formula
kernel = central differences) and forward mode agrees with reverse mode."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import symgrad as sg

PROGRAMS = (
    lambda T, A, B: T.logdet(A).sum() + T.trace(T.inverse(A).reshape(-1, A.shape[-1])[:A.shape[-1]]),
    lambda T, A, B: (T.linalg.solve(A, B) ** 2).sum() + T.det(A).sum(),
    lambda T, A, B: T.linalg.vector_norm(T.inverse(A) @ B, 3, dim=-1).sum(),
    lambda T, A, B: T.slogdet(A @ A.mT + B @ B.mT).logabsdet.sum(),
    lambda T, A, B: (T.diagonal(A, 0, -2, -1) * T.diagonal(B @ B.mT, 0, -2, -1)).sum()
    + T.diag_embed(T.diagonal(A, 0, -2, -1)).sum(),
    lambda T, A, B: T.linalg.matrix_norm(A - B, "fro").sum() + (A * B).sum(),
)


@given(n=st.integers(1, 4), batch=st.sampled_from([(), (2,)]), seed=st.integers(0, 2**31),
       which=st.integers(0, len(PROGRAMS) - 1))
def test_random_matrix_programs_pass_the_check(n: int, batch: tuple, seed: int,
                                               which: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=batch + (n, n)) * 0.3 + 2 * np.eye(n)   # well conditioned
    b = rng.normal(size=batch + (n, n))
    A = sg.tensor(a, dtype=sg.float64, requires_grad=True, name="A")
    B = sg.tensor(b, dtype=sg.float64, requires_grad=True, name="B")
    y = PROGRAMS[which](sg, A, B)
    report = sg.check(y)
    assert report.passed, str(report)


@given(n=st.integers(1, 4), seed=st.integers(0, 2**31))
def test_forward_mode_is_the_transpose_of_reverse_mode(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(n, n)) * 0.3 + 2 * np.eye(n)
    v, u = rng.normal(size=(n, n)), rng.normal(size=(n, n))
    f = lambda X: sg.inverse(X) @ sg.diag_embed(sg.diagonal(X)) * sg.logdet(X)  # noqa: E731
    _, jv = sg.func.jvp(f, (sg.tensor(a, dtype=sg.float64),), (sg.tensor(v, dtype=sg.float64),))
    _, vjp = sg.func.vjp(f, sg.tensor(a, dtype=sg.float64))
    (jtu,) = vjp(sg.tensor(u, dtype=sg.float64))
    lhs, rhs = np.sum(u * jv.numpy()), np.sum(jtu.numpy() * v)
    assert abs(lhs - rhs) <= 1e-9 * (1 + abs(lhs))
