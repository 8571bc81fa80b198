"""The matrix functions on every array engine: derivative formulas of them (the
gradient of ``logdet``, the logistic-regression Hessian) give NumPy's values on dask
and JAX, dask's single-chunk fallback stays lazy, and the Array API helpers agree
with their NumPy twins (run here on NumPy, itself an Array API namespace)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symgrad as sg
from symgrad.kernels import known
from symgrad.kernels.backends import get, xp_helpers
from symgrad.symbolic.nodebase import Structural
from symgrad.symbolic.nodes_reduce import ProdOthers, ProdOthersJvp
from symgrad.symbolic.symbols import TensorSymbol


def _installed(backend: str) -> bool:
    try:
        get(backend).check()
        return True
    except ImportError:
        return False


XP_ENGINES = [b for b in ("dask", "jax") if _installed(b)]


def _on(backend: str, kernel: Any, args: list[np.ndarray], request: Any) -> list[np.ndarray]:
    """``kernel(*args)`` on ``backend`` (dask: chunked in two along every axis)."""
    if backend == "jax":
        request.getfixturevalue("jax_x64")
    if backend == "dask":
        import dask
        import dask.array as da
        args = [da.from_array(a, chunks=tuple(max(1, (n + 1) // 2) for n in a.shape))
                for a in args]
        out = dask.compute(kernel(*args))[0]
    else:
        out = kernel(*args)
    return [np.asarray(o) for o in (out if isinstance(out, (tuple, list)) else [out])]


def _spd(n: int, seed: int, batch: tuple[int, ...] = ()) -> np.ndarray:
    a = np.random.default_rng(seed).normal(size=batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


@pytest.mark.parametrize("backend", XP_ENGINES)
def test_the_gradient_of_logdet_is_the_inverse_transpose(backend: str, request: Any) -> None:
    X = sg.symbol("X", (4, 4), requires_grad=True)
    y = sg.logdet(X)
    k = sg.lambdify([y, sg.diff(y, X)], [X], backend=backend)
    a = _spd(4, 1) + np.triu(np.ones((4, 4)))  # not symmetric: the transpose shows
    value, grad = _on(backend, k, [a], request)
    np.testing.assert_allclose(value, np.linalg.slogdet(a)[1], rtol=1e-12)
    np.testing.assert_allclose(grad, np.linalg.inv(a).T, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("backend", XP_ENGINES)
def test_the_hessian_of_logdet_agrees(backend: str, request: Any) -> None:
    """d2 logdet(X) / dX[i,j] dX[k,l] = -inv(X)[l,i] * inv(X)[j,k] (a NumPy constant
    argument on dask is the engine's array first)."""
    X = sg.symbol("X", (3, 3), requires_grad=True)
    hess = sg.diff(sg.diff(sg.logdet(X), X), X)
    k = sg.lambdify(hess, [X], backend=backend)
    a = 3 * np.eye(3) + np.triu(np.ones((3, 3)))
    inv = np.linalg.inv(a)
    (got,) = _on(backend, k, [a], request)
    np.testing.assert_allclose(got, -np.einsum("li,jk->ijkl", inv, inv), rtol=1e-10,
                               atol=1e-13)


def _deep(depth: int) -> tuple[Any, Any, Any]:
    """``logdet(I + outer(x, x))`` after ``depth`` steps ``x = tanh((I + outer(x, w)/8) @ x)``:
    each step reads ``x`` twice (a DAG of 2**depth paths)."""
    v = sg.symbol("v", (4,), requires_grad=True)
    w = sg.symbol("w", (4,))
    x, eye = v, sg.eye(4)
    for _ in range(depth):
        x = sg.tanh((eye + sg.outer(x, w) / 8) @ x)
    return sg.logdet(eye + sg.outer(x, x)), v, w


@pytest.mark.parametrize("backend", XP_ENGINES)
def test_a_deep_matrix_chain_compiles_in_linear_size_and_agrees(backend: str,
                                                                request: Any) -> None:
    sizes = []
    for depth in (30, 60):
        y, v, _ = _deep(depth)
        sizes.append(sg.compile_grad(y, v, backend=backend).source.count("\n"))
    assert sizes[1] < 2.2 * sizes[0]
    k, plain = sg.compile_grad(y, v, backend=backend), sg.compile_grad(y, v)
    args = [np.array([0.5, -1.0, 2.0, 0.25]), np.array([0.3, 0.2, -0.4, 1.0])]
    got, want = _on(backend, k, args, request), plain(*args)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("backend", XP_ENGINES)
def test_the_logistic_regression_hessian_agrees(backend: str, request: Any) -> None:
    """``X.T @ diag(s*(1-s)) @ X``, written out and as ``sg.diff`` of the gradient."""
    X = sg.symbol("X", (6, 3))
    w = sg.symbol("w", (3,), requires_grad=True)
    s = sg.sigmoid(X @ w)
    written = X.T @ sg.diag(s * (1 - s)) @ X
    loss = -(sg.log(s)).sum()
    hess = sg.diff(sg.diff(loss, w), w)
    k = sg.lambdify([written, hess], [X, w], backend=backend)
    rng = np.random.default_rng(3)
    xv, wv = rng.normal(size=(6, 3)), rng.normal(size=3)
    sv = 1 / (1 + np.exp(-xv @ wv))
    want = xv.T @ np.diag(sv * (1 - sv)) @ xv
    got_written, got_hess = _on(backend, k, [xv, wv], request)
    np.testing.assert_allclose(got_written, want, rtol=1e-12)
    np.testing.assert_allclose(got_hess, want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got_hess, sg.lambdify(hess, [X, w])(xv, wv), rtol=1e-12)


@pytest.mark.parametrize("backend", XP_ENGINES)
def test_matrix_function_sources_are_standalone(backend: str, request: Any) -> None:
    A = sg.symbol("A", (2, 3, 3), requires_grad=True)
    b = sg.symbol("b", (3,))
    y = (sg.det(A) + sg.diagonal(sg.inverse(A), 0, -2, -1).sum(-1)).sum() \
        + sg.linalg.solve(A, b).sum() + sg.linalg.svdvals(A).sum()
    k = sg.compile_grad(y, A, backend=backend)
    assert "np.linalg" not in k.source.split("def value_and_grad")[-1]  # the engine's own
    namespace: dict[str, Any] = {}
    exec(compile(k.source, "<pasted>", "exec"), namespace)  # noqa: S102 - our own source
    a, bv = _spd(3, 5, (2,)), np.array([1.0, -2.0, 0.5])
    got = _on(backend, lambda *xs: namespace["value_and_grad"](*xs), [a, bv], request)
    want = sg.compile_grad(y, A)(a, bv)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-12)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-10, atol=1e-12)


