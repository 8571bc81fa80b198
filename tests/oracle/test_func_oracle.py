"""Optional: sg.func, forward AD, higher order and losses against PyTorch (skipped
without torch)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import symgrad as sg
from tests.tape.opcases import CASES, SMOOTH, Case

torch = pytest.importorskip("torch")
import torch.autograd.forward_ad as tfw  # noqa: E402

fwAD = sg.autograd.forward_ad


def _both(case: Case, seed: int, requires_grad: bool = False) -> tuple[list, list]:
    xs = case.inputs(seed)
    return ([sg.tensor(x, requires_grad=requires_grad) for x in xs],
            [torch.tensor(x, requires_grad=requires_grad) for x in xs])


def _close(a, b, tol: float = 1e-10) -> None:
    np.testing.assert_allclose(np.asarray(a.detach().numpy() if hasattr(a, "detach") else a),
                               b.detach().numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_values_grad_fn_and_gradients_match_torch(case: Case) -> None:
    ours, theirs = _both(case, 11, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y, ty = case.fn(sg, *ours), case.fn(torch, *theirs)
    _close(y, ty)
    if case.name not in ("cross_entropy_probs",):
        assert y.grad_fn.name() == ty.grad_fn.name()
    w = np.random.default_rng(12).standard_normal(tuple(ty.shape))
    gs = sg.autograd.grad(y, ours, sg.tensor(w), allow_unused=True)
    tgs = torch.autograd.grad(ty, theirs, torch.tensor(w), allow_unused=True)
    for g, tg in zip(gs, tgs):
        assert (g is None) == (tg is None)
        if g is not None:
            _close(g, tg)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_forward_ad_matches_torch(case: Case) -> None:
    ours, theirs = _both(case, 13)
    rng = np.random.default_rng(14)
    vs = [rng.standard_normal(tuple(t.shape)) for t in theirs]
    with fwAD.dual_level():
        y = case.fn(sg, *[fwAD.make_dual(x, sg.tensor(v)) for x, v in zip(ours, vs)])
        t = fwAD.unpack_dual(y).tangent
    with tfw.dual_level():
        ty = case.fn(torch, *[tfw.make_dual(x, torch.tensor(v)) for x, v in zip(theirs, vs)])
        tt = tfw.unpack_dual(ty).tangent
    _close(t, tt)


@pytest.mark.parametrize("case", [c for c in SMOOTH if len(c.shapes) == 1],
                         ids=lambda c: c.name)
def test_func_transforms_match_torch_func(case: Case) -> None:
    (x,), (tx,) = _both(case, 15)
    f = lambda T: (lambda a: case.fn(T, a).sum())  # noqa: E731
    _close(sg.func.grad(f(sg))(x), torch.func.grad(f(torch))(tx))
    _close(sg.func.jacrev(lambda a: case.fn(sg, a))(x),
           torch.func.jacrev(lambda a: case.fn(torch, a))(tx))
    _close(sg.func.jacfwd(lambda a: case.fn(sg, a))(x),
           torch.func.jacfwd(lambda a: case.fn(torch, a))(tx))
    _close(sg.func.hessian(f(sg))(x), torch.func.hessian(f(torch))(tx), 1e-8)
    v = np.random.default_rng(16).standard_normal(tuple(tx.shape))
    out, t = sg.func.jvp(lambda a: case.fn(sg, a), (x,), (sg.tensor(v),))
    tout, tt = torch.func.jvp(lambda a: case.fn(torch, a), (tx,), (torch.tensor(v),))
    _close(out, tout)
    _close(t, tt)


def test_create_graph_reprs_match_torch() -> None:
    out = []
    for T in (sg, torch):
        x = T.tensor([1., 2.], requires_grad=True)
        g, = T.autograd.grad((x ** 3).sum(), x, create_graph=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (x * x).sum().backward(create_graph=True)
        out.append((repr(g), repr(x.grad)))
    assert out[0] == out[1]


def test_loss_error_messages_match_torch() -> None:
    bad_calls = [
        lambda T: T.nn.functional.cross_entropy(T.zeros(3, 5), T.tensor([1, 0])),
        lambda T: T.nn.functional.cross_entropy(T.zeros(3, 5), T.tensor([1, 0, 5])),
        lambda T: T.nn.functional.cross_entropy(T.zeros(3, 5), T.tensor([1., 0., 2.])),
        lambda T: T.nn.functional.cross_entropy(T.zeros(3, 5), T.zeros(3, 4)),
        lambda T: T.nn.functional.cross_entropy(T.zeros(3, 5), T.tensor([1, 0, 2]),
                                                reduction="foo"),
        lambda T: T.nn.functional.binary_cross_entropy(T.ones(3) * 0.5, T.ones(2)),
        lambda T: T.nn.functional.binary_cross_entropy(T.ones(3) * 2, T.ones(3)),
        lambda T: T.func.grad(lambda a: a.sin())(T.ones(3)),
        lambda T: T.func.jvp(lambda a: a.sin(), T.ones(3), T.ones(3)),
    ]
    for call in bad_calls:
        msgs = []
        for T in (sg, torch):
            with pytest.raises(Exception) as info:
                call(T)
            msgs.append((type(info.value), str(info.value)))
        assert msgs[0] == msgs[1]
