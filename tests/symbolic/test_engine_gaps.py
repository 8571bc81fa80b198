"""Closed gaps of the symbolic engine: shape errors at the op, third derivatives
through ``diag``, ``prod`` exact at zeros, textbook printing, linear build cost."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg
from symgrad import errors
from symgrad.symbolic.evaluate import evaluate
from symgrad.symbolic.jacobian import hessian as _hessian
from symgrad.symbolic.nodes import Diag, matprod
from symgrad.symbolic.printing import to_latex, to_pretty, to_str
from symgrad.symbolic.reverse import gradient


# ------------------------------------------------- 1. bad shapes fail at the op
def test_matmul_of_value_less_tensors_raises_pytorch_message_at_the_op():
    W, x = sg.symbol("W", (2, 3)), sg.symbol("x", (4,))
    with pytest.raises(RuntimeError) as exc:
        W @ x
    assert str(exc.value) == errors.matmul_shapes("matmul", (2, 3), (4,))
    # the same text the tape raises for arrays
    with pytest.raises(RuntimeError) as tape:
        sg.ones(2, 3) @ sg.ones(4)
    assert str(exc.value) == str(tape.value)


def test_mm_and_batched_matmul_mismatches_raise_at_the_op():
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)"):
        sg.mm(sg.symbol("A", (2, 3)), sg.symbol("B", (2, 3)))
    with pytest.raises(RuntimeError, match="must match the size of tensor b"):
        sg.symbol("A", (5, 2, 3)) @ sg.symbol("B", (4, 3, 2))


@pytest.mark.parametrize("op", [lambda a, b: a + b, lambda a, b: a * b,
                                lambda a, b: sg.maximum(a, b), lambda a, b: sg.where(a > 0, a, b)])
def test_broadcast_mismatch_raises_pytorch_message_at_the_op(op):
    a, b = sg.symbol("a", (2, 3)), sg.symbol("b", (4,))
    with pytest.raises(RuntimeError) as exc:
        op(a, b)
    assert str(exc.value) == errors.size_mismatch((2, 3), (4,), 0)


def test_unknown_lengths_stay_permissive():
    u, W = sg.symbol("u", (None, 3)), sg.symbol("W", (2, 3))
    assert tuple((u + W).shape) == (2, 3)
    assert tuple(u.reshape(-1).shape) == (None,)
    v = sg.symbol("v", (None,))
    assert tuple((sg.symbol("M", (2, None)) @ v).shape) == (2,)
    with pytest.raises(RuntimeError, match=r"size of tensor a \(3\) must match the size of tensor b \(4\)"):
        u + sg.symbol("x", (4,))


@pytest.mark.parametrize("reduce", [lambda t: t.sum(2), lambda t: t.mean(dim=-3),
                                    lambda t: t.prod(5), lambda t: t.amax(2),
                                    lambda t: t.logsumexp(2), lambda t: t.softmax(3)])
def test_bad_dim_in_reduction_raises_index_error(reduce):
    with pytest.raises(IndexError, match=r"^Dimension out of range \(expected to be in range "
                                         r"of \[-2, 1\], but got"):
        reduce(sg.symbol("W", (2, 3)))


def test_reshape_to_incompatible_size_raises_at_the_op():
    with pytest.raises(RuntimeError, match=r"^shape '\[5\]' is invalid for input of size 6$"):
        sg.symbol("W", (2, 3)).reshape(5)


# --------------------------------------------- 2. third derivatives through diag
def _fd_grad(f, p, h=1e-5):
    return np.array([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(len(p))])


def test_third_derivative_through_hessian_diag_matches_finite_differences():
    a, v = sg.symbol("a", (3,)), sg.symbol("v", (3,))
    H = _hessian((a.sin() * a.exp()).sum().expr, a.expr)
    assert isinstance(H, Diag) or any(isinstance(x, Diag) for x in H.args)
    g3 = gradient(matprod(matprod(v.expr, H), v.expr), [a.expr])[0]   # d/da v.H(a).v
    p, vv = np.array([0.3, -0.7, 1.1]), np.array([0.5, 1.0, -2.0])
    want = _fd_grad(lambda x: np.sum(vv ** 2 * 2 * np.cos(x) * np.exp(x)), p)
    np.testing.assert_allclose(evaluate(g3, {"a": p, "v": vv}), want, rtol=1e-6)


def test_diag_forward_and_reverse_rules_agree():
    from symgrad.symbolic.forward import jvp
    from symgrad.symbolic.reverse import vjp
    a, da, w = sg.symbol("a", (3,)), sg.symbol("da", (3,)), sg.symbol("w", (3, 3))
    d = Diag.new(a.expr ** 2, (3,))
    j = jvp(d, [a.expr], [da.expr])
    r = vjp(d, [a.expr], w.expr)[0]
    rng = np.random.default_rng(0)
    env = {"a": rng.normal(size=3), "da": rng.normal(size=3), "w": rng.normal(size=(3, 3))}
    lhs = np.sum(evaluate(j, env) * env["w"])   # <J da, w>
    rhs = np.sum(evaluate(r, env) * env["da"])  # <da, J^T w>
    assert lhs == pytest.approx(rhs)


def test_hessian_of_gradient_derived_expression_matches_finite_differences():
    a = sg.symbol("a", (3,))
    g = sg.diff((a.tanh() * a).sum(), a)              # a gradient formula
    h = _hessian(_sum_of(g * g), a.expr)
    p = np.array([0.2, -0.5, 0.9])

    def grad_sq(x):
        gx = np.tanh(x) + x * (1 - np.tanh(x) ** 2)
        return np.sum(gx * gx)

    num = np.array([_fd_grad(lambda y: _fd_grad(grad_sq, y, 1e-4)[i], p, 1e-4) for i in range(3)])
    np.testing.assert_allclose(evaluate(h, {"a": p}), num, rtol=1e-5, atol=1e-6)


def _sum_of(e):
    from symgrad.symbolic.nodes import SumOver
    return SumOver.make(e)


# ------------------------------------------------------- 3. prod exact at zeros
def _true_hessian(x):
    n = len(x)
    return np.array([[0.0 if i == k else np.prod(np.delete(x, [i, k])) for k in range(n)]
                     for i in range(n)])


@pytest.mark.parametrize("point", [[0.5, 0.0, 2.0, -1.0], [0.0, 0.0, 2.0, 3.0],
                                   [0.0, 0.0, 0.0, 3.0], [1.0, 2.0, 3.0, 4.0]])
def test_prod_forward_mode_and_hessian_are_exact_at_zeros(point):
    a, da = sg.symbol("a", (4,)), sg.symbol("da", (4,))
    y = a.prod()
    p, t = np.array(point), np.array([0.3, -1.0, 0.7, 2.0])
    jvp = evaluate(sg.diff(y, a, mode="forward", tangent=da), {"a": p, "da": t})
    assert jvp == pytest.approx(sum(t[i] * np.prod(np.delete(p, i)) for i in range(4)))
    np.testing.assert_array_equal(evaluate(sg.hessian(y, a), {"a": p}), _true_hessian(p))


def test_prod_over_an_axis_hessian_at_zeros_matches_finite_differences():
    W = sg.symbol("W", (2, 3))
    h = evaluate(sg.hessian(W.prod(1).sum(), W), {"W": np.array([[0., 1., 2.], [3., 0., 0.]])})
    assert h.shape == (2, 3, 2, 3)
    assert h[0, 1, 0, 2] == 0.0 and h[0, 0, 0, 1] == 2.0 and h[1, 1, 1, 2] == 3.0
    assert h[0, 0, 1, 0] == 0.0 and h[1, 0, 1, 1] == 0.0


# ------------------------------------------------------------- 4. printing
def test_sigmoid_derivative_prints_as_a_textbook_writes_it():
    a = sg.symbol("a", (3,))
    d = sg.diff(a.sigmoid().sum(), a)
    assert to_str(d) == "sigmoid(a)*(1 - sigmoid(a))"
    assert to_latex(d) == (r"\operatorname{sigmoid}\left(a\right) \left(1 - "
                           r"\operatorname{sigmoid}\left(a\right)\right)")
    assert to_pretty(d) == "sigmoid(a)⋅(1 - sigmoid(a))"


def test_api_md_forms_print_exactly():
    a = sg.symbol("a", (3,))
    out = a * a
    y = out.sum() + sg.matmul(out, out)
    assert to_str(sg.diff(y, a)) == "4*a**3 + 2*a"
    assert to_latex(sg.diff(y, a)) == "4 a^{3} + 2 a"
    W, x = sg.symbol("W", (2, 3)), sg.symbol("x", (3,))
    g = sg.symbol("g", (2,), requires_grad=False)
    assert to_str(sg.diff(sg.dot(g, W @ x), x)) == "W.T @ g"
    assert to_latex(sg.diff(sg.dot(g, W @ x), x)) == r"{W}^{\top} \cdot g"
    assert to_str(sg.hessian((a ** 3).sum(), a)) == "6*diag(a)"


def test_printing_keeps_sympy_order_without_sums():
    a = sg.symbol("a", (3,))
    assert to_str(sg.diff((a.exp() * a.sin()).sum(), a)) == "exp(a)*sin(a) + exp(a)*cos(a)"


# ------------------------------------------------------- 5. linear build cost
def _dag_size(expr) -> int:
    from symgrad.symbolic.shapes import tensor_args
    seen, stack = set(), [expr]
    while stack:
        e = stack.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        stack.extend(tensor_args(e))
    return len(seen)


def test_chain_gradient_dag_grows_linearly_with_depth():
    sizes = []
    for depth in (20, 40, 80):
        x = sg.symbol(f"xc{depth}", (None,))
        z = x
        for _ in range(depth):
            z = z.sin() * (-z * z / 4).exp() + z.tanh()
        sizes.append(_dag_size(sg.diff(z.sum(), x)))
    assert sizes[2] - sizes[1] == 2 * (sizes[1] - sizes[0])
