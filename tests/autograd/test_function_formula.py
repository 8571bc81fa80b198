"""Formulas of custom Functions: the forward's formula, the user's backward's formula,
and ``sg.check`` naming the side that is wrong."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as torch
from symgrad.autograd.function_formula import forward_formula_gradients


class Legendre3(torch.autograd.Function):
    # the PyTorch tutorial's LegendrePolynomial3
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


class WrongLegendre3(Legendre3):
    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 + 1)  # sign slip


class ClippedGrad(torch.autograd.Function):
    """A straight-through estimator: its backward is deliberately not the derivative."""

    @staticmethod
    def forward(ctx, x):
        return x.relu()

    @staticmethod
    def backward(ctx, g):
        return g


def test_expr_is_the_forward_formula_in_the_inputs_formulas() -> None:
    x = torch.tensor([0.1, 0.5], name="x")
    c = torch.tensor(0.2, requires_grad=True, name="c")
    y = Legendre3.apply(c + x)
    assert str(y.expr) == "(5*(x + c)**3 - 3*(x + c))/2"


def test_grad_formula_is_the_formula_of_the_users_backward() -> None:
    x = torch.tensor([0.1, 0.5], requires_grad=True, name="x")
    Legendre3.apply(x).sum().backward()
    assert str(x.grad_formula) == "3*(5*x**2 - 1)/2"
    x.grad = None
    WrongLegendre3.apply(x).sum().backward()
    assert str(x.grad_formula) == "3*(5*x**2 + 1)/2"
    np.testing.assert_allclose(x.grad.numpy(), 1.5 * (5 * x.detach().numpy() ** 2 + 1),
                               rtol=1e-6)


def test_the_forward_formulas_derivative_is_available_too() -> None:
    x = torch.tensor([0.1, 0.5], requires_grad=True, name="x")
    y = WrongLegendre3.apply(x).sum()
    with forward_formula_gradients():
        (g,) = torch.diff(y, [x])
    assert str(g) == "15*x**2/2 - 3/2"


def test_check_passes_a_correct_backward() -> None:
    c = torch.tensor(0.2, dtype=torch.float64, requires_grad=True, name="c")
    d = torch.tensor(0.3, dtype=torch.float64, requires_grad=True, name="d")
    x = torch.linspace(-1, 1, 7, dtype=torch.float64)
    assert torch.check((Legendre3.apply(c + d * x) - x).pow(2).sum()).passed


def test_check_names_the_backward_of_the_function_as_the_culprit() -> None:
    c = torch.tensor(0.2, dtype=torch.float64, requires_grad=True, name="c")
    d = torch.tensor(0.3, dtype=torch.float64, requires_grad=True, name="d")
    x = torch.linspace(-1, 1, 7, dtype=torch.float64)
    x.name = "x"
    report = torch.check((WrongLegendre3.apply(c + d * x) - x).pow(2).sum())
    assert not report.passed
    first = report.diagnoses[0]
    assert first.cause == "custom-backward" and first.where == "WrongLegendre3"
    assert "fix WrongLegendre3.backward" in first.message
    assert "5*(x*d + c)**2 + 1" in first.message  # the user's formula, shown
    assert all(d.cause != "tape-rule" for d in report.diagnoses)


def test_check_finds_the_wrong_one_among_two_functions() -> None:
    x = torch.tensor([0.3, -0.2], dtype=torch.float64, requires_grad=True, name="x")
    report = torch.check(WrongLegendre3.apply(Legendre3.apply(x)).sum())
    assert report.diagnoses[0].where == "WrongLegendre3"


def test_a_deliberately_different_backward_is_reported_not_hidden() -> None:
    x = torch.tensor([0.5, -0.5], dtype=torch.float64, requires_grad=True, name="x")
    report = torch.check(ClippedGrad.apply(x).sum())
    assert not report.passed and report.diagnoses[0].where == "ClippedGrad"


def test_a_forward_that_cannot_run_on_formulas_leaves_the_check_to_tape_and_fd() -> None:
    class ViaNumpy(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return torch.from_numpy(np.sin(x.numpy()))

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * x.cos()

    x = torch.tensor([0.5, 1.0], dtype=torch.float64, requires_grad=True, name="x")
    y = ViaNumpy.apply(x).sum()
    with pytest.raises(NotImplementedError, match="ViaNumpy: its forward does not run on "
                                                  "symbolic tensors"):
        _ = y.expr
    report = torch.check(y)
    assert report.passed and "does not run on symbolic tensors" in report.symbolic_error


def test_formulas_of_a_chain_of_sixty_functions_are_built_linearly() -> None:
    x = torch.tensor([0.1, 0.2], requires_grad=True, name="x")
    y = x
    for _ in range(60):
        y = Legendre3.apply(y * 0.5)
    y.sum().backward()
    assert x.grad_formula is not None
    assert torch.check(y.sum()).inputs[0].symbolic_ok


def test_a_dirty_input_keeps_its_history_before_forward_wrote_into_it() -> None:
    class AddInto(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            x.add_(y)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g, g

    y = torch.tensor([1., 2.], requires_grad=True, name="y")
    w = y * 3
    z = AddInto.apply(w, y)
    assert z is w and str(z.expr) == "4*y"
    leaf = torch.zeros(2)
    out = AddInto.apply(leaf, y)
    (out * 2).sum().backward()
    assert out is leaf and y.grad.tolist() == [2., 2.]
    assert str(y.grad_formula) == "full((2,), 2)"
