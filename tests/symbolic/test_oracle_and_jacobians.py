"""Independent oracle (per-element scalar SymPy), Jacobians/Hessians, depth scaling."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import symgrad as sg
from symgrad.symbolic.evaluate import element_symbols, evaluate, scalarize
from symgrad.symbolic.nodes import Diag

CASES = [
    lambda a, W: (a * a).sum() + sg.matmul(a * a, a * a),
    lambda a, W: (sg.matmul(W, a).tanh() * a.sin()[:2]).sum() if hasattr(a, "__getitem__")
    else sg.matmul(W, a).tanh().sum(),
    lambda a, W: sg.matmul(W.T, sg.matmul(W, a)).exp().mean(),
    lambda a, W: (a.reshape(3, 1) * W.T).sum(0).softmax(-1).log().sum(),
]


@pytest.mark.parametrize("k", range(len(CASES)))
def test_gradient_matches_per_element_sympy_diff(k):
    a, W = sg.symbol("a", (3,)), sg.symbol("W", (2, 3))
    y = CASES[k](a, W)
    shapes = {"a": (3,), "W": (2, 3)}
    scalar_y = scalarize(y.expr, shapes)[()]
    grad = scalarize(sg.diff(y, a), shapes)
    elems = element_symbols("a", (3,))
    point = {s: v for s, v in zip(list(elems.ravel()) + list(element_symbols("W", (2, 3)).ravel()),
                                 np.linspace(-0.9, 0.8, 9))}
    for i in range(3):
        want = sympy.diff(scalar_y, elems[i])
        assert float((grad[i] - want).subs(point)) == pytest.approx(0, abs=1e-9)


def test_hessian_of_cube_sum_is_6_diag_a():
    a = sg.symbol("a", (3,))
    h = sg.hessian((a ** 3).sum(), a)
    assert str(h) == "6*diag(a)"
    assert any(isinstance(n, Diag) for n in sympy.preorder_traversal(h))
    v = np.array([1., -2., 0.5])
    np.testing.assert_allclose(evaluate(h, {"a": v}), np.diag(6 * v))


def test_jacobian_of_matvec_is_W_and_of_elementwise_is_diag():
    W, x = sg.symbol("W", (2, 3)), sg.symbol("x", (3,))
    assert sg.jacobian(sg.matmul(W, x), x) == W.expr
    j = sg.jacobian(x.sigmoid(), x)
    assert str(j).startswith("diag(")
    v = np.array([0.1, -0.3, 2.0])
    s = 1 / (1 + np.exp(-v))
    np.testing.assert_allclose(evaluate(j, {"x": v}), np.diag(s * (1 - s)))


def test_jacobian_has_y_shape_plus_x_shape_and_matches_tape():
    W = sg.tensor(np.arange(6.).reshape(2, 3) / 5, dtype=sg.float64, requires_grad=True, name="W")
    x = sg.tensor([0.3, -0.2, 0.5], dtype=sg.float64, requires_grad=True, name="x")
    y = sg.matmul(W, x).tanh()
    j = evaluate(sg.jacobian(y, W), {"W": W.detach().numpy(), "x": x.detach().numpy()})
    assert j.shape == (2, 2, 3)
    for i in range(2):
        gW, = sg.autograd.grad(y[i], [W], retain_graph=True)
        np.testing.assert_allclose(j[i], gW.numpy(), rtol=1e-10)


def test_reverse_list_returns_tuple_and_forward_tangent():
    a, b = sg.symbol("a", (3,)), sg.symbol("b", (3,))
    ga, gb = sg.diff((a * b).sum(), [a, b])
    assert (ga, gb) == (b.expr, a.expr)
    assert str(sg.diff((a * b).sum(), a, mode="forward")) == "sum(b*da)"


def test_gradient_dag_grows_linearly_with_depth():
    import importlib.util, pathlib
    p = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "symbolic_depth.py"
    spec = importlib.util.spec_from_file_location("symbolic_depth", p)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    n = [mod.symgrad_case(d)[1] for d in (10, 20, 40)]
    assert n[2] - n[1] == 2 * (n[1] - n[0])  # constant nodes per level


def test_deep_chain_of_1000_ops_builds_and_differentiates():
    x = sg.symbol("x", (2,))
    z = x
    for _ in range(1000):
        z = z.sin()
    g = sg.diff(z.sum(), x)
    v = np.array([0.5, 1.0])
    want = np.ones(2)
    u = v.copy()
    for _ in range(1000):
        want *= np.cos(u)
        u = np.sin(u)
    np.testing.assert_allclose(evaluate(g, {"x": v}), want, rtol=1e-9)


def test_missing_namespace_name_raises_naming_it():
    from symgrad.symbolic.namespace import S
    with pytest.raises(NotImplementedError, match="einsum"):
        S.einsum
