"""``func.vmap``: batching by a loop over slices, composing with the other transforms."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as torch
from symgrad.func import grad, jacrev, vmap


def test_vmap_equals_a_python_loop_for_any_in_dim() -> None:
    x = torch.tensor(np.arange(24.).reshape(2, 3, 4))
    f = lambda a: (a.sin() * a).sum(-1)
    for d in (0, 1, 2, -1):
        got = vmap(f, in_dims=d)(x)
        want = torch.stack([f(x.select(d, i)) for i in range(x.shape[d])])
        np.testing.assert_allclose(got.numpy(), want.numpy())


def test_nested_in_dims_and_none_out_dims() -> None:
    x = torch.tensor([[1., 2.], [3., 4.]])
    out = vmap(lambda d, k: d["a"] * k, in_dims=({"a": 1}, None))({"a": x}, 2.)
    assert out.tolist() == [[2., 6.], [4., 8.]]
    assert vmap(lambda a: (a * 2, "tag"), out_dims=(0, None))(x)[1] == "tag"


def test_per_sample_gradients_and_grad_of_vmap_agree() -> None:
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    x = torch.tensor([[1., 2.], [3., 4.], [5., 6.]])
    loss = lambda w, xi: (w * xi).sum().tanh()
    per_sample = vmap(grad(loss), in_dims=(None, 0))(w, x)
    total = grad(lambda w: vmap(loss, in_dims=(None, 0))(w, x).sum())(w)
    np.testing.assert_allclose(per_sample.sum(0).detach().numpy(), total.detach().numpy(),
                               rtol=1e-6)
    assert tuple(vmap(jacrev(lambda a: a.sin()))(x).shape) == (3, 2, 2)


def test_bad_in_dims_raise_pytorchs_errors() -> None:
    x = torch.ones(3, 2)
    with pytest.raises(ValueError, match=r"^vmap\(<lambda>, in_dims=2, \.\.\.\)\(<inputs>\): "
                                         r"Got in_dim=2 for some input"):
        vmap(lambda a: a, in_dims=2)(x)
    with pytest.raises(ValueError, match="got sizes \\[3, 2\\] for the mapped dimension"):
        vmap(lambda a, b: a + b)(x, torch.ones(2, 2))
    with pytest.raises(ValueError, match="in_dims is not compatible with the structure"):
        vmap(lambda a: a, in_dims=(0, 0))(x)