FORWARD = {  # y(X) of a (2, 3, 3) X: forward mode reaches the JVP nodes (SvdProject's
    "det": lambda X: sg.det(X),                       # "jvp", ProdOthersJvp)
    "logdet": lambda X: sg.logdet(X),
    "inverse": lambda X: sg.inverse(X),
    "svdvals": lambda X: sg.linalg.svdvals(X),
    "diagonal": lambda X: sg.diagonal(X, 1, 0, 2),
    "diag_embed": lambda X: sg.diag_embed(X[:, 0], -1, 0, 2),
    "kron": lambda X: sg.kron(X[0], X[1]),
    "outer": lambda X: sg.outer(X[0, 0], X[1, 1]),
    "prod": lambda X: X.prod(1),
    "prod_gradient": lambda X: sg.diff(X.prod(1).sum(), X),  # its JVP: ProdOthersJvp
}


@pytest.mark.parametrize("backend", XP_ENGINES)
@pytest.mark.parametrize("name", sorted(FORWARD))
def test_forward_mode_derivatives_agree(name: str, backend: str, request: Any) -> None:
    X = sg.symbol("X", (2, 3, 3), requires_grad=True)
    T = sg.symbol("T", (2, 3, 3))
    y = FORWARD[name](X)
    jvp = sg.diff(y, X, mode="forward", tangent=T)
    k = sg.lambdify([y, jvp], [X, T], backend=backend)
    a = _spd(3, 11, (2,)) + np.triu(np.ones((3, 3)))
    t = np.random.default_rng(12).normal(size=(2, 3, 3))
    if name.startswith("prod"):
        a[0, 1, 2] = 0.0  # the exact zero-aware products
    want = sg.lambdify([y, jvp], [X, T])(a, t)
    for g, w in zip(_on(backend, k, [a, t], request), want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12, err_msg=name)


def test_dask_runs_det_on_whole_matrices_lazily(cluster: Any) -> None:
    da = pytest.importorskip("dask.array")
    A = sg.symbol("A", (None, 4, 4))
    k = sg.lambdify(sg.det(A), [A], backend="dask")
    assert "single-chunk" in k.source and "rechunk" in k.source
    a = _spd(4, 7, (6,))
    out = k(da.from_array(a, chunks=(2, 2, 2)))  # matrices cut in four: rechunked whole
    assert isinstance(out, da.Array) and out.chunks == ((2, 2, 2),)
    np.testing.assert_allclose(cluster.compute(out, sync=True), np.linalg.det(a), rtol=1e-12)


def test_dask_adds_at_repeated_indices(cluster: Any) -> None:
    """The gradient of ``x[[0, 2, 0, 0]]`` adds up at the repeated index (``bincount``)."""
    da = pytest.importorskip("dask.array")
    x = sg.symbol("x", (3,), requires_grad=True)
    v = sg.symbol("v", (4,))
    g = sg.diff((x[[0, 2, 0, 0]] * v).sum(), x)
    k = sg.lambdify(g, [x, v], backend="dask")
    assert "bincount" in k.source
    out = k(da.from_array(np.arange(3.0), chunks=2),
            da.from_array(np.array([1.0, 2.0, 3.0, 4.0]), chunks=2))
    assert isinstance(out, da.Array)
    assert cluster.compute(out, sync=True).tolist() == [8.0, 0.0, 2.0]


