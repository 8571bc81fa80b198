"""Activations and robust losses as PyTorch 2.13 computes them (``ops/activations.py``,
``ops/torch_float/activations.py``): every bit of the float32 forward and gradient
against PyTorch's recorded output (``golden/activations.json``), PyTorch's ``grad_fn``
names and saved values, in-place forms, error messages, module reprs, and the
formula side (textbook formulas, checked at depth).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import symgrad as sg
import symgrad.nn.functional as F
from symgrad.ops.torch_float import activations as K

from .activation_cases import CASES, SIZES, bits, inputs, run

GOLDEN = json.loads((Path(__file__).with_name("golden") / "activations.json").read_text())


# ------------------------------------------------------------------ PyTorch's bits
@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_forward_and_gradient_are_pytorchs_bits(case: str, size: str) -> None:
    n, seed = SIZES[size]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        forward, gradient = run(sg, case, inputs(n, seed))
    want = GOLDEN["cases"][f"{case}/{size}"]
    assert " ".join(bits(forward)) == want["forward"], f"{case}/{size} forward"
    assert " ".join(bits(gradient)) == want["gradient"], f"{case}/{size} gradient"


def test_the_golden_bits_can_tell_the_kernels_apart() -> None:
    # the test can fail: NumPy's float32 formulas miss PyTorch's bits on these inputs
    x = inputs(*SIZES["n37"])["x"]
    naive = x / (np.float32(1) + np.exp(-x))
    assert " ".join(bits(naive)) != GOLDEN["cases"]["silu/n37"]["forward"]
    assert " ".join(bits(K.silu(x))) == GOLDEN["cases"]["silu/n37"]["forward"]
    # gelu on more than one element is oneDNN's polynomial, not Vectorized<float>::erf
    assert " ".join(bits(K.gelu(x))) != GOLDEN["cases"]["gelu/n37"]["forward"]


def test_a_single_gelu_element_takes_the_aten_kernel() -> None:
    # PyTorch 2.13: gelu(tensor([-0.7])) and the C library's erff
    x = np.float32([-0.7])
    assert bits(sg.nn.functional.gelu(sg.tensor(x)).numpy()) == bits(K.gelu(x))


# ------------------------------------------------------- grad_fn names and saved values
def _x() -> sg.Tensor:
    return sg.tensor([-1.0, 0.5, 2.0], requires_grad=True)


@pytest.mark.parametrize("call, name, saved", [
    (lambda x: F.silu(x), "SiluBackward0", {}),
    (lambda x: F.gelu(x, approximate="tanh"), "GeluBackward0", {"approximate": "tanh"}),
    (lambda x: F.elu(x, 0.5), "EluBackward0", {"alpha": 0.5, "scale": 1.0, "input_scale": 1.0}),
    (lambda x: F.selu(x), "EluBackward0",
     {"alpha": 1.6732632423543772, "scale": 1.0507009873554805, "input_scale": 1.0}),
    (lambda x: F.celu(x, 1.7), "CeluBackward0", {"alpha": 1.7}),
    (lambda x: F.softplus(x), "SoftplusBackward0", {"beta": 1, "threshold": 20}),
    (lambda x: F.softplus(x, 2.0, 5.0), "SoftplusBackward0", {"beta": 2.0, "threshold": 5.0}),
    (lambda x: F.leaky_relu(x, 0.2), "LeakyReluBackward0", {"negative_slope": 0.2}),
    (lambda x: F.hardtanh(x), "HardtanhBackward0", {"min_val": -1.0, "max_val": 1.0}),
    (lambda x: F.relu6(x), "HardtanhBackward0", {"min_val": 0, "max_val": 6}),
    (lambda x: F.logsigmoid(x), "LogSigmoidBackward0", {}),
    (lambda x: F.mish(x), "MishBackward0", {}),
    (lambda x: F.hardswish(x), "HardswishBackward0", {}),
    (lambda x: F.hardsigmoid(x), "HardsigmoidBackward0", {}),
    (lambda x: F.smooth_l1_loss(x, sg.zeros(3)), "SmoothL1LossBackward0",
     {"beta": 1.0, "reduction": 1}),
    (lambda x: F.huber_loss(x, sg.zeros(3), delta=0.5, reduction="sum"), "HuberLossBackward0",
     {"delta": 0.5, "reduction": 2}),
    (lambda x: F.binary_cross_entropy_with_logits(x, sg.zeros(3)),
     "BinaryCrossEntropyWithLogitsBackward0", {}),
])
def test_grad_fn_is_pytorchs_and_saves_the_input(call, name, saved) -> None:
    x = _x()
    node = call(x).grad_fn
    assert node.name() == name
    assert node._saved_self is x
    for key, value in saved.items():
        assert getattr(node, f"_saved_{key}") == value, key


@pytest.mark.parametrize("call, name", [
    (lambda z: F.elu(z, 0.6, inplace=True), "EluBackward1"),
    (lambda z: F.selu(z, inplace=True), "EluBackward1"),
    (lambda z: F.celu(z, 1.5, inplace=True), "CeluBackward1"),
    (lambda z: F.leaky_relu(z, 0.2, inplace=True), "LeakyReluBackward1"),
])
def test_inplace_forms_save_the_result(call, name) -> None:
    z = _x() * 1
    out = call(z)
    assert out is z and z._version == 1 and out.grad_fn.name() == name
    assert out.grad_fn._saved_result.tolist() == out.tolist()


@pytest.mark.parametrize("call, name", [
    (lambda z: F.silu(z, inplace=True), "SiluBackward0"),
    (lambda z: F.hardtanh(z, inplace=True), "HardtanhBackward0"),
    (lambda z: F.relu6(z, inplace=True), "HardtanhBackward0"),
    (lambda z: F.mish(z, inplace=True), "MishBackward0"),
    (lambda z: F.hardswish(z, inplace=True), "HardswishBackward0"),
    (lambda z: F.hardsigmoid(z, inplace=True), "HardsigmoidBackward0"),
])
def test_inplace_forms_that_save_the_input_keep_its_old_value(call, name) -> None:
    x = _x()
    z = x * 1
    out = call(z)
    assert out is z and out.grad_fn.name() == name
    assert out.grad_fn._saved_self.tolist() == [-1.0, 0.5, 2.0]
    assert out.tolist() != [-1.0, 0.5, 2.0]


def test_inplace_gradient_equals_out_of_place() -> None:
    a, b = _x(), _x()
    F.silu(a * 1, inplace=True).sum().backward()
    F.silu(b).sum().backward()
    assert a.grad.tolist() == b.grad.tolist()
    a, b = _x(), _x()
    F.elu(a * 1, 0.6, inplace=True).sum().backward()
    F.elu(b, 0.6).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)


def test_inplace_on_a_leaf_that_requires_grad_is_refused() -> None:
    for fn in (F.silu, F.hardtanh, F.elu, F.leaky_relu):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being "
                                               "used in an in-place operation."):
            fn(_x(), inplace=True)


@pytest.mark.parametrize("fn, word", [(lambda z: F.leaky_relu(z, -0.1, inplace=True), "leakyReLu"),
                                      (lambda z: F.elu(z, -1.0, inplace=True), "elu")])
def test_negative_slope_in_place_fails_in_backward_as_pytorch(fn, word) -> None:
    out = fn(_x() * 1)  # the forward runs (PyTorch: tensor([0.1000, 0.5000, 2.0000]))
    assert out.tolist()[1:] == [0.5, 2.0]
    with pytest.raises(RuntimeError, match=f"In-place {word} backward calculation is triggered "
                                           "with a negative slope which is not supported"):
        out.sum().backward()
    no_grad = F.leaky_relu(sg.tensor([1.0, -1.0]), -0.1, inplace=True)
    assert no_grad.tolist() == [1.0, 0.10000000149011612]


def test_hardtanh_gradient_is_zero_at_the_bounds_unlike_clamp() -> None:
    # PyTorch 2.13: tensor([0., 1., 0., 0.]) for hardtanh, clamp lets the bounds through
    t = sg.tensor([-1.0, 0.0, 1.0, 2.0], requires_grad=True)
    F.hardtanh(t).sum().backward()
    assert t.grad.tolist() == [0.0, 1.0, 0.0, 0.0]
    c = sg.tensor([-1.0, 0.0, 1.0, 2.0], requires_grad=True)
    c.clamp(-1, 1).sum().backward()
    assert c.grad.tolist() == [1.0, 1.0, 1.0, 0.0]


def test_smooth_l1_with_beta_zero_is_l1_loss_as_pytorch() -> None:
    out = F.smooth_l1_loss(_x(), sg.tensor([0.0, 1.0, 1.0]), beta=0.0)
    assert out.grad_fn.name() == "MeanBackward0" and round(out.item(), 4) == 0.8333


def test_target_gradients_are_the_negated_input_gradients() -> None:
    for loss in (F.smooth_l1_loss, F.huber_loss):
        x, y = _x(), sg.tensor([0.3, 3.0, 1.9], requires_grad=True)
        loss(x, y).backward()
        assert y.grad.tolist() == [-g for g in x.grad.tolist()]


# ------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("call, error, message", [
    (lambda: F.hardtanh(_x(), 2.0, 1.0), ValueError, "min_val cannot be greater than max_val"),
    (lambda: sg.nn.Hardtanh(2.0, 1.0), AssertionError,
     r"max_val \(1.0\) must be greater than min_val \(2.0\)"),
    (lambda: F.smooth_l1_loss(_x(), sg.zeros(3), beta=-1.0), RuntimeError,
     "smooth_l1_loss does not support negative values for beta."),
    (lambda: F.huber_loss(_x(), sg.zeros(3), delta=0.0), RuntimeError,
     "huber_loss does not support non-positive values for delta."),
    (lambda: F.smooth_l1_loss(_x(), sg.zeros(3), reduction="avg"), ValueError,
     "avg is not a valid value for reduction"),
    (lambda: F.huber_loss(_x(), sg.zeros(3), reduction="avg"), ValueError,
     "avg is not a valid value for reduction"),
    (lambda: F.celu(_x(), 0.0), RuntimeError, "ZeroDivisionError: alpha cannot be 0 for CELU"),
    (lambda: F.silu(sg.tensor([1, 2])), NotImplementedError,
     "\"silu_cpu\" not implemented for 'Long'"),
    (lambda: F.elu(sg.tensor([1, 2])), NotImplementedError,
     "\"elu_cpu\" not implemented for 'Long'"),
    (lambda: F.leaky_relu(sg.tensor([1, 2])), NotImplementedError,
     "\"leaky_relu_cpu\" not implemented for 'Long'"),
    (lambda: F.softplus(sg.tensor([1, 2])), NotImplementedError,
     "\"softplus_cpu\" not implemented for 'Long'"),
    (lambda: F.logsigmoid(sg.tensor([1, 2])), NotImplementedError,
     "\"log_sigmoid_cpu\" not implemented for 'Long'"),
    (lambda: F.smooth_l1_loss(sg.tensor([1, 2]), sg.tensor([0, 0])), NotImplementedError,
     "\"smooth_l1_cpu\" not implemented for 'Long'"),
])
def test_bad_arguments_get_pytorchs_errors(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_integer_hardtanh_and_relu6_stay_integer_as_pytorch() -> None:
    assert repr(F.relu6(sg.tensor([1, -2, 8]))) == "tensor([1, 0, 6])"
    assert repr(F.hardtanh(sg.tensor([1, -2]))) == "tensor([ 1, -1])"


def test_a_target_of_another_size_warns_as_pytorch() -> None:
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[2, 3\]\)\) that "
                                         r"is different to the input size \(torch.Size\(\[3\]\)\)"):
        out = F.smooth_l1_loss(_x(), sg.zeros(2, 3))
    assert round(out.item(), 4) == 0.7083  # PyTorch 2.13: tensor(0.7083)


# ---------------------------------------------------------------------- modules
def test_module_reprs_are_pytorchs() -> None:
    nn = sg.nn
    got = [repr(m) for m in (nn.SiLU(), nn.SiLU(True), nn.ELU(), nn.CELU(), nn.SELU(),
                             nn.Softplus(), nn.LogSigmoid(), nn.LeakyReLU(), nn.Hardtanh(),
                             nn.ReLU6(), nn.GELU(), nn.GELU("tanh"), nn.SmoothL1Loss(),
                             nn.HuberLoss(), nn.BCEWithLogitsLoss(), nn.Mish(True),
                             nn.Hardswish(True), nn.Hardsigmoid(True), nn.SELU(True),
                             nn.CELU(2.0, True), nn.ELU(inplace=True))]
    assert got == ["SiLU()", "SiLU(inplace=True)", "ELU(alpha=1.0)", "CELU(alpha=1.0)", "SELU()",
                   "Softplus(beta=1.0, threshold=20.0)", "LogSigmoid()",
                   "LeakyReLU(negative_slope=0.01)", "Hardtanh(min_val=-1.0, max_val=1.0)",
                   "ReLU6()", "GELU(approximate='none')", "GELU(approximate='tanh')",
                   "SmoothL1Loss()", "HuberLoss()", "BCEWithLogitsLoss()", "Mish(inplace=True)",
                   "Hardswish()", "Hardsigmoid()", "SELU(inplace=True)",
                   "CELU(alpha=2.0, inplace=True)", "ELU(alpha=1.0, inplace=True)"]


def test_inplace_modules_write_their_input() -> None:
    z = _x() * 1
    out = sg.nn.SiLU(inplace=True)(z)
    assert out is z and out.grad_fn.name() == "SiluBackward0"
    z = _x() * 1
    assert sg.nn.LeakyReLU(0.2, inplace=True)(z).grad_fn.name() == "LeakyReluBackward1"


# ------------------------------------------------------------------ formulas
def test_formulas_are_the_textbook_ones() -> None:
    a = sg.symbol("a", (3,))
    assert str(F.silu(a).expr) == "a*sigmoid(a)"
    assert str(F.logsigmoid(a).expr) == "log(sigmoid(a))"
    assert "where" in str(F.elu(a).expr).lower()


def test_formula_gradient_matches_the_tape_in_float64() -> None:
    x = sg.tensor([-1.3, -0.2, 0.4, 2.5], dtype=sg.float64, requires_grad=True, name="x")
    y = sg.tensor([0.1, 0.9, -0.3, 0.0], dtype=sg.float64)
    loss = (F.silu(x) * F.softplus(x, 2.0, 3.0)).sum() + F.smooth_l1_loss(F.elu(x), y) \
        + F.huber_loss(F.leaky_relu(x, 0.1), y, delta=0.5) + F.logsigmoid(x).sum()
    report = sg.check(loss)
    assert report.passed, report


def test_deep_chains_of_activations_build_and_check() -> None:
    # a depth-60 program: formulas are DAGs, so this stays a formula of about 60 nodes
    x = sg.tensor([0.3, -0.7, 1.1], dtype=sg.float64, requires_grad=True, name="x")
    h = x
    fns = [F.silu, lambda v: F.elu(v, 0.5), lambda v: F.softplus(v), F.logsigmoid,
           lambda v: F.leaky_relu(v, 0.3), lambda v: F.gelu(v, approximate="tanh")]
    for i in range(60):
        h = fns[i % len(fns)](h) * 0.9 + 0.1
    report = sg.check(h.sum())
    assert report.passed, report
