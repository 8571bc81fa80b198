"""The matrix functions on the formula side: tensor-level derivatives in the
Matrix Cookbook's forms, checked by value (the formula's kernel) against the
Cookbook's closed forms and central differences; forward against reverse;
Jacobians and Hessians; batches; and a depth-60 chain that stays linear."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg

N = 3
RNG = np.random.default_rng(7)
XV = RNG.normal(size=(N, N)) + 3 * np.eye(N)
AV, BV = RNG.normal(size=(N, N)), RNG.normal(size=(N, N))
BVEC = RNG.normal(size=N)


def _syms():
    X = sg.symbol("X", (N, N))
    A = sg.symbol("A", (N, N), requires_grad=False)
    B = sg.symbol("B", (N, N), requires_grad=False)
    b = sg.symbol("b", (N,), requires_grad=False)
    return X, A, B, b


def _value(f, X, A, B, b, x):
    return sg.lambdify(f, [X, A, B, b])(x, AV, BV, BVEC)


def _central(fn, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        g[i] = (fn(x + d) - fn(x - d)) / (2 * eps)
    return g


inv = np.linalg.inv
COOKBOOK = {  # (scalar function of X, its gradient in closed form), Matrix Cookbook
    "logdet": (lambda T, X, A, B, b: T.logdet(X), lambda x: inv(x).T),
    "det": (lambda T, X, A, B, b: T.det(X), lambda x: np.linalg.det(x) * inv(x).T),
    "trace(AXB)": (lambda T, X, A, B, b: T.trace(A @ X @ B), lambda x: AV.T @ BV.T),
    "trace(X^-1 A)": (lambda T, X, A, B, b: T.trace(T.inverse(X) @ A),
                      lambda x: -(inv(x) @ AV @ inv(x)).T),
    "b.X^-1.b": (lambda T, X, A, B, b: b @ T.inverse(X) @ b,
                 lambda x: -inv(x).T @ np.outer(BVEC, BVEC) @ inv(x).T),
    "sum solve": (lambda T, X, A, B, b: T.linalg.solve(X, b).sum(),
                  lambda x: -np.outer(inv(x).T @ np.ones(N), inv(x) @ BVEC)),
    "trace(X X X)": (lambda T, X, A, B, b: T.trace(X @ X @ X), lambda x: 3 * (x @ x).T),
    "fro norm": (lambda T, X, A, B, b: T.linalg.matrix_norm(X),
                 lambda x: x / np.linalg.norm(x)),
    "diag": (lambda T, X, A, B, b: (T.diag(X) * b).sum(), lambda x: np.diag(BVEC)),
    "kron trace": (lambda T, X, A, B, b: T.trace(T.kron(X, A)),
                   lambda x: np.trace(AV) * np.eye(N)),
}


@pytest.mark.parametrize("name", sorted(COOKBOOK))
def test_gradient_is_the_cookbooks(name: str) -> None:
    f, closed = COOKBOOK[name]
    X, A, B, b = _syms()
    y = f(sg, X, A, B, b)
    g = sg.diff(y, X)
    got = _value(g, X, A, B, b, XV)
    np.testing.assert_allclose(got, closed(XV), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(got, _central(lambda x: _value(y, X, A, B, b, x), XV),
                               rtol=1e-5, atol=1e-7)


def test_gradients_print_in_the_cookbooks_forms() -> None:
    X, A, B, b = _syms()
    assert str(sg.diff(sg.logdet(X), X)) in ("inverse(X).T", "(inverse(X)).T")
    assert "det(X)" in str(sg.diff(sg.det(X), X))
    assert str(sg.diff(sg.trace(A @ X @ B), X)) in ("A.T @ B.T", "(B @ A).T")
    assert str(sg.diff(sg.inverse(X), X, mode="forward")).replace("(", "").replace(")", "") \
        == "-inverseX @ dX @ inverseX"
    assert str(sg.diff(sg.linalg.solve(A, b).sum(), b)) == "solve(A.T, ones(3))"


FUNCTIONS = {  # tensor-valued functions of X for Jacobians and forward mode
    "inverse": lambda T, X: T.inverse(X),
    "solve": lambda T, X: T.linalg.solve(X, T.ones(N, dtype=T.float64) * 0.5 + X[0]),
    "diagonal": lambda T, X: T.diagonal(X, 1),
    "diag_embed": lambda T, X: T.diag_embed(X[0], -1),
    "outer": lambda T, X: T.outer(X[0], X[1]),
    "kron": lambda T, X: T.kron(X[:2, :2], X[1:, 1:]),
    "norm": lambda T, X: T.linalg.vector_norm(X, 3, dim=1),
    "det": lambda T, X: T.det(X),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_jacobian_matches_finite_differences(name: str) -> None:
    X = sg.symbol("X", (N, N))
    y = FUNCTIONS[name](sg, X)
    J = sg.lambdify(sg.jacobian(y, X), [X])(XV)
    k = sg.lambdify(y, [X])
    want = np.zeros(tuple(y.shape) + (N, N))
    for i in np.ndindex(N, N):
        d = np.zeros((N, N))
        d[i] = 1e-6
        want[(...,) + i] = (k(XV + d) - k(XV - d)) / 2e-6
    np.testing.assert_allclose(J, want, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_forward_mode_is_the_transpose_of_reverse_mode(name: str) -> None:
    X = sg.symbol("X", (N, N))
    y = FUNCTIONS[name](sg, X)
    rng = np.random.default_rng(1)
    u, v = rng.normal(size=tuple(y.shape)), rng.normal(size=(N, N))
    dX = sg.symbol("dX", (N, N), requires_grad=False)
    jv = sg.lambdify(sg.diff(y, X, mode="forward", tangent=dX), [X, dX])(XV, v)
    U = sg.tensor(u, dtype=sg.float64)
    jtu = sg.lambdify(sg.diff((y * U).sum(), X), [X])(XV)
    assert np.sum(u * jv) == pytest.approx(np.sum(jtu * v), rel=1e-9)


def test_hessian_of_logdet_is_minus_the_kronecker_form() -> None:
    X = sg.symbol("X", (N, N))
    H = sg.lambdify(sg.hessian(sg.logdet(X), X), [X])(XV)
    Xi = inv(XV)
    # d logdet / dX_ij = Xi_ji, and d Xi_ji / dX_kl = -Xi_jk Xi_li (Cookbook (57), (59))
    want = -np.einsum("jk,li->ijkl", Xi, Xi)
    np.testing.assert_allclose(H, want, rtol=1e-9, atol=1e-12)


def test_hessian_of_a_quadratic_form_in_the_inverse() -> None:
    x = sg.symbol("x", (N,))
    A = sg.symbol("A", (N, N), requires_grad=False)
    H = sg.lambdify(sg.hessian(x @ sg.inverse(A) @ x, x), [x, A])(BVEC, XV)
    np.testing.assert_allclose(H, inv(XV) + inv(XV).T, rtol=1e-9)


def test_batched_logdet_and_inverse_on_symbols() -> None:
    X = sg.symbol("X", (2, N, N))
    y = sg.logdet(X).sum() + sg.inverse(X).sum()
    xs = np.stack([XV, XV.T + np.eye(N)])
    g = sg.lambdify(sg.diff(y, X), [X])(xs)
    k = sg.lambdify(y, [X])
    want = _central(lambda x: float(k(x)), xs)
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-7)


def test_symbolic_calls_check_shapes_like_pytorch() -> None:
    with pytest.raises(RuntimeError, match="A must be batches of square matrices"):
        sg.det(sg.symbol("R", (2, 3)))
    with pytest.raises(RuntimeError, match="trace: expected a matrix"):
        sg.trace(sg.symbol("v", (3,)))


def test_a_depth_60_chain_of_matrix_functions_builds_and_evaluates() -> None:
    """Formulas are DAGs: a chain that reuses every step twice stays linear (a tree
    walk would take 2**60 steps), and its gradient agrees with the tape."""
    X = sg.tensor(XV / 4, dtype=sg.float64, requires_grad=True, name="X")
    Y = X
    for _ in range(60):
        Y = 0.5 * (Y + Y @ X) / (1 + sg.linalg.matrix_norm(Y))
    y = sg.trace(Y) + sg.logdet(sg.eye(N, dtype=sg.float64) + Y.T @ Y)
    report = sg.check(y)
    assert report.passed, str(report)