class _Twice(Structural):
    """A node class with a NumPy meaning and no printer (bound as a NumPy constant)."""

    name = "twice"

    def numpy(self, x: Any) -> Any:
        return 2 * np.asarray(x)


@pytest.mark.parametrize("backend", XP_ENGINES)
def test_a_node_without_array_api_code_is_refused_when_the_kernel_is_built(
        backend: str) -> None:
    x = TensorSymbol("x", (3,))
    assert sg.lambdify(_Twice.new(x), [x])(np.ones(3)).tolist() == [2.0, 2.0, 2.0]
    with pytest.raises(NotImplementedError, match=f"the {backend} kernel backend cannot "
                                                  "compute _Twice.*use backend='numpy'"):
        sg.lambdify(_Twice.new(x), [x], backend=backend)


# ----------------------------------------------- the helpers against their NumPy twins
@given(st.integers(1, 4), st.integers(-3, 3), st.integers(0, 2), st.data())
def test_diag_embed_matches_numpy(k: int, offset: int, batch: int, data: Any) -> None:
    v = np.arange(1.0, 1 + batch * k if batch else 1 + k).reshape((batch, k) if batch else (k,))
    nd = v.ndim + 1
    dim1, dim2 = data.draw(st.permutations(range(nd)))[:2]
    rows = data.draw(st.integers(k + max(-offset, 0), k + max(-offset, 0) + 2))
    cols = k + max(offset, 0)
    want = known._diag_embed(v, offset, dim1, dim2, rows, cols)
    got = xp_helpers._diag_embed(v, offset, dim1, dim2, rows, cols)
    np.testing.assert_array_equal(got, want)


@given(st.integers(-2, 2), st.data())
def test_diagonal_matches_numpy(offset: int, data: Any) -> None:
    x = np.arange(60.0).reshape(3, 4, 5)
    d1, d2 = data.draw(st.permutations(range(3)))[:2]
    np.testing.assert_array_equal(xp_helpers._diagonal(x, offset, d1, d2),
                                  np.diagonal(x, offset, d1, d2))


@pytest.mark.parametrize("sa,sb", [((2,), (3,)), ((2, 3), (3, 1)), ((1, 2, 2), (2, 1, 3))])
def test_kron_and_outer_match_numpy(sa: tuple, sb: tuple) -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=sa), rng.normal(size=sb)
    np.testing.assert_array_equal(xp_helpers._kron(a, b), np.kron(a, b))
    np.testing.assert_array_equal(xp_helpers._outer(a, b), np.multiply.outer(a, b))


@pytest.mark.parametrize("axes", [(0,), (1,), (0, 2)])
@pytest.mark.parametrize("zeros", [0, 1, 2])
def test_prod_gradient_nodes_match_numpy(axes: tuple, zeros: int) -> None:
    rng = np.random.default_rng(zeros)
    x, t = rng.uniform(0.5, 2, (3, 4, 2)), rng.normal(size=(3, 4, 2))
    x.reshape(-1)[[5, 11][:zeros]] = 0.0  # (5 and 11 share the groups of axes (0,))
    X, T = TensorSymbol("x", (3, 4, 2)), TensorSymbol("t", (3, 4, 2))
    np.testing.assert_allclose(xp_helpers._prod_others(x, axes),
                               ProdOthers.new(X, axes, True).numpy(x), rtol=1e-13)
    np.testing.assert_allclose(xp_helpers._prod_others_jvp(x, t, axes),
                               ProdOthersJvp.new(X, T, axes).numpy(x, t), rtol=1e-12,
                               atol=1e-14)


def test_one_hot_and_matrix_functions_match_numpy() -> None:
    labels = np.array([[2, 0], [1, 5]])
    for dim in (0, 1, 2):
        np.testing.assert_array_equal(xp_helpers.one_hot_np(labels, 3, dim),
                                      known.one_hot_np(labels, 3, dim))
    a = _spd(3, 2, (2,)) * np.array([[[1.0]], [[-1.0]]])  # a negative determinant
    assert (np.linalg.det(a) < 0).any()
    np.testing.assert_allclose(xp_helpers._logdet(a), known._logdet(a), rtol=1e-13)
    np.testing.assert_allclose(xp_helpers._solve(a, np.ones((2, 3))),
                               known._solve(a, np.ones((2, 3))), rtol=1e-12)
    g = np.array([1.0, -2.0, 0.5])
    for mode in ("vjp", "jvp"):
        arg = g if mode == "vjp" else np.ones((2, 3, 3))
        np.testing.assert_allclose(xp_helpers._svd_project(a, arg, mode),
                                   known.svd_project(a, arg, mode), rtol=1e-11, atol=1e-13)
