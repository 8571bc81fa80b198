"""PyTorch's choices at non-differentiable points (recorded from PyTorch 2.13)."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg


def grads(src: str, *names: str) -> list:
    env: dict = {"sg": sg}
    exec(src, env)
    return [env[n].grad.tolist() for n in names]


@pytest.mark.parametrize("src,expected", [
    ("x = sg.tensor([-1., 0., 1.], requires_grad=True); x.relu().sum().backward()",
     [[0., 0., 1.]]),
    ("x = sg.tensor([-1., 0., 1.], requires_grad=True); x.abs().sum().backward()",
     [[-1., 0., 1.]]),
    ("x = sg.tensor([-1., 0., .5, 1., 2.], requires_grad=True); x.clamp(0, 1).sum().backward()",
     [[0., 1., 1., 1., 0.]]),
    ("x = sg.tensor([-1., 0., .5, 1., 2.], requires_grad=True); x.clamp(min=0).sum().backward()",
     [[0., 1., 1., 1., 1.]]),
    ("x = sg.tensor([-1., 0., .5, 1., 2.], requires_grad=True); x.clamp(max=1).sum().backward()",
     [[1., 1., 1., 1., 0.]]),
    ("x = sg.tensor([1., 3., 3., 2.], requires_grad=True); x.max().backward()",
     [[0., .5, .5, 0.]]),
    ("x = sg.tensor([1., 1., 3., 2.], requires_grad=True); x.min().backward()",
     [[.5, .5, 0., 0.]]),
    ("x = sg.tensor([[1., 3., 3.], [2., 2., 2.]], requires_grad=True); "
     "x.amax(1).sum().backward()",
     [[[0., .5, .5], [1 / 3, 1 / 3, 1 / 3]]]),
    ("x = sg.tensor([[1., 3., 3.], [2., 2., 2.]], requires_grad=True); "
     "x.max(1)[0].sum().backward()",
     [[[0., 1., 0.], [1., 0., 0.]]]),
    ("x = sg.tensor([[1., 3., 1.], [2., 2., 2.]], requires_grad=True); "
     "x.min(1)[0].sum().backward()",
     [[[1., 0., 0.], [1., 0., 0.]]]),
    ("x = sg.tensor([1., 2., 3.], requires_grad=True); w = sg.tensor([1., 3., 2.], "
     "requires_grad=True); sg.maximum(x, w).sum().backward()",
     [[.5, 0., 1.], [.5, 1., 0.]]),
    ("x = sg.tensor([1., 2., 3.], requires_grad=True); w = sg.tensor([1., 3., 2.], "
     "requires_grad=True); sg.minimum(x, w).sum().backward()",
     [[.5, 1., 0.], [.5, 0., 1.]]),
    ("x = sg.tensor([0., 2., 3.], requires_grad=True); x.prod().backward()",
     [[6., 0., 0.]]),
    ("x = sg.tensor([0., 0., 3.], requires_grad=True); x.prod().backward()",
     [[0., 0., 0.]]),
    ("x = sg.tensor([0., 2.], requires_grad=True); (x ** 0).sum().backward()",
     [[0., 0.]]),
    ("x = sg.tensor([0., 2.], requires_grad=True); w = sg.tensor([2., 0.], requires_grad=True);"
     " (x ** w).sum().backward()",
     [[0., 0.], [0., 0.6931471824645996]]),
    ("x = sg.tensor([-1., 0., 2.], requires_grad=True); x.sign().sum().backward()",
     [[0., 0., 0.]]),
])
def test_gradient_at_kinks_is_pytorchs(src: str, expected: list) -> None:
    names = ["x", "w"][:len(expected)]
    for got, want in zip(grads(src, *names), expected):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_max_dim_returns_first_index_of_ties() -> None:
    v, i = sg.tensor([[1., 3., 3.], [2., 2., 2.]]).max(1)
    assert v.tolist() == [3., 2.] and i.tolist() == [1, 0] and i.dtype == sg.int64
