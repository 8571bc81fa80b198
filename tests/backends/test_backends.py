"""The ``backend=`` argument: names, errors, standalone sources, the fused
backend's blocks, dask's laziness and JAX's precision guard."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import sympy as sp

import symgrad as sg
from symgrad.kernels.backends import BACKENDS, Backend, get
from symgrad.kernels.backends.fused import BLOCK, kinds
from symgrad.symbolic.nodes import SumOver
from symgrad.symbolic.symbols import TensorSymbol


def _chain(x: Any, depth: int) -> Any:
    for _ in range(depth):
        x = sg.sin(x) * sg.exp(-(x * x) / 4) + sg.tanh(x)
    return x.sum()


def _installed(backend: str) -> bool:
    try:
        get(backend).check()
        return True
    except ImportError:
        return False


ENGINES = [b for b in ("numpy", "fused", "dask", "jax") if _installed(b)]


def test_unknown_backend_is_refused_with_the_known_names() -> None:
    x = sg.symbol("x", (3,))
    with pytest.raises(ValueError, match="unknown kernel backend 'torch': choose one of auto, "
                                         "cupy, dask, fused, jax, numpy"):
        sg.lambdify(x * x, [x], backend="torch")


def test_a_missing_engine_names_the_extra_to_install() -> None:
    fake = Backend("fake", "xp", ("import no_such_engine as xp",), ("no_such_engine",), "fake")
    with pytest.raises(ImportError, match=r"the fake kernel backend needs 'no_such_engine', "
                                          r"which is not installed: pip install 'symgrad\[fake\]'"):
        fake.check()


@pytest.mark.skipif(_installed("cupy"), reason="CuPy is installed: nothing to refuse")
def test_cupy_absent_is_an_import_error_not_a_wrong_kernel() -> None:
    x = sg.symbol("x", (3,))
    with pytest.raises(ImportError, match="symgrad\\[cupy\\]"):
        sg.lambdify(x * x, [x], backend="cupy")


@pytest.mark.parametrize("backend", ENGINES)
def test_source_runs_on_its_own(backend: str, request: Any) -> None:
    """``.source`` is a module: executed in a fresh namespace it computes the kernel."""
    if backend == "jax":
        request.getfixturevalue("jax_x64")
    x = sg.symbol("x", (None,), requires_grad=True)
    k = sg.compile_grad(_chain(x, 3), x, backend=backend)
    namespace: dict[str, Any] = {}
    exec(compile(k.source, "<pasted>", "exec"), namespace)  # noqa: S102 - our own source
    data = np.linspace(-1, 2, 3 * BLOCK + 5)  # (not symmetric: the sum is far from 0)
    arg = data
    if backend == "dask":
        import dask.array as da
        arg = da.from_array(data, chunks=BLOCK)
    value, grad = namespace["value_and_grad"](arg)
    want = sg.compile_grad(_chain(x, 3), x)(data)
    np.testing.assert_allclose(np.asarray(value), want[0], rtol=1e-12)
    np.testing.assert_allclose(np.asarray(grad), want[1], rtol=1e-12, atol=1e-14)
    assert k.backend == backend


def test_fused_kernel_runs_on_blocks_and_matches_numpy() -> None:
    x = sg.symbol("x", (None,), requires_grad=True)
    y = _chain(x, 5) + (x * x).sum() * 3
    fused, plain = sg.compile_grad(y, x, backend="fused"), sg.compile_grad(y, x)
    assert "_blocked(_block, (x,), ('sum', 'map'), 8192)" in fused.source
    for n in (10, 2 * BLOCK - 1, 5 * BLOCK + 17):  # one call, and blocks with a ragged end
        data = np.random.default_rng(n).uniform(-2, 2, n)
        (v1, g1), (v2, g2) = fused(data), plain(data)
        np.testing.assert_allclose(v1, v2, rtol=1e-12)
        np.testing.assert_array_equal(g1, g2)  # elementwise: the very same operations


def test_fused_kernel_calls_once_when_vectors_broadcast() -> None:
    x, b = sg.symbol("x", (None,), requires_grad=True), sg.symbol("b", (None,))
    y = (sg.sin(x) * b + sg.tanh(x)).sum()
    fused, plain = sg.compile_grad(y, x, backend="fused"), sg.compile_grad(y, x)
    data, one = np.linspace(-1, 2, 3 * BLOCK), np.array([0.5])
    np.testing.assert_allclose(fused(data, one)[1], plain(data, one)[1], rtol=1e-15)


def test_fused_falls_back_to_numpy_where_blocks_do_not_apply() -> None:
    X = sg.symbol("X", (8, 3))
    W = sg.symbol("W", (3, 2), requires_grad=True)
    k = sg.compile_grad(sg.tanh(X @ W).sum(), W, backend="auto")
    assert "_blocked" not in k.source and k.backend == "auto"
    Xv, Wv = np.ones((8, 3)), np.full((3, 2), 0.1)
    np.testing.assert_allclose(k(Wv, Xv)[1], sg.compile_grad(sg.tanh(X @ W).sum(), W)(Wv, Xv)[1])


def test_blocks_need_sums_that_add_up_over_blocks() -> None:
    x = TensorSymbol("x", (None,))
    s = SumOver.new(x * x, (0,), False)
    assert kinds([s, sp.sin(x)], ["x"]) == ("sum", "map")
    assert kinds([2 * s + SumOver.new(x, (0,), False)], ["x"]) == ("sum",)
    assert kinds([s * s], ["x"]) is None        # a product of sums: not additive
    assert kinds([s + 1], ["x"]) is None        # a constant would be added once per block
    assert kinds([s * x], ["x"]) is None        # a sum feeding elementwise work


def test_dask_kernel_stays_lazy_until_computed(cluster: Any) -> None:
    da = pytest.importorskip("dask.array")
    x = sg.symbol("x", (None,), requires_grad=True)
    k = sg.compile_grad(_chain(x, 2), x, backend="dask")
    value, grad = k(da.linspace(-1, 2, 1000, chunks=250))
    assert isinstance(value, da.Array) and isinstance(grad, da.Array)
    assert grad.chunks == ((250, 250, 250, 250),)
    v, g = cluster.compute((value, grad), sync=True)
    want = sg.compile_grad(_chain(x, 2), x)(np.linspace(-1, 2, 1000))
    np.testing.assert_allclose(v, want[0], rtol=1e-12)
    np.testing.assert_allclose(g, want[1], rtol=1e-12)


def test_jax_refuses_to_drop_float64_to_float32(jax_x64: Any) -> None:
    x = sg.symbol("x", (3,))
    k = sg.lambdify(sg.sin(x), [x], backend="jax")
    jax_x64.config.update("jax_enable_x64", False)
    try:
        with pytest.raises(TypeError, match="a float64 input to a JAX kernel would silently "
                                            "become float32"):
            k(np.ones(3))
        assert str(k(np.ones(3, np.float32)).dtype) == "float32"
    finally:
        jax_x64.config.update("jax_enable_x64", True)


@pytest.mark.parametrize("backend", [b for b in ("dask", "jax") if _installed(b)])
def test_a_deep_chain_compiles_in_linear_size(backend: str) -> None:
    """Depth 60 (a tree of 3**60 nodes): the source grows with the DAG, not the tree."""
    x = sg.symbol("x", (None,), requires_grad=True)
    lines = [sg.compile_grad(_chain(x, d), x, backend=backend).source.count("\n")
             for d in (30, 60)]
    assert lines[1] < 2.2 * lines[0]


def test_every_backend_is_listed_once() -> None:
    assert sorted(BACKENDS) == ["auto", "cupy", "dask", "fused", "jax", "numpy"]
    assert all(get(name).name == name for name in BACKENDS)


def test_auto_blocks_a_deep_chain_but_not_a_short_formula() -> None:
    x = sg.symbol("x", (None,), requires_grad=True)
    assert "_blocked" in sg.compile_grad(_chain(x, 5), x, backend="auto").source
    short = sg.compile_grad((x * x).sum() + sg.dot(x * x, x * x), x, backend="auto")
    assert "_blocked" not in short.source  # W1: a few in-place NumPy calls already
    assert "_blocked" in sg.compile_grad((x * x).sum() + sg.dot(x * x, x * x), x,
                                         backend="fused").source
