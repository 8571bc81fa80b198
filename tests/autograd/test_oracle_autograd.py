"""Live comparison with PyTorch (skipped without torch): custom Functions,
``autograd.functional``, ``gradcheck`` and ``vmap`` on the same random inputs."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg

torch = pytest.importorskip("torch")


def _legendre(lib):
    class P3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return k * 0.5 * (5 * x ** 3 - 3 * x), x * 2

        @staticmethod
        def backward(ctx, g, h):
            x, = ctx.saved_tensors
            return g * ctx.k * 1.5 * (5 * x ** 2 - 1) + 2 * h, None
    return P3


@pytest.mark.parametrize("seed", range(5))
def test_custom_function_values_grads_and_names_match(seed: int) -> None:
    data = np.random.default_rng(seed).uniform(-1, 1, (3, 2)).astype(np.float32)
    out = []
    for lib in (torch, sg):
        x = lib.tensor(data, requires_grad=True)
        a, b = _legendre(lib).apply(x * 1.5, 0.7)
        y = (a * b).sum()
        y.backward()
        g, = lib.autograd.grad(_legendre(lib).apply(x, 2.0)[0].sum(), x)
        out.append((a.detach().numpy(), x.grad.numpy(), g.numpy(), a.grad_fn.name(),
                    repr(b).split("grad_fn")[1]))
    (ta, tg, tg2, tn, tr), (sa, sg_, sg2, sn, sr) = out
    np.testing.assert_allclose(sa, ta, rtol=1e-6)
    np.testing.assert_allclose(sg_, tg, rtol=1e-5)
    np.testing.assert_allclose(sg2, tg2, rtol=1e-6)
    assert (sn, sr) == (tn, tr)


@pytest.mark.parametrize("seed", range(3))
def test_functional_matches(seed: int) -> None:
    rng = np.random.default_rng(seed)
    xs, vs = rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 3)
    res = []
    for lib in (torch, sg):
        F = lib.autograd.functional
        f = lambda x: (x.sin() * x.sum()) ** 2
        s = lambda x: (x.exp() * x).sum()
        x, v = lib.tensor(xs), lib.tensor(vs)
        res.append([F.jacobian(f, x), F.hessian(s, x), F.vjp(f, x, v)[1], F.jvp(f, x, v)[1],
                    F.vhp(s, x, v)[1], F.hvp(s, x, v)[1]])
    for t, s in zip(*res):
        np.testing.assert_allclose(s.numpy(), t.numpy(), rtol=1e-10, atol=1e-12)


def test_gradcheck_verdicts_match() -> None:
    for lib in (torch, sg):
        x = lib.tensor([0.3, -0.4], dtype=lib.float64, requires_grad=True)
        assert lib.autograd.gradcheck(lambda t: t.tanh() * t, (x,))
        assert not lib.autograd.gradcheck(lambda t: t.detach() * t, (x,), raise_exception=False)


def test_vmap_matches() -> None:
    data = np.random.default_rng(7).uniform(-1, 1, (4, 3))
    got = [lib.func.vmap(lib.func.jacrev(lambda a: a.sin() * a.sum()))(lib.tensor(data))
           for lib in (torch, sg)]
    np.testing.assert_allclose(got[1].numpy(), got[0].numpy(), rtol=1e-12)
