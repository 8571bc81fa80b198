"""Higher order: ``create_graph=True`` records the backward pass, so second
derivatives (Hessian-vector products) come out of the tape. Checked against
finite differences of first derivatives for every op family."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, given

import symgrad as sg
from tests.helpers import kink_margin, programs, run_program, smooth_leaves
from tests.tape.opcases import CASES, Case


def _grad(case: Case, xs: list[np.ndarray], w: np.ndarray) -> list[np.ndarray]:
    leaves = [sg.tensor(x, requires_grad=True) for x in xs]
    out = (case.fn(sg, *leaves) * sg.tensor(w)).sum()
    return [g.numpy() for g in sg.autograd.grad(out, leaves, materialize_grads=True)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_hessian_vector_product_matches_finite_differences_of_gradients(case: Case) -> None:
    xs = case.inputs(seed=5)
    rng = np.random.default_rng(6)
    vs = [rng.standard_normal(x.shape) for x in xs]
    leaves = [sg.tensor(x, requires_grad=True) for x in xs]
    out = case.fn(sg, *leaves)
    w = rng.standard_normal(tuple(out.shape))
    loss = (out * sg.tensor(w)).sum()
    gs = sg.autograd.grad(loss, leaves, create_graph=True, allow_unused=True)
    live = [(g, sg.tensor(v)) for g, v in zip(gs, vs) if g is not None and g.requires_grad]
    if live:
        gv = sum(((g * v).sum() for g, v in live), sg.tensor(0., dtype=sg.float64))
        hv = [np.zeros(x.shape) if h is None else h.numpy()
              for h, x in zip(sg.autograd.grad(gv, leaves, allow_unused=True), xs)]
    else:  # linear in every input: the Hessian is zero
        hv = [np.zeros(x.shape) for x in xs]
    h = 1e-6
    plus = _grad(case, [x + h * v for x, v in zip(xs, vs)], w)
    minus = _grad(case, [x - h * v for x, v in zip(xs, vs)], w)
    for got, p, m in zip(hv, plus, minus):
        np.testing.assert_allclose(got, (p - m) / (2 * h), rtol=1e-5, atol=1e-5)


@given(programs(max_steps=4))
def test_random_programs_second_derivatives_match_finite_differences(p) -> None:
    leaves = smooth_leaves(p)
    rng = np.random.default_rng(p.seed + 7)
    vs = [rng.standard_normal(x.shape) for x in leaves]

    def grads(xs: list[np.ndarray], create_graph: bool = False) -> tuple:
        ts = [sg.tensor(x, dtype=sg.float64, requires_grad=True) for x in xs]
        y = run_program(p, sg, ts)
        if not y.requires_grad:
            return ts, None
        return ts, sg.autograd.grad(y.sum(), ts, create_graph=create_graph,
                                    materialize_grads=True)
    try:
        ts, gs = grads(leaves, create_graph=True)
    except RuntimeError:
        assume(False)  # a shape error of the random program, not a derivative question
    assume(gs is not None)
    live = [(g, sg.tensor(v)) for g, v in zip(gs, vs) if g.requires_grad]
    if live:
        gv = sum(((g * v).sum() for g, v in live), sg.tensor(0., dtype=sg.float64))
        hv = [np.zeros(x.shape) if h is None else h.numpy()
              for h, x in zip(sg.autograd.grad(gv, ts, allow_unused=True), leaves)]
    else:
        hv = [np.zeros(x.shape) for x in leaves]
    h = 1e-6
    plus = grads([x + h * v for x, v in zip(leaves, vs)])[1]
    minus = grads([x - h * v for x, v in zip(leaves, vs)])[1]
    for got, a, b in zip(hv, plus, minus):
        np.testing.assert_allclose(got, (a.numpy() - b.numpy()) / (2 * h), rtol=1e-4, atol=1e-4)


def test_grad_after_backward_create_graph_has_grad_fn_and_warns() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    with pytest.warns(UserWarning, match="Using backward\\(\\) with create_graph=True will "
                                         "create a reference cycle"):
        (x * x).sum().backward(create_graph=True)
    assert repr(x.grad) == "tensor([2., 4.], grad_fn=<CopyBackwards>)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (x * x).sum().backward(create_graph=True)
    assert repr(x.grad) == "tensor([4., 8.], grad_fn=<AddBackward0>)"
    g2, = sg.autograd.grad(x.grad.sum(), x)
    assert g2.tolist() == [4., 4.]


def test_autograd_grad_create_graph_names_the_backward_ops() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    g, = sg.autograd.grad((x ** 3).sum(), x, create_graph=True)
    assert repr(g) == "tensor([ 3., 12.], grad_fn=<MulBackward0>)"
    h, = sg.autograd.grad(g.sum(), x)
    assert h.tolist() == [6., 12.] and h.grad_fn is None


def test_third_derivative() -> None:
    x = sg.tensor([0.5], dtype=sg.float64, requires_grad=True)
    g = (x.sin() * x.exp()).sum()
    for _ in range(3):
        g, = sg.autograd.grad(g.sum(), x, create_graph=True)
    a = 0.5  # (e^x sin x)''' = 2 e^x (cos x - sin x)
    assert g.item() == pytest.approx(2 * np.exp(a) * (np.cos(a) - np.sin(a)), rel=1e-12)


def test_retain_graph_defaults_to_create_graph() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = (x.sin() * x).sum()
    sg.autograd.grad(y, x, create_graph=True)
    sg.autograd.grad(y, x)  # the graph was retained by create_graph=True
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second "
                                           "time"):
        sg.autograd.grad(y, x)  # ... and freed by the call without it


def test_double_backward_through_freed_graph_errors_as_pytorch() -> None:
    y = sg.tensor([1., 2.], requires_grad=True)
    g, = sg.autograd.grad((y * y).sum(), y, create_graph=True)
    assert sg.autograd.grad(g.sum(), y)[0].tolist() == [2., 2.]
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second "
                                           "time"):
        sg.autograd.grad(g.sum(), y)


def test_grad_without_create_graph_is_not_differentiable() -> None:
    y = sg.tensor([1., 2.], requires_grad=True)
    g, = sg.autograd.grad((y * y).sum(), y)
    assert g.grad_fn is None and not g.requires_grad
    with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad and "
                                           "does not have a grad_fn"):
        g.sum().backward()


def test_allow_unused_with_create_graph() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    z = sg.tensor([3.], requires_grad=True)
    with pytest.raises(RuntimeError, match="appears to not have been used in the graph"):
        sg.autograd.grad((x * x).sum(), [x, z], create_graph=True)
    gx, gz = sg.autograd.grad((x * x).sum(), [x, z], create_graph=True, allow_unused=True)
    assert gz is None and gx.grad_fn is not None


def test_second_derivative_where_the_first_is_constant() -> None:
    """d/dx of a gradient that does not depend on x: allow_unused gives None, as PyTorch."""
    x = sg.tensor([1., 2.], requires_grad=True)
    g, = sg.autograd.grad((x * 3).sum(), x, create_graph=True)
    assert not g.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        sg.autograd.grad(g.sum(), x)


def test_hessian_vector_product_of_softmax_cross_entropy() -> None:
    """The W4 workload: HVP through log_softmax + nll_loss against finite differences."""
    rng = np.random.default_rng(0)
    x0, v = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    target = sg.tensor([0, 3, 1])

    def grad_at(a: np.ndarray, create_graph: bool = False) -> tuple:
        x = sg.tensor(a, requires_grad=True)
        loss = sg.nn.functional.cross_entropy(x, target)
        return x, sg.autograd.grad(loss, x, create_graph=create_graph)[0]
    x, g = grad_at(x0, True)
    hv, = sg.autograd.grad((g * sg.tensor(v)).sum(), x)
    fd = (grad_at(x0 + 1e-6 * v)[1].numpy() - grad_at(x0 - 1e-6 * v)[1].numpy()) / 2e-6
    np.testing.assert_allclose(hv.numpy(), fd, rtol=1e-6, atol=1e-7)
