"""``gradcheck``/``gradgradcheck``: they pass right derivatives, catch wrong ones, and
word the failure as PyTorch does."""

from __future__ import annotations

import pytest

import symgrad as torch
from symgrad.autograd.jacobian_check import GradcheckError


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g


class FlatSecondOrder(Cube):
    """Right first derivative, but its backward is not differentiable in x."""

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x.detach() ** 2 * g


def _x():
    return torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64, requires_grad=True)


def test_right_first_and_second_derivatives_pass() -> None:
    assert torch.autograd.gradcheck(Cube.apply, (_x(),))
    assert torch.autograd.gradgradcheck(Cube.apply, (_x(),))
    assert torch.autograd.gradcheck(Cube.apply, (_x(),), check_forward_ad=False, fast_mode=True)


def test_gradgradcheck_catches_a_backward_that_hides_its_dependence_on_x() -> None:
    assert torch.autograd.gradcheck(FlatSecondOrder.apply, (_x(),))
    assert not torch.autograd.gradgradcheck(FlatSecondOrder.apply, (_x(),),
                                            raise_exception=False)


def test_a_mismatch_raises_gradcheck_error_with_both_jacobians() -> None:
    class Wrong(Cube):
        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x ** 2 * g

    x = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        torch.autograd.gradcheck(Wrong.apply, (x,))
    assert str(info.value) == (
        "Jacobian mismatch for output 0 with respect to input 0,\n"
        "numerical:tensor([[ 3.0000,  0.0000],\n        [ 0.0000, 12.0000]], "
        "dtype=torch.float64)\n"
        "analytical:tensor([[2., 0.],\n        [0., 8.]], dtype=torch.float64)\n")
    assert isinstance(info.value, RuntimeError)


def test_float32_inputs_warn_and_move_by_eps_in_float32() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    with pytest.warns(UserWarning, match="Input #0 requires gradient and is not a double"), \
            pytest.raises(GradcheckError, match=r"numerical:tensor\(\[\[ 2.9504,"):
        torch.autograd.gradcheck(Cube.apply, (x,))


def test_forward_mode_is_checked_when_asked() -> None:
    class NoJvp(Cube):
        pass

    with pytest.raises(NotImplementedError, match="jvp function"):
        torch.autograd.gradcheck(NoJvp.apply, (_x(),), check_forward_ad=True)
    assert torch.autograd.gradcheck(lambda t: t.sin() * t, (_x(),), check_forward_ad=True)
