"""The backward engine: order, accumulation, ``gradient=``, ``retain_graph``,
non-leaf grads, deep graphs and PyTorch's errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import symgrad as sg


def test_seed_example_gradients() -> None:
    a = sg.tensor([1, 2, 3.], requires_grad=True)
    out = a * a
    y = out.sum()
    y += sg.matmul(out, out)
    y.backward()
    assert repr(a.grad) == "tensor([  6.,  36., 114.])"


def test_gradients_accumulate_across_backward_calls() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    (x * x).sum().backward()
    (x * 3).sum().backward()
    assert x.grad.tolist() == [5., 7.]


def test_grad_none_resets_accumulation() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    (x * 3).sum().backward()
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2., 2.]


def test_gradient_argument_for_non_scalar_outputs() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    (x * x).backward(sg.tensor([1., 10.]))
    assert x.grad.tolist() == [2., 40.]


def test_gradient_of_wrong_shape_raises() -> None:
    x = sg.tensor([1., 2., 3.], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"Mismatch in shape: grad_output\[0\] has a shape of "
                                           r"torch.Size\(\[2\]\) and output\[0\] has a shape of "
                                           r"torch.Size\(\[3\]\)."):
        (x * 2).backward(sg.ones(2))


def test_implicit_gradient_of_non_scalar_raises() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError, match="^grad can be implicitly created only for scalar "
                                           "outputs$"):
        (x * 2).backward()


def test_backward_on_tensor_without_grad_raises() -> None:
    with pytest.raises(RuntimeError, match="^element 0 of tensors does not require grad and does "
                                           "not have a grad_fn$"):
        sg.tensor([1., 2.]).sum().backward()


def test_one_element_non_scalar_output_gets_implicit_gradient() -> None:
    x = sg.tensor([3.], requires_grad=True)
    (x * x).backward()
    assert x.grad.tolist() == [6.]


def test_shared_subexpressions_are_summed() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x * 2
    z = (y.exp() + y * y).sum()
    z.backward()
    expected = 2 * np.exp([2., 4.]) + 8 * np.array([1., 2.])
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6)


def test_each_node_runs_once_after_all_its_consumers() -> None:
    calls: list[str] = []
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x * 2
    a, b = y.sin(), y.cos()
    y.grad_fn.register_hook(lambda gi, go: calls.append("y"))
    a.grad_fn.register_hook(lambda gi, go: calls.append("a"))
    b.grad_fn.register_hook(lambda gi, go: calls.append("b"))
    (a + b).sum().backward()
    assert calls.count("y") == 1 and calls.index("y") == 2


def test_broadcast_gradients_are_summed_to_input_shapes() -> None:
    x = sg.ones(3, 1, requires_grad=True)
    w = sg.ones(4, requires_grad=True)
    s = sg.tensor(2., requires_grad=True)
    (x * w * s).sum().backward()
    assert x.grad.tolist() == [[8.], [8.], [8.]]
    assert w.grad.tolist() == [6.] * 4
    assert s.grad.item() == 12.


def test_grad_keeps_the_leaf_dtype() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    (x * sg.tensor([1., 2.], dtype=sg.float64)).sum().backward()
    assert x.grad.dtype == sg.float32
    d = sg.tensor([1., 2.], dtype=sg.float64, requires_grad=True)
    (d * sg.tensor([1., 2.])).sum().backward()
    assert d.grad.dtype == sg.float64


def test_non_leaf_grad_is_none_with_pytorch_warning() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x * 2
    y.sum().backward()
    with pytest.warns(UserWarning, match="The .grad attribute of a Tensor that is not a leaf"):
        assert y.grad is None


def test_retain_grad_keeps_non_leaf_grad() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x * 2
    y.retain_grad()
    (y * y).sum().backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert y.grad.tolist() == [4., 8.]


def test_deep_chain_needs_no_recursion() -> None:
    x = sg.tensor([0.5], requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0
    y.sum().backward()
    assert x.grad.tolist() == [1.0]


def test_autograd_grad_does_not_touch_dot_grad() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    (g,) = sg.autograd.grad((x ** 3).sum(), x)
    assert g.tolist() == [3., 12.] and x.grad is None


def test_autograd_grad_unused_input() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    u = sg.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError, match="The differentiated Tensor at index 1 appears to not "
                                           "have been used in the graph"):
        sg.autograd.grad((x * 2).sum(), [x, u])
    gx, gu = sg.autograd.grad((x * 2).sum(), [x, u], allow_unused=True)
    assert gu is None and gx.tolist() == [2., 2.]


def test_create_graph_gives_differentiable_gradients() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    (g,) = sg.autograd.grad((x ** 3).sum(), x, create_graph=True)
    assert g.requires_grad
    g.sum().backward()
    assert x.grad.tolist() == [6., 12.]


def test_backward_inputs_restricts_accumulation() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    w = sg.tensor([3., 4.], requires_grad=True)
    (x * w).sum().backward(inputs=[x])
    assert x.grad.tolist() == [3., 4.] and w.grad is None


def test_detach_cuts_the_graph() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x * 2
    (y.detach() * x).sum().backward()
    assert x.grad.tolist() == [2., 4.]


def test_detach_in_place() -> None:
    x = sg.tensor([1., 2.], requires_grad=True)
    y = x * 2
    assert y.detach_() is y
    assert y.grad_fn is None and not y.requires_grad and y.is_leaf


def test_requires_grad_in_place() -> None:
    x = sg.tensor([1., 2.])
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad
    x.requires_grad = True
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2., 2.]


def test_requires_grad_errors() -> None:
    with pytest.raises(RuntimeError, match="^only Tensors of floating point dtype can require "
                                           "gradients$"):
        sg.tensor([1, 2]).requires_grad_()
    with pytest.raises(RuntimeError, match="^only Tensors of floating point and complex dtype can "
                                           "require gradients$"):
        sg.tensor([1, 2]).requires_grad = True
    with pytest.raises(RuntimeError, match="^Only Tensors of floating point and complex dtype can "
                                           "require gradients$"):
        sg.tensor([1, 2], requires_grad=True)
    y = sg.tensor([1.], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf "
                                           "variables."):
        y.requires_grad = False
