"""``sg.lambdify`` / ``sg.compile_grad``: source, sharing, dtypes, calling, tracebacks."""

from __future__ import annotations

import linecache
import time
import traceback

import numpy as np
import pytest
import sympy as sp

import symgrad as sg
from symgrad.kernels.codegen import generate
from symgrad.kernels.dag import dag_size


def w2_chain(depth: int, n: int = 5):
    x = sg.symbol("x", (n,))
    v = x
    for _ in range(depth):
        v = sg.sin(v) * sg.exp(-(v * v) / 4) + sg.tanh(v)
    return x, v.sum()


def w2_numpy(x: np.ndarray, depth: int) -> np.ndarray:
    for _ in range(depth):
        x = np.sin(x) * np.exp(-(x * x) / 4) + np.tanh(x)
    return x


def test_seed_gradient_prints_small_powers_as_products():
    a = sg.symbol("a", (3,))
    s = a * a
    k = sg.compile_grad(s.sum() + sg.dot(s, s), a)
    assert "power" not in k.source and "**" not in k.source
    value, grad = k(np.array([1.0, 2.0, 3.0]))
    assert value == pytest.approx(14 + 98)
    np.testing.assert_allclose(grad, [6.0, 36.0, 114.0])


def test_cube_reuses_the_square_it_already_computed():
    a = sp.Symbol("a")
    gen = generate([sp.sin(a**2) + a**2, a**3], ["a"])
    assert "v0 = a*a" in gen.source and "v0*a" in gen.source


def test_value_and_gradient_share_one_pass_over_the_chain():
    x, y = w2_chain(6)
    k = sg.compile_grad(y, x)
    # each level's sin, exp and tanh are computed once, for value and gradient
    assert k.source.count("np.sin(") == 6 and k.source.count("np.tanh(") == 6
    xv = np.linspace(-2, 2, 5)
    value, grad = k(xv)
    assert value == pytest.approx(w2_numpy(xv, 6).sum())
    h = 1e-6
    fd = [(w2_numpy(xv + h * e, 6).sum() - w2_numpy(xv - h * e, 6).sum()) / (2 * h)
          for e in np.eye(5)]
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8)


def test_kernel_size_is_linear_in_depth():
    sizes = {}
    for d in (20, 40, 80):
        x, y = w2_chain(d)
        k = sg.compile_grad(y, x)
        sizes[d] = (k.n_nodes, k.source.count("\n"))
    assert sizes[80][0] == pytest.approx(4 * sizes[20][0], rel=0.1)
    assert sizes[80][1] == pytest.approx(4 * sizes[20][1], rel=0.1)


def test_temporaries_are_reused_once_dead():
    x, y = w2_chain(50)
    k = sg.lambdify(y, [x])  # forward only: nothing is needed after its level
    names = {line.split("=")[0].strip() for line in k.source.splitlines()
             if line.startswith("    v")}
    assert len(names) < 6  # not one name per level
    # value and gradient keep what reverse mode needs (like a tape), but no more
    g = sg.compile_grad(y, x)
    names = {line.split("=")[0].strip() for line in g.source.splitlines()
             if line.startswith("    v")}
    assert len(names) <= 4 * 50 + 4


def test_deep_chain_does_not_recurse():
    x, y = w2_chain(400, n=3)
    k = sg.compile_grad(y, x)
    value, _ = k(np.array([0.1, 0.2, 0.3]))
    assert value == pytest.approx(w2_numpy(np.array([0.1, 0.2, 0.3]), 400).sum())


def test_source_round_trips_through_exec_in_a_fresh_namespace():
    W = sg.symbol("W", (3, 2))
    X = sg.tensor(np.arange(12.0).reshape(4, 3) / 10)   # a constant, written into the source
    b = sg.symbol("b", (2,))
    y = (sg.tanh(X @ W + b) ** 2).mean()
    k = sg.compile_grad(y, [W, b])
    ns: dict = {}
    exec(k.source, ns)  # noqa: S102 - the kernel's own source
    rng = np.random.default_rng(0)
    Wv, bv = rng.standard_normal((3, 2)), rng.standard_normal(2)
    v1, (gW1, gb1) = k(Wv, bv)
    v2, (gW2, gb2) = ns["value_and_grad"](Wv, bv)
    assert v1 == v2
    np.testing.assert_array_equal(gW1, gW2)
    np.testing.assert_array_equal(gb1, gb2)
    assert k.source.startswith("import numpy as np")


def test_float32_stays_float32_and_float64_stays_float64():
    a = sg.symbol("a", (4,))
    k = sg.compile_grad((sg.sigmoid(a) * a / 3 + 0.1).sum(), a)
    for dt in (np.float32, np.float64):
        v, g = k(np.linspace(-1, 1, 4).astype(dt))
        assert np.asarray(v).dtype == dt and g.dtype == dt


def test_arguments_by_position_or_by_name():
    a, b = sg.symbol("a", (2,)), sg.symbol("b", (2,))
    k = sg.lambdify(a * b + a, [a, b])
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    np.testing.assert_array_equal(k(x, y), k(b=y, a=x))
    np.testing.assert_array_equal(sg.lambdify(a * b + a, ["a", "b"])(x, y), k(x, y))
    with pytest.raises(TypeError, match="missing arguments \\['b'\\]"):
        k(a=x)
    with pytest.raises(TypeError, match="unexpected argument 'c'"):
        k(a=x, b=y, c=x)


