"""Composite ops (logsumexp, softmax, log_softmax) and ``sg.nn.functional`` losses:
values against NumPy formulas, gradients, grad_fn names, saves, stability, errors."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg
import symgrad.nn.functional as F


def _np_log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def test_grad_fn_names_and_saves_as_pytorch() -> None:
    x = sg.tensor([[1., 2., 3.], [0., -1., 4.]], requires_grad=True)
    cases = [(sg.logsumexp(x, 1), "LogsumexpBackward0", ("self", "result")),
             (x.softmax(1), "SoftmaxBackward0", ("result",)),
             (sg.log_softmax(x, -1), "LogSoftmaxBackward0", ("result",)),
             (F.mse_loss(x, x.detach() * 0), "MseLossBackward0", ("self", "target")),
             (F.cross_entropy(x, sg.tensor([0, 2])), "NllLossBackward0", ()),
             (F.binary_cross_entropy(x.sigmoid(), sg.ones(2, 3)), "BinaryCrossEntropyBackward0",
              ("self", "target"))]
    for y, name, saves in cases:
        assert y.grad_fn.name() == name
        assert set(saves) <= set(y.grad_fn.saved_tensor_names)


def test_softmax_family_values_and_stability() -> None:
    a = np.array([[1000., 0., -1000.], [1., 2., 3.]])
    x = sg.tensor(a, dtype=sg.float64)
    np.testing.assert_allclose(sg.log_softmax(x, 1).numpy(), _np_log_softmax(a, 1), rtol=1e-12)
    np.testing.assert_allclose(sg.softmax(x, 1).numpy(), np.exp(_np_log_softmax(a, 1)),
                               rtol=1e-12)
    np.testing.assert_allclose(sg.logsumexp(x, 1).numpy(),
                               a.max(1) + np.log(np.exp(a - a.max(1, keepdims=True)).sum(1)))
    assert sg.logsumexp(x, 1, keepdim=True).shape == (2, 1)
    assert sg.logsumexp(sg.tensor([-np.inf, -np.inf]), 0).item() == -np.inf
    xr = sg.tensor(a, dtype=sg.float64, requires_grad=True)
    g, = sg.autograd.grad(sg.logsumexp(xr, 1).sum(), xr)
    assert np.all(np.isfinite(g.numpy()))
    np.testing.assert_allclose(g.numpy(), np.exp(_np_log_softmax(a, 1)), rtol=1e-12)
    assert sg.softmax(sg.tensor(3.), 0).item() == 1.0  # 0-d input


def test_softmax_uses_its_saved_result_like_pytorch() -> None:
    """Mutating the saved output through .data is not detected and changes the gradient."""
    x = sg.tensor([1., 2., 3.], requires_grad=True)
    y = x.softmax(0)
    y.data.mul_(0)
    (y * sg.tensor([1., 0., 0.])).sum().backward()
    assert x.grad.tolist() == [0., 0., 0.]


def test_functional_softmax_implicit_dim_warns() -> None:
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been "
                                         "deprecated"):
        y = F.softmax(sg.tensor([[0., 0.]]))
    assert y.tolist() == [[0.5, 0.5]]
    with pytest.warns(UserWarning, match="log_softmax"):
        F.log_softmax(sg.tensor([0., 0.]))
    assert F.relu(sg.tensor([-1., 2.])).tolist() == [0., 2.]
    assert F.tanh is sg.tanh and F.sigmoid is sg.sigmoid


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_loss_values_and_gradients(reduction: str) -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    x, t = sg.tensor(a, requires_grad=True), sg.tensor(b, requires_grad=True)
    loss = F.mse_loss(x, t, reduction=reduction)
    d = (a - b) ** 2
    want = {"mean": d.mean(), "sum": d.sum(), "none": d}[reduction]
    np.testing.assert_allclose(loss.detach().numpy() if reduction == "none" else loss.item(), want)
    loss.sum().backward()
    scale = 1 / 6 if reduction == "mean" else 1
    np.testing.assert_allclose(x.grad.numpy(), 2 * (a - b) * scale, rtol=1e-12)
    np.testing.assert_allclose(t.grad.numpy(), -2 * (a - b) * scale, rtol=1e-12)


def test_mse_loss_broadcast_warns_and_mismatch_errors() -> None:
    x = sg.tensor([1., 2., 3.], requires_grad=True)
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[3, 1\]\)\) that "
                                         r"is different to the input size \(torch.Size\(\[3\]\)\)"):
        loss = F.mse_loss(x, sg.zeros(3, 1))
    loss.backward()
    assert x.grad.tolist() == pytest.approx([2 / 3, 4 / 3, 6 / 3])  # broadcast to (3, 3)
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="The size of tensor a "
                                                                      r"\(3\) must match"):
        F.mse_loss(x, sg.zeros(2))
    with pytest.raises(ValueError, match="bad is not a valid value for reduction"):
        F.mse_loss(x, sg.zeros(3), reduction="bad")


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_values_and_gradients(reduction: str) -> None:
    p, y = np.array([0.2, 0.7, 0.9]), np.array([0., 1., 0.5])
    x = sg.tensor(p, requires_grad=True)
    loss = F.binary_cross_entropy(x, sg.tensor(y), reduction=reduction)
    v = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    want = {"mean": v.mean(), "sum": v.sum(), "none": v}[reduction]
    np.testing.assert_allclose(loss.detach().numpy() if reduction == "none" else loss.item(), want)
    loss.sum().backward()
    scale = 1 / 3 if reduction == "mean" else 1
    np.testing.assert_allclose(x.grad.numpy(), (p - y) / (p * (1 - p)) * scale, rtol=1e-12)


def test_binary_cross_entropy_clamps_logs_and_checks_inputs() -> None:
    assert F.binary_cross_entropy(sg.tensor([0., 1.]), sg.tensor([1., 0.])).item() == 100.
    w = F.binary_cross_entropy(sg.tensor([0.5, 0.5]), sg.tensor([1., 1.]),
                               weight=sg.tensor([1., 3.]), reduction="sum")
    assert w.item() == pytest.approx(4 * np.log(2))
    x = sg.tensor([0.5, 0.5, 0.5], requires_grad=True)
    with pytest.raises(ValueError, match=r"Using a target size \(torch.Size\(\[2\]\)\) that is "
                                         r"different to the input size \(torch.Size\(\[3\]\)\) "
                                         "is deprecated"):
        F.binary_cross_entropy(x, sg.ones(2))
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(x * 3, sg.ones(3))
    with pytest.raises(RuntimeError, match="all elements of target should be between 0 and 1"):
        F.binary_cross_entropy(x, sg.ones(3) * 2)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_values_and_gradients(reduction: str) -> None:
    rng = np.random.default_rng(1)
    a, t = rng.standard_normal((4, 5)) * 3, np.array([0, 4, 2, 2])
    x = sg.tensor(a, requires_grad=True)
    loss = F.cross_entropy(x, sg.tensor(t), reduction=reduction)
    assert loss.grad_fn.name() == "NllLossBackward0"
    lp = _np_log_softmax(a, 1)
    v = -lp[np.arange(4), t]
    want = {"mean": v.mean(), "sum": v.sum(), "none": v}[reduction]
    np.testing.assert_allclose(loss.detach().numpy() if reduction == "none" else loss.item(), want,
                               rtol=1e-12)
    loss.sum().backward()
    onehot = np.eye(5)[t]
    scale = 1 / 4 if reduction == "mean" else 1
    np.testing.assert_allclose(x.grad.numpy(), (np.exp(lp) - onehot) * scale, rtol=1e-10,
                               atol=1e-14)


def test_cross_entropy_weight_ignore_index_and_shapes() -> None:
    rng = np.random.default_rng(2)
    a = rng.standard_normal((3, 4))
    lp = _np_log_softmax(a, 1)
    w = np.array([1., 2., 3., 4.])
    t = np.array([1, -100, 3])
    loss = F.cross_entropy(sg.tensor(a), sg.tensor(t), weight=sg.tensor(w))
    want = -(w[1] * lp[0, 1] + w[3] * lp[2, 3]) / (w[1] + w[3])
    assert loss.item() == pytest.approx(want, rel=1e-12)
    assert F.cross_entropy(sg.tensor(a[0]), sg.tensor(2)).item() == pytest.approx(-lp[0, 2])
    x3 = rng.standard_normal((2, 4, 3))  # (N, C, d): classes along dim 1
    t3 = np.array([[0, 3, 1], [2, 2, 0]])
    lp3 = _np_log_softmax(x3, 1)
    loss3 = F.cross_entropy(sg.tensor(x3, requires_grad=True), sg.tensor(t3))
    assert loss3.grad_fn.name() == "NllLoss2DBackward0"
    want3 = -np.mean([lp3[n, t3[n, k], k] for n in range(2) for k in range(3)])
    assert loss3.item() == pytest.approx(want3, rel=1e-12)
    probs = rng.dirichlet(np.ones(4), size=3)
    soft = F.cross_entropy(sg.tensor(a), sg.tensor(probs))
    assert soft.item() == pytest.approx(-(probs * lp).sum(1).mean(), rel=1e-12)


def test_cross_entropy_errors_as_pytorch() -> None:
    x = sg.tensor(np.zeros((3, 5)), requires_grad=True)
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target "
                                         r"batch_size \(2\)\."):
        F.cross_entropy(x, sg.tensor([1, 0]))
    with pytest.raises(IndexError, match="Target 5 is out of bounds."):
        F.cross_entropy(x, sg.tensor([1, 0, 5]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds."):
        F.cross_entropy(x, sg.tensor([1, 0, -1]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got "
                                           "Float"):
        F.cross_entropy(x, sg.tensor([1., 0., 2.]))
    with pytest.raises(RuntimeError, match="0D or 1D target tensor expected, multi-target not "
                                           "supported"):
        F.cross_entropy(x, sg.zeros(3, 4))
    with pytest.raises(RuntimeError, match=r"Expected target size \[2, 4\], got \[2, 3\]"):
        F.cross_entropy(sg.zeros(2, 5, 4), sg.tensor(np.zeros((2, 3), dtype=np.int64)))
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        F.cross_entropy(x, sg.tensor([1, 0, 2]), reduction="foo")


def test_losses_are_stable_for_extreme_logits() -> None:
    x = sg.tensor([[1e4, -1e4, 0.]], requires_grad=True)
    loss = F.cross_entropy(x, sg.tensor([1]))
    assert loss.item() == pytest.approx(2e4)
    loss.backward()
    assert np.all(np.isfinite(x.grad.numpy()))
    np.testing.assert_allclose(x.grad.numpy(), [[1., -1., 0.]])
