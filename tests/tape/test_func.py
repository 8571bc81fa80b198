"""``sg.func``: grad, value_and_grad, vjp, jvp, jacrev, jacfwd, hessian."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given

import symgrad as sg
from symgrad import func
from symgrad.tape import engine
from tests.helpers import kink_margin, programs, run_program
from tests.tape.opcases import SMOOTH, Case


def _fd_jacobian(f, x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """d f / d x by central differences, shape f(x).shape + x.shape."""
    y0 = np.asarray(f(x))
    jac = np.zeros(y0.shape + x.shape)
    for idx in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[idx] = h
        jac[(...,) + idx] = (np.asarray(f(x + e)) - np.asarray(f(x - e))) / (2 * h)
    return jac


def _np(case: Case, i: int, xs: list[np.ndarray]):
    def f(x: np.ndarray) -> np.ndarray:
        args = [sg.tensor(a) for a in xs]
        args[i] = sg.tensor(x)
        with sg.no_grad():
            return case.fn(sg, *args).numpy()
    return f


@pytest.mark.parametrize("case", SMOOTH, ids=lambda c: c.name)
def test_jacfwd_equals_jacrev_equals_finite_differences(case: Case) -> None:
    xs = [sg.tensor(x) for x in case.inputs(seed=8)]
    nums = tuple(range(len(xs)))
    f = lambda *a: case.fn(sg, *a)  # noqa: E731
    fwd = func.jacfwd(f, argnums=nums)(*xs)
    rev = func.jacrev(f, argnums=nums)(*xs)
    for i, (jf, jr) in enumerate(zip(fwd, rev)):
        fd = _fd_jacobian(_np(case, i, [x.numpy() for x in xs]), xs[i].numpy())
        assert tuple(jf.shape) == tuple(jr.shape) == fd.shape
        np.testing.assert_allclose(jf.numpy(), jr.numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(jf.numpy(), fd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("case", [c for c in SMOOTH if len(c.shapes) == 1],
                         ids=lambda c: c.name)
def test_hessian_matches_finite_differences_of_gradients(case: Case) -> None:
    x0 = case.inputs(seed=9)[0]
    rng = np.random.default_rng(10)
    w = None

    def scalar(x):
        nonlocal w
        out = case.fn(sg, x)
        if w is None:
            w = sg.tensor(rng.standard_normal(tuple(out.shape)))
        return (out * w).sum()
    hess = func.hessian(scalar)(sg.tensor(x0)).numpy()

    def grad_np(x: np.ndarray) -> np.ndarray:
        return func.grad(scalar)(sg.tensor(x)).numpy()
    fd = _fd_jacobian(grad_np, x0)
    assert hess.shape == x0.shape + x0.shape
    np.testing.assert_allclose(hess, fd, rtol=1e-5, atol=1e-5)


@given(programs(max_steps=4))
def test_random_programs_jacfwd_equals_jacrev(p) -> None:
    leaves = [np.asarray(x, dtype=np.float64) for x in p.leaves()]
    try:
        margin = kink_margin(p, leaves)
    except RuntimeError:
        margin = 0.0
    assume(margin > 1e-3)
    xs = [sg.tensor(x, dtype=sg.float64) for x in leaves]
    f = lambda *a: run_program(p, sg, list(a))  # noqa: E731
    nums = tuple(range(len(xs)))
    for jf, jr in zip(func.jacfwd(f, nums)(*xs), func.jacrev(f, nums)(*xs)):
        np.testing.assert_allclose(jf.numpy(), jr.numpy(), rtol=1e-10, atol=1e-10)


def test_grad_argnums_has_aux_and_values() -> None:
    x, y = sg.tensor([1., 2.]), sg.tensor([3., 4.])
    f = lambda a, b: (a * b).sum()  # noqa: E731
    assert func.grad(f)(x, y).tolist() == [3., 4.]
    gx, gy = func.grad(f, argnums=(0, 1))(x, y)
    assert gx.tolist() == [3., 4.] and gy.tolist() == [1., 2.]
    assert func.grad(f, argnums=-1)(x, y).tolist() == [1., 2.]
    g, aux = func.grad(lambda a: ((a * a).sum(), a * 2), has_aux=True)(x)
    assert g.tolist() == [2., 4.] and aux.tolist() == [2., 4.]
    v, g = func.value_and_grad(lambda a: (a * a).sum())(x)
    assert v.item() == 5. and g.tolist() == [2., 4.]
    g, v = func.grad_and_value(lambda a: (a * a).sum())(x)
    assert v.item() == 5. and g.tolist() == [2., 4.]
    assert repr(g) == "tensor([2., 4.])"  # no grad_fn leaks out of the transform
    assert x.grad is None and not x.requires_grad


def test_grad_errors_as_torch_func() -> None:
    x = sg.tensor([1., 2., 3.])
    with pytest.raises(RuntimeError, match=r"grad_and_value\(f\)\(\*args\): Expected f\(\*args\) "
                                           "to return a scalar Tensor, got tensor with 1 dims"):
        func.grad(lambda a: a.sin())(x)
    with pytest.raises(RuntimeError, match="Expected f\\(\\*args\\) to return a Tensor, got "
                                           "<class 'tuple'>"):
        func.grad(lambda a: (a.sum(), a))(x)
    with pytest.raises(RuntimeError, match="Got argnum=2, but only 2 positional inputs"):
        func.grad(lambda a, b: (a * b).sum(), argnums=2)(x, x)
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require "
                                           "gradients"):
        func.grad(lambda a: (a * 1.).sum())(sg.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="output of function f should be a tuple"):
        func.grad(lambda a: (a * a).sum(), has_aux=True)(x)


def test_grad_of_grad_and_of_a_tensor_that_requires_grad() -> None:
    x = sg.tensor([0.5, 1.0], dtype=sg.float64)
    d2 = func.grad(lambda a: func.grad(lambda b: (b.sin() * b).sum())(a).sum())(x)
    np.testing.assert_allclose(d2.numpy(), 2 * np.cos(x.numpy()) - x.numpy() * np.sin(x.numpy()))
    y = sg.tensor([1., 2.], requires_grad=True)
    g = func.grad(lambda a: (a ** 3).sum())(y)
    assert repr(g) == "tensor([ 3., 12.], grad_fn=<MulBackward0>)"  # differentiable, as torch
    assert sg.autograd.grad(g.sum(), y)[0].tolist() == [6., 12.]


def test_vjp_single_and_tuple_outputs() -> None:
    x = sg.tensor([1., 2.])
    out, vjp_fn = func.vjp(lambda a: a * a, x)
    assert out.tolist() == [1., 4.] and out.grad_fn is None
    assert vjp_fn(sg.tensor([1., 10.]))[0].tolist() == [2., 40.]
    assert vjp_fn(sg.tensor([1., 0.]))[0].tolist() == [2., 0.]  # callable again
    (s, c), vjp_fn = func.vjp(lambda a, b: (a * b, a + b), x, sg.tensor([3., 4.]))
    ga, gb = vjp_fn((sg.ones(2), sg.ones(2)))
    assert ga.tolist() == [4., 5.] and gb.tolist() == [2., 3.]
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of "
                                           r"torch.Size\(\[3\]\)"):
        func.vjp(lambda a: a * a, x)[1](sg.ones(3))


def test_jvp_is_true_forward_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_backward(*args, **kwargs):
        raise AssertionError("jvp must not run the backward engine")
    monkeypatch.setattr(engine, "run_backward", no_backward)
    out, t = func.jvp(lambda a: a.exp() * a, (sg.tensor([0., 1.]),), (sg.tensor([1., 2.]),))
    assert out.tolist() == pytest.approx([0., np.e])
    assert t.tolist() == pytest.approx([1., 2 * 2 * np.e])
    jac = func.jacfwd(lambda a: a.sin())(sg.tensor([0., 1.]))
    assert jac.numpy() == pytest.approx(np.diag(np.cos([0., 1.])))


def test_jvp_errors_and_constant_outputs() -> None:
    x = sg.tensor([1., 2., 3.])
    with pytest.raises(RuntimeError, match="Expected primals to be a tuple"):
        func.jvp(lambda a: a.sin(), x, sg.ones(3))
    with pytest.raises(RuntimeError, match=r"Tensor is of size \[3\] while the given forward "
                                           r"gradient is of size \[2\]"):
        func.jvp(lambda a: a.sin(), (x,), (sg.ones(2),))
    out, t = func.jvp(lambda a: sg.ones(2), (x,), (sg.ones(3),))
    assert t.tolist() == [0., 0.]


def test_jacobian_shapes_follow_torch_func() -> None:
    x, y = sg.tensor([1., 2., 3.]), sg.tensor([1., 2.])
    f = lambda a, b: a.unsqueeze(1) * b  # noqa: E731  (3, 2)
    for jac in (func.jacrev, func.jacfwd):
        ja, jb = jac(f, argnums=(0, 1))(x, y)
        assert tuple(ja.shape) == (3, 2, 3) and tuple(jb.shape) == (3, 2, 2)
        s, c = jac(lambda a: (a.sin(), a.sum()))(x)
        assert tuple(s.shape) == (3, 3) and tuple(c.shape) == (3,)
        assert tuple(jac(lambda a: a.sum())(sg.tensor(2.)).shape) == ()
    m = sg.tensor([[1., 2.], [3., 4.]])
    assert tuple(func.jacrev(lambda a: a @ a)(m).shape) == (2, 2, 2, 2)
    assert tuple(func.hessian(lambda a: (a ** 3).sum())(m).shape) == (2, 2, 2, 2)


def test_hessian_is_forward_over_reverse_and_composes() -> None:
    x = sg.tensor([0.3, -0.4, 0.8], dtype=sg.float64)
    f = lambda a: (a.exp() * a.sin()).sum() + (a * a).prod()  # noqa: E731
    h = func.hessian(f)(x).numpy()
    rr = func.jacrev(func.jacrev(f))(x).numpy()
    ff = func.jacfwd(func.jacfwd(f))(x).numpy()
    rf = func.jacrev(func.jacfwd(f))(x).numpy()
    np.testing.assert_allclose(h, rr, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h, ff, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h, rf, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h, h.T, rtol=1e-12, atol=1e-12)