def test_result_has_the_formula_shape_even_where_the_gradient_is_constant():
    a = sg.symbol("a", (3,))
    value, grad = sg.compile_grad((a * 2).sum(), a)(np.ones(3, np.float32))
    assert grad.shape == (3,) and grad.dtype == np.float32
    np.testing.assert_array_equal(grad, [2, 2, 2])


def test_missing_argument_is_named():
    a, b = sg.symbol("a", (2,)), sg.symbol("b", (2,))
    with pytest.raises(ValueError, match="uses 'b', which is not among"):
        sg.lambdify(a * b, [a])


def test_traceback_shows_the_kernel_line():
    a = sg.symbol("a", (2,))
    M = sg.symbol("M", (2, 2))
    k = sg.lambdify(M @ a, [M, a])
    with pytest.raises(ValueError) as info:
        k(np.ones((2, 2)), np.ones(3))
    frames = traceback.extract_tb(info.value.__traceback__)
    mine = [f for f in frames if f.filename == k.filename]
    assert mine and "@" in mine[0].line
    assert linecache.getline(k.filename, mine[0].lineno).strip() == mine[0].line


def test_tensor_with_values_lambdifies_its_formula():
    a = sg.tensor([1.0, 2.0, 3.0], requires_grad=True, name="a")
    y = (a.sigmoid() * a).sum()
    k = sg.lambdify(y, [a])
    assert float(k(a.detach().numpy())) == pytest.approx(y.item(), rel=1e-6)


def test_build_of_depth_100_gradient_is_fast_enough():
    x, y = w2_chain(100)
    t0 = time.perf_counter()
    k = sg.compile_grad(y, x)
    assert k.n_nodes == dag_size([y.expr, sg.diff(y, x)])
    # generous bound (the benchmark measures it): the point is "not exponential"
    assert time.perf_counter() - t0 < 10


def test_kernels_run_on_dask_arrays():
    da = pytest.importorskip("dask.array")
    a = sg.symbol("a", (8,))
    k = sg.compile_grad((sg.sin(a) * a * a).sum(), a)
    x = np.linspace(-1, 1, 8)
    v, g = k(da.from_array(x, chunks=4))
    v0, g0 = k(x)
    assert float(v.compute()) == pytest.approx(float(v0))
    np.testing.assert_allclose(g.compute(), g0)


def test_compile_grad_takes_a_function_of_its_inputs():
    k = sg.compile_grad(lambda a, b: (a * sg.exp(b)).sum(), [sg.symbol("a", (2,)),
                                                            sg.symbol("b", (2,))])
    a, b = np.array([1.0, 2.0]), np.array([0.0, 1.0])
    value, (ga, gb) = k(a, b)
    assert value == pytest.approx(1 + 2 * np.e)
    np.testing.assert_allclose(ga, np.exp(b))
    np.testing.assert_allclose(gb, a * np.exp(b))


def test_without_cse_shared_nodes_are_recomputed():
    a = sp.Symbol("a")
    s = sp.sin(a)
    src = sg.lambdify(s * s + s, [a], cse=False).source
    assert src.count("np.sin(a)") == 3
    assert sg.lambdify(s * s + s, [a]).source.count("np.sin(a)") == 1


def test_matmul_operands_keep_their_grouping_in_source() -> None:
    # `@` binds like `*` and associates left: x*(x @ x) and x @ (x*x) need parentheses
    x = np.array([0.3, -0.5])
    t = sg.tensor(x, requires_grad=True, name="x0")
    for y in (t * sg.matmul(t, t), sg.matmul(t, t * t), sg.matmul(t, t ** 3),
              sg.matmul(t, 1 / (t * t)), sg.matmul(t * t, t) * t):
        k = sg.lambdify(y, [t])
        np.testing.assert_allclose(k(x), y.detach().numpy(), rtol=1e-12)
    assert str((t * sg.dot(t, t)).expr) == "x0*(x0 @ x0)"


def test_negated_product_with_a_boolean_mask_runs() -> None:
    # the gradient of amax multiplies by an equality mask; NumPy refuses `-mask`
    x = np.array([[1.0, 3.0], [3.0, 2.0]])
    t = sg.tensor(x, requires_grad=True, name="x0")
    y = -(sg.amax(t) * t).sum()
    k = sg.compile_grad(y, [t])
    value, (grad,) = k(x)
    (want,) = sg.autograd.grad(y, [t])
    np.testing.assert_allclose(grad, want.numpy())


def test_tensors_are_recognised_by_what_they_have() -> None:
    # kernels sit below the tensor front end: anything with a record and data is a tensor
    class Duck:
        record, _data, name = None, None, "a"
        expr = sp.Symbol("a") * 2

    k = sg.lambdify(Duck(), [Duck()])
    assert k.args == ("a",) and k(np.array([1.0, 2.0])).tolist() == [2.0, 4.0]
    with pytest.raises(TypeError, match="args must be tensors"):
        sg.lambdify(sp.Symbol("a"), [object()])
