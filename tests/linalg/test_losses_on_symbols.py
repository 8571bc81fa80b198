"""Every ``nn.functional`` loss and activation on symbolic (value-less) tensors:
the formula exists, has no size in it (class labels are an integer symbol,
picked with ``one_hot``), its kernel computes the tape's value, and its
gradient agrees with the textbook closed form and with ``sg.check``."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import symgrad as sg
import symgrad.nn.functional as F

RNG = np.random.default_rng(3)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_logistic_regression_on_symbols_has_the_textbook_gradient() -> None:
    X = sg.symbol("X", (5, 3), requires_grad=False)
    w = sg.symbol("w", (3,))
    t = sg.symbol("t", (5,), requires_grad=False)
    loss = F.binary_cross_entropy(sg.sigmoid(X @ w), t, reduction="sum")
    g = sg.diff(loss, w)
    xv, wv, tv = RNG.normal(size=(5, 3)), RNG.normal(size=3), RNG.uniform(size=5)
    got = sg.lambdify(g, [X, w, t])(xv, wv, tv)
    np.testing.assert_allclose(got, xv.T @ (_sigmoid(xv @ wv) - tv), rtol=1e-10)


@pytest.mark.parametrize("n", [4, 40])
def test_cross_entropy_with_symbolic_labels_is_size_free(n: int) -> None:
    z = sg.symbol("z", (n, 3))
    y = sg.symbol("y", (n,), dtype=sg.int64, requires_grad=False)
    loss = F.cross_entropy(z, y)
    assert str(loss.expr) == "mean(-sum(log_softmax(z, dim=1)*one_hot(y, 3), dim=1))"
    g = sg.diff(loss, z)
    zv, yv = RNG.normal(size=(n, 3)), RNG.integers(0, 3, n)
    got = sg.lambdify(g, [z, y])(zv, yv)
    p = np.exp(zv) / np.exp(zv).sum(1, keepdims=True)
    np.testing.assert_allclose(got, (p - np.eye(3)[yv]) / n, rtol=1e-10, atol=1e-14)
    tape = F.cross_entropy(sg.tensor(zv), sg.tensor(yv))
    assert float(sg.lambdify(loss, [z, y])(zv, yv)) == pytest.approx(tape.item(), rel=1e-6)


def test_cross_entropy_with_valued_labels_names_them_instead_of_listing_them() -> None:
    x = sg.tensor(RNG.normal(size=(6, 4)), dtype=sg.float64, requires_grad=True, name="x")
    labels = sg.tensor([0, 3, 1, 2, 3, 0])
    loss = F.cross_entropy(x, labels)
    assert "one_hot(" in str(loss.expr) and "[0, 3" not in str(loss.expr)
    assert loss.grad_fn.name() == "NllLossBackward0"
    assert sg.check(loss).passed


@pytest.mark.parametrize("kw", [{"weight": sg.tensor([1., 2., 3.], dtype=sg.float64)},
                                {"ignore_index": 1}, {"reduction": "sum"},
                                {"reduction": "none"},
                                {"weight": sg.tensor([1., 2., 3.], dtype=sg.float64),
                                 "reduction": "sum"}],
                         ids=["weight", "ignore_index", "sum", "none", "weight_sum"])
def test_cross_entropy_options_agree_between_tape_and_formula(kw: dict) -> None:
    x = sg.tensor(RNG.normal(size=(4, 3)), dtype=sg.float64, requires_grad=True, name="x")
    loss = F.cross_entropy(x, sg.tensor([0, 1, 2, 1]), **kw)
    loss = (loss * sg.tensor(RNG.normal(size=tuple(loss.shape)), dtype=sg.float64)).sum()
    assert sg.check(loss).passed


def test_an_ignored_label_leaves_the_mean_and_the_formula_agrees() -> None:
    x = sg.tensor(RNG.normal(size=(3, 3)), dtype=sg.float64, requires_grad=True, name="x")
    loss = F.cross_entropy(x, sg.tensor([0, -100, 2]))
    assert "sum(one_hot(" in str(loss.expr)  # divided by the labels that count
    assert sg.check(loss).passed


def test_nll_loss_on_symbols_with_a_single_sample_and_higher_rank() -> None:
    x = sg.symbol("x", (3,))
    assert str(F.nll_loss(x, sg.tensor(1)).expr) == "mean(-sum(x*one_hot(1, 3)))"
    z = sg.symbol("z", (2, 3, 4))
    y = sg.symbol("y", (2, 4), dtype=sg.int64, requires_grad=False)
    loss = F.nll_loss(F.log_softmax(z, 1), y, reduction="sum")
    assert "one_hot(y, 3, dim=1)" in str(loss.expr)
    zv, yv = RNG.normal(size=(2, 3, 4)), RNG.integers(0, 3, (2, 4))
    tape = F.nll_loss(F.log_softmax(sg.tensor(zv), 1), sg.tensor(yv), reduction="sum")
    assert float(sg.lambdify(loss, [z, y])(zv, yv)) == pytest.approx(tape.item(), rel=1e-6)


def test_symbolic_labels_must_be_integers() -> None:
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Float"):
        F.cross_entropy(sg.symbol("z", (2, 3)), sg.symbol("y", (2,), requires_grad=False))


# the activations and losses of torch.nn.functional that take one tensor (activations)
# or an input and a target of its shape or class labels (losses); each one symgrad has
# is tested on symbols (helpers adding functional names get this test for free)
ACTIVATIONS = ("relu", "sigmoid", "tanh", "softmax", "log_softmax", "softmin", "gelu", "silu",
               "elu", "selu", "celu", "leaky_relu", "softplus", "softsign", "logsigmoid",
               "hardtanh", "relu6", "hardsigmoid", "hardswish", "mish", "tanhshrink")
LOSSES = ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
          "binary_cross_entropy_with_logits", "nll_loss", "cross_entropy", "soft_margin_loss")


def _losses():
    return [n for n in LOSSES if n in F.__all__]


def _activations():
    return [n for n in ACTIVATIONS if n in F.__all__]


@pytest.mark.parametrize("name", _activations())
def test_every_activation_works_on_symbols(name: str) -> None:
    fn = getattr(F, name)
    kw = {"dim": 1} if "dim" in inspect.signature(fn).parameters else {}
    z = sg.symbol("z", (2, 3))
    zv = RNG.normal(size=(2, 3))
    got = sg.lambdify(fn(z, **kw), [z])(zv)
    np.testing.assert_allclose(got, fn(sg.tensor(zv), **kw).numpy(), rtol=1e-12)


def _loss_args(name: str):
    """(input value, target value, the target's symbol) for a loss."""
    if name in ("nll_loss", "cross_entropy"):
        return (RNG.normal(size=(4, 3)), RNG.integers(0, 3, 4),
                sg.symbol("t", (4,), dtype=sg.int64, requires_grad=False))
    if "binary" in name and "logits" not in name:
        return (RNG.uniform(0.1, 0.9, (4, 3)), RNG.uniform(0, 1, (4, 3)),
                sg.symbol("t", (4, 3), requires_grad=False))
    return RNG.normal(size=(4, 3)), RNG.uniform(0, 1, (4, 3)), \
        sg.symbol("t", (4, 3), requires_grad=False)


@pytest.mark.parametrize("name", _losses())
def test_every_loss_works_on_symbols(name: str) -> None:
    fn = getattr(F, name)
    xv, tv, t = _loss_args(name)
    x = sg.symbol("x", xv.shape)
    loss = fn(x, t)
    k = sg.lambdify(loss, [x, t])
    assert float(k(xv, tv)) == pytest.approx(fn(sg.tensor(xv), sg.tensor(tv)).item(), rel=1e-6)
    g = sg.lambdify(sg.diff(loss, x), [x, t])(xv, tv)
    want = np.zeros_like(xv)
    for i in np.ndindex(xv.shape):
        d = np.zeros_like(xv)
        d[i] = 1e-6
        want[i] = (float(k(xv + d, tv)) - float(k(xv - d, tv))) / 2e-6
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-8)
