"""``autograd.functional``: agreement with ``sg.func`` and finite differences, the
shapes and nesting PyTorch returns, ``create_graph`` and ``strict``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symgrad as torch
from symgrad import func
from symgrad.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp

floats = st.floats(-1.5, 1.5, allow_nan=False, width=64)
vectors = st.lists(floats, min_size=1, max_size=4)


def f_vec(x):
    return (x.sin() * x.exp()).cumsum(0) if hasattr(x, "cumsum") else x.sin() * x.exp()


def f_mix(x):
    return (x.tanh() * x.sum()) + x ** 2


def f_scalar(x):
    return (x.sin() * x ** 2).sum() + x.sum() ** 2


@given(vectors)
def test_jacobian_equals_jacrev_and_jacfwd(xs: list[float]) -> None:
    x = torch.tensor(xs, dtype=torch.float64)
    j = jacobian(f_mix, x)
    np.testing.assert_allclose(j.numpy(), func.jacrev(f_mix)(x).numpy(), rtol=1e-12)
    np.testing.assert_allclose(j.numpy(), func.jacfwd(f_mix)(x).numpy(), rtol=1e-10,
                               atol=1e-12)


@given(vectors, vectors)
def test_products_are_jacobian_contractions(xs: list[float], vs: list[float]) -> None:
    n = min(len(xs), len(vs))
    x = torch.tensor(xs[:n], dtype=torch.float64)
    v = torch.tensor(vs[:n], dtype=torch.float64)
    J = jacobian(f_mix, x).numpy()
    H = hessian(f_scalar, x).numpy()
    np.testing.assert_allclose(vjp(f_mix, x, v)[1].numpy(), v.numpy() @ J, atol=1e-10)
    np.testing.assert_allclose(jvp(f_mix, x, v)[1].numpy(), J @ v.numpy(), atol=1e-10)
    np.testing.assert_allclose(vhp(f_scalar, x, v)[1].numpy(), v.numpy() @ H, atol=1e-10)
    np.testing.assert_allclose(hvp(f_scalar, x, v)[1].numpy(), H @ v.numpy(), atol=1e-10)
    np.testing.assert_allclose(H, H.T, atol=1e-12)


def test_hessian_matches_finite_differences_of_the_gradient() -> None:
    x0 = np.array([0.3, -0.7, 1.1])
    H = hessian(f_scalar, torch.tensor(x0)).numpy()
    g = lambda a: func.grad(f_scalar)(torch.tensor(a)).numpy()
    fd = np.stack([(g(x0 + e) - g(x0 - e)) / 2e-6 for e in np.eye(3) * 1e-6], axis=1)
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-6)


def test_tuple_inputs_and_outputs_nest_as_pytorch() -> None:
    a, b = torch.tensor([1., 2.]), torch.tensor([3., 4., 5.])
    j = jacobian(lambda x, y: (x.sum() * y, x * 2), (a, b))
    assert [[tuple(t.shape) for t in row] for row in j] == [[(3, 2), (3, 3)], [(2, 2), (2, 3)]]
    h = hessian(lambda x, y: (x.sum() * y).sum(), (a, b))
    assert [[tuple(t.shape) for t in row] for row in h] == [[(2, 2), (2, 3)], [(3, 2), (3, 3)]]
    assert isinstance(jacobian(lambda x: x * 2, (a,)), tuple)


def test_results_are_detached_unless_create_graph() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    assert not jacobian(lambda t: t ** 2, x).requires_grad
    h = hessian(lambda t: (t ** 3).sum(), x, create_graph=True)
    assert h.requires_grad
    h.sum().backward()
    assert x.grad.tolist() == [6., 6.]


def test_strict_mode_reports_independent_outputs() -> None:
    with pytest.raises(RuntimeError, match="^Output 0 of the user-provided function is "
                                           "independent of input 1"):
        jacobian(lambda x, y: x * 2, (torch.ones(2), torch.ones(2)), strict=True)
    with pytest.raises(RuntimeError, match="^The output of the user-provided function is "
                                           "independent of input 1. This is not allowed in "
                                           "strict mode.$"):
        vjp(lambda x, y: x * 2, (torch.ones(2), torch.ones(2)), torch.ones(2), strict=True)
