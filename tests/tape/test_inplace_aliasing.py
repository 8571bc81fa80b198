"""An in-place op whose other input is ``self`` or a view of it, as PyTorch 2.13 does it:
the input is saved *before* the write (so backward finds it modified), a partly
overlapping dense input is refused, and forward mode through a saved old value keeps
its tangent (``func.hessian`` through ``pow_``). Expected texts recorded from torch."""

from __future__ import annotations

import pytest

import symgrad as torch

STALE = ("one of the variables needed for gradient computation has been modified by an "
         "inplace operation: [torch.FloatTensor [3]], which is output 0 of {node}, is at "
         "version {now}; expected version {then} instead. Hint: enable anomaly detection to "
         "find the operation that failed to compute its gradient, with "
         "torch.autograd.set_detect_anomaly(True, check_nan=False).")
OVERLAP = ("unsupported operation: some elements of the input tensor and the written-to "
           "tensor refer to a single memory location. Please clone() the tensor before "
           "performing the operation.")


def _grad(fn):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    fn(a * 1).sum().backward()
    return a.grad.tolist()


def test_inputs_that_need_no_saving_are_fine() -> None:
    assert _grad(lambda b: (b.add_(b), b)[1]) == [2.0, 2.0, 2.0]  # PyTorch: tensor([2., 2., 2.])
    assert _grad(lambda b: (b.div_(b * 2), b)[1]) == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("fn, node, now, then", [
    (lambda b: (b.pow_(b), b)[1], "Pow1", 1, 0),
    (lambda b: (b.mul_(b.view(3)), b)[1], "AsStrided", 1, 0),
    (lambda b: (b.sin_(), b.mul_(b), b)[2], "Mul", 2, 1),
])
def test_self_saved_before_the_write_is_stale_in_backward(fn, node, now, then) -> None:
    with pytest.raises(RuntimeError) as e:
        _grad(fn)
    assert str(e.value) == STALE.format(node=node, now=now, then=then)


@pytest.mark.parametrize("fn", [
    lambda b: b[1:].mul_(b[:-1]),
    lambda b: b.add_(b[0]),
    lambda b: b.view(1, 3).add_(b.view(3, 1)[:1]),
])
def test_partly_overlapping_input_is_refused(fn) -> None:
    b = torch.ones(3)
    with pytest.raises(RuntimeError) as e:
        fn(b)
    assert str(e.value) == OVERLAP


def test_strided_and_identical_views_are_not_checked() -> None:
    b = torch.ones(4)
    b[::2].add_(b[1::2])  # not dense: PyTorch does not check ("too hard")
    c = torch.ones(2, 3)
    c.add_(c.t().t())  # the very same view: full overlap is allowed
    assert b.tolist() == [2.0, 1.0, 2.0, 1.0] and c.tolist() == [[2.0] * 3] * 2


def test_forward_mode_through_a_saved_old_value() -> None:
    def f(a):
        return (a * 1).pow_(3).sum()
    a = torch.tensor([1.0, 2.0])
    assert torch.func.hessian(f)(a).tolist() == [[6.0, 0.0], [0.0, 12.0]]  # as PyTorch
    _, tangent = torch.func.jvp(torch.func.grad(f), (a,), (torch.tensor([1.0, 0.0]),))
    assert tangent.tolist() == [6.0, 0.0]
