"""Saved tensors: each op saves what PyTorch's formula saves, checks its version
in backward and is freed after it (so which graphs can run backward twice is
PyTorch's)."""

from __future__ import annotations

import pytest

import symgrad as sg

STALE = ("one of the variables needed for gradient computation has been modified by an "
         "inplace operation: ")


@pytest.mark.parametrize("op,saved", [
    ("x * w", ("other", "self")), ("x * 2", ("other",)), ("x + w", ()), ("x - w", ()),
    ("x / w", ("self", "other")), ("x ** 2", ("self",)), ("x.exp()", ("result",)),
    ("x.sigmoid()", ("result",)), ("x.tanh()", ("result",)), ("x.sin()", ("self",)),
    ("x.log()", ("self",)), ("x.sqrt()", ("result",)), ("x.relu()", ("result",)),
    ("x.abs()", ("self",)), ("x.sum()", ()), ("x.prod()", ("self", "result")),
    ("x @ w", ("other", "self")), ("x.max()", ("self", "result")), ("x.max(0)[0]", ("indices",)),
])
def test_each_op_saves_what_pytorch_saves(op: str, saved: tuple) -> None:
    x = sg.tensor([1., 2., 3.], requires_grad=True)
    w = sg.tensor([1., 2., 3.], requires_grad=True)
    y = eval(op, {"x": x, "w": w})
    assert sorted(y.grad_fn.saved_tensor_names) == sorted(saved)


def test_mul_saves_only_what_the_other_gradient_needs() -> None:
    x = sg.tensor([1., 2., 3.])
    w = sg.tensor([1., 2., 3.], requires_grad=True)
    y = x * w
    assert y.grad_fn.saved_tensor_names == ("self",)
    w_only = sg.tensor([1., 2., 3.])
    y2 = w * w_only
    assert y2.grad_fn.saved_tensor_names == ("other",)


def test_modifying_a_saved_constant_input_raises_without_output_part() -> None:
    x = sg.tensor([1., 2., 3.])
    w = sg.tensor([1., 2., 3.], requires_grad=True)
    y = x * w
    x.add_(1)
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    assert str(info.value).startswith(
        STALE + "[torch.FloatTensor [3]] is at version 1; expected version 0 instead.")


def test_modifying_an_unsaved_input_is_fine() -> None:
    x = sg.tensor([1., 2., 3.])
    w = sg.tensor([1., 2., 3.], requires_grad=True)
    y = x + w
    x.add_(1)
    y.sum().backward()
    assert w.grad.tolist() == [1., 1., 1.]


def test_stale_output_names_the_node_that_saved_it() -> None:
    a = sg.tensor([1., 2., 3.], requires_grad=True)
    out = a.sigmoid()
    out.detach().zero_()
    with pytest.raises(RuntimeError) as info:
        out.sum().backward()
    assert str(info.value).startswith(
        STALE + "[torch.FloatTensor [3]], which is output 0 of Sigmoid, is at version 1; "
        "expected version 0 instead.")


def test_stale_input_is_named_by_its_current_grad_fn() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    z = x * 1
    y = z.sin()
    z.add_(1)
    with pytest.raises(RuntimeError, match=r"\[torch.FloatTensor \[2\]\], which is output 0 of "
                                           r"Add, is at version 1"):
        y.sum().backward()


def test_stale_message_reports_dtype_and_shape() -> None:
    x = sg.tensor([[1., 2.]], dtype=sg.float64, requires_grad=True)
    y = x.exp()
    y.data  # .data does not bump
    y.detach().mul_(2)
    with pytest.raises(RuntimeError, match=r"\[torch.DoubleTensor \[1, 2\]\], which is output 0 "
                                           r"of Exp, is at version 1"):
        y.sum().backward()


def test_data_mutation_is_not_detected() -> None:
    a = sg.tensor([1., 2., 3.], requires_grad=True)
    out = a.sigmoid()
    out.data.zero_()
    out.sum().backward()
    assert a.grad.tolist() == [0., 0., 0.]


def test_sum_can_backward_twice_exp_cannot() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x.sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [2., 2.]
    z = x.exp().sum()
    z.backward()
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second time"):
        z.backward()


@pytest.mark.parametrize("op", ["x * 2", "x / 2", "2 ** x", "x.clamp(0, 1)", "x.max(0)[0]"])
def test_saved_python_numbers_and_indices_are_freed_too(op: str) -> None:
    x = sg.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y = eval(op, {"x": x}).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="^Trying to backward through the graph a second time"):
        y.backward()


@pytest.mark.parametrize("op", ["x + 2", "x - 2", "2 - x", "x.mean()", "x.t()", "x.reshape(4)",
                                "x.expand(2, 2, 2)", "x.clone()"])
def test_graphs_without_saved_values_can_backward_twice(op: str) -> None:
    x = sg.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    y = eval(op, {"x": x}).sum()
    y.backward()
    y.backward()
    assert x.grad is not None


def test_retain_graph_keeps_saved_tensors() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x.exp().sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == pytest.approx([2 * 2.7182817, 2 * 7.389056], rel=1e-6)
