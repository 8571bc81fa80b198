"""Kernels that share work between a value and its gradient: softmax
cross-entropy computes ``exp`` once and adds at the picked indices in place;
large polynomial gradients update a dead temporary's array in place."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg

ROWS = np.arange(6)
LABELS = np.array([0, 2, 1, 2, 0, 1])


def _xent(X, W):
    Z = X @ W
    return (sg.logsumexp(Z, 1) - Z[ROWS, LABELS]).mean()


def _xent_numpy(X, W):
    Z = X @ W
    m = Z.max(1, keepdims=True)
    e = np.exp(Z - m)
    s = e.sum(1, keepdims=True)
    value = (np.log(s[:, 0]) + m[:, 0] - Z[ROWS, LABELS]).mean()
    g = e / s
    g[ROWS, LABELS] -= 1
    return value, X.T @ (g / len(Z))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_cross_entropy_kernel_computes_exp_once_and_adds_at_the_indices(dtype) -> None:
    X = sg.symbol("X", (6, 4))
    W = sg.symbol("W", (4, 3), requires_grad=True)
    k = sg.compile_grad(_xent(X, W), W)
    assert k.source.count("np.exp(") == 1          # forward and gradient share it
    assert "_index_put" not in k.source             # no dense scatter into zeros
    assert "_index_add_(" in k.source
    rng = np.random.default_rng(0)
    Xv, Wv = rng.standard_normal((6, 4)).astype(dtype), rng.standard_normal((4, 3)).astype(dtype)
    value, grad = k(Wv, Xv)
    want_v, want_g = _xent_numpy(Xv.astype(float), Wv.astype(float))
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(value, want_v, rtol=tol, atol=tol)
    np.testing.assert_allclose(grad, want_g, rtol=tol, atol=tol)
    assert grad.dtype == dtype


def test_logsumexp_kernel_keeps_infinite_rows() -> None:
    Z = sg.symbol("Z", (3, 2))
    k = sg.lambdify(sg.logsumexp(Z, 1), [Z])
    with np.errstate(divide="ignore", invalid="ignore"):  # log(0) for the -inf row
        got = k(np.array([[-np.inf, -np.inf], [np.inf, 0.0], [1000.0, 1000.0]]))
    np.testing.assert_array_equal(got[:2], [-np.inf, np.inf])
    assert got[2] == pytest.approx(1000 + np.log(2))


def test_softmax_gradient_formula_is_readable() -> None:
    Z = sg.symbol("Z", (3, 4), requires_grad=True)
    g = sg.diff(sg.logsumexp(Z, 1).sum(), Z)
    assert "softmax(Z, dim=1)" in str(getattr(g, "expr", g))


def test_large_polynomial_gradient_updates_a_dead_temporary_in_place() -> None:
    n = 1 << 15
    a = sg.symbol("a", (n,))
    s = a * a
    k = sg.compile_grad(s.sum() + sg.dot(s, s), a)
    body = k.source.split("def value_and_grad")[1]
    assert "v0 *= 4" in body and "v0 += 2" in body and "v0 *= a" in body
    x = np.linspace(-2, 2, n)
    value, grad = k(x)
    np.testing.assert_allclose(grad, 4 * x**3 + 2 * x, rtol=1e-13)
    assert value == pytest.approx(np.sum(x * x) + np.sum(x**4))
    x32 = x.astype(np.float32)
    assert k(x32)[1].dtype == np.float32


def test_no_in_place_update_when_it_would_change_the_dtype_or_read_twice() -> None:
    n = 1 << 15
    a, b = sg.symbol("a", (n,)), sg.symbol("b", (n,))
    s = a * a
    k = sg.lambdify(s.sum() + (b * (s * 4 + 2)).sum(), [a, b])  # b is not an input of s
    assert "*=" not in k.source and "+=" not in k.source
    av, bv = np.linspace(-1, 1, n).astype(np.float32), np.linspace(0, 1, n)
    assert k(av, bv).dtype == np.float64
    k2 = sg.lambdify((s.sum() + ((s + 1) * s)).sum(), [a])  # reads s twice
    assert "+=" not in k2.source
    np.testing.assert_allclose(k2(np.ones(n)), n * n + 2 * n)
