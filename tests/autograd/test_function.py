"""``autograd.Function``: the node, its ctx, what backward may return, saved tensors.

The values, reprs and messages pinned here were recorded from PyTorch 2.13
(the corpus snippets ``tests/corpus/snippets/function_*.py`` cover the
documented examples end to end).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

import symgrad as torch
from symgrad.autograd.function import once_differentiable


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g


class Split(torch.autograd.Function):
    """Two outputs; backward records which gradients it got."""

    seen: ClassVar[list] = []

    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        Split.seen.append((g1.tolist(), g2.tolist()))
        return g1 * 2 + g2 * 3


def test_grad_fn_is_the_ctx_and_has_pytorchs_name_and_repr() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    y = Square.apply(x)
    assert y.grad_fn.name() == "SquareBackward"
    assert repr(y.grad_fn).startswith("<torch.autograd.function.SquareBackward object at 0x")
    assert repr(y) == "tensor([1., 4.], grad_fn=<SquareBackward>)"
    assert y.grad_fn.needs_input_grad == (True,)
    assert y.grad_fn.next_functions[0][0] is x.grad_fn or \
        type(y.grad_fn.next_functions[0][0]).__name__ == "AccumulateGrad"


def test_every_output_of_a_function_shares_the_node_and_gets_its_own_gradient() -> None:
    Split.seen.clear()
    x = torch.tensor([1., 2.], requires_grad=True)
    a, b = Split.apply(x)
    assert a.grad_fn is b.grad_fn
    b.sum().backward()  # only the second output is used: the first gets zeros
    assert Split.seen == [([0., 0.], [1., 1.])]
    assert x.grad.tolist() == [3., 3.]


def test_later_outputs_keep_their_place_through_views_and_other_ops() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    a, b = Split.apply(x)
    (b[1] * 10 + a[0]).backward()
    assert x.grad.tolist() == [2., 30.]


def test_hook_and_retain_grad_on_a_later_output_see_that_output_only() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    a, b = Split.apply(x)
    seen = []
    b.register_hook(lambda g: seen.append(g.tolist()))
    b.retain_grad()
    (a.sum() + 5 * b.sum()).backward()
    assert seen == [[5., 5.]]
    assert b.grad.tolist() == [5., 5.]
    assert x.grad.tolist() == [17., 17.]


def test_autograd_grad_with_respect_to_a_later_output() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    a, b = Split.apply(x)
    y = (a * b).sum()
    ga, gb = torch.autograd.grad(y, [a, b])
    assert ga.tolist() == b.tolist() and gb.tolist() == a.tolist()


def test_backward_results_are_summed_to_the_input_shape_and_cast_to_its_dtype() -> None:
    class Wide(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return torch.ones(3, 2, dtype=torch.float64)

    x = torch.tensor([1., 2.], requires_grad=True)
    Wide.apply(x).sum().backward()
    assert x.grad.tolist() == [3., 3.] and x.grad.dtype == torch.float32


def test_wrong_gradients_raise_pytorchs_errors() -> None:
    class NotTensor(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return 3.0

    x = torch.tensor([1., 2.], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^expected Variable or None \(got float\)$"):
        NotTensor.apply(x).sum().backward()


def test_saved_tensors_are_freed_after_backward_and_checked_for_inplace_writes() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    w = x * 1
    y = Square.apply(w)
    w.mul_(2)
    with pytest.raises(RuntimeError, match=r"\[torch.FloatTensor \[2\]\], which is output 0 of "
                                           r"Mul, is at version 1; expected version 0"):
        y.sum().backward()
    y = Square.apply(x)
    y.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        _ = y.grad_fn.saved_tensors


def test_saved_output_is_named_after_the_function_in_the_stale_message() -> None:
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            r = x.exp()
            ctx.save_for_backward(r)
            return r

        @staticmethod
        def backward(ctx, g):
            r, = ctx.saved_tensors
            return g * r

    x = torch.tensor([1., 2.], requires_grad=True)
    y = Exp.apply(x)
    y.mul_(2)
    with pytest.raises(RuntimeError, match="which is output 0 of Exp, is at version 1"):
        y.sum().backward()


def test_outputs_under_no_grad_or_from_inputs_not_requiring_grad_have_no_history() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    with torch.no_grad():
        assert not Square.apply(x).requires_grad
    y = Square.apply(torch.tensor([1., 2.]))
    assert y.grad_fn is None and not y.requires_grad


def test_double_backward_through_a_differentiable_backward() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    g, = torch.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    assert g.tolist() == [2., 4.]
    gg, = torch.autograd.grad((g * g).sum(), x)
    assert gg.tolist() == [8., 16.]  # d/dx (2x)^2 = 8x


def test_once_differentiable_backward_refuses_a_second_derivative() -> None:
    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * 3 * x ** 2

    x = torch.tensor([1., 2.], requires_grad=True)
    g, = torch.autograd.grad((Cube.apply(x) * x).sum(), x, create_graph=True)
    assert g.requires_grad
    with pytest.raises(RuntimeError, match="^trying to differentiate twice a function that was "
                                           "marked with @once_differentiable$"):
        g.sum().backward()


def test_forward_ad_needs_a_jvp() -> None:
    fwAD = torch.autograd.forward_ad
    with fwAD.dual_level():
        d = fwAD.make_dual(torch.tensor([1., 2.]), torch.ones(2))
        with pytest.raises(NotImplementedError, match="You must implement the jvp function"):
            Square.apply(d)


def test_setup_context_style_binds_keyword_arguments() -> None:
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(x, k=2.0):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.k = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = torch.tensor([1., 2.], requires_grad=True)
    Scale.apply(x, k=5.0).sum().backward()
    assert x.grad.tolist() == [5., 5.]


def test_instantiating_warns_and_calling_an_instance_raises() -> None:
    with pytest.warns(DeprecationWarning, match="should not be instantiated"):
        f = Square()
    with pytest.raises(RuntimeError, match="Legacy autograd function with non-static forward"):
        f(torch.ones(2))


def test_a_chain_of_sixty_functions_backpropagates() -> None:
    x = torch.tensor(np.linspace(-1, 1, 5), requires_grad=True)
    y = x
    for _ in range(60):
        y = Square.apply(y * 0.5 + 0.5)
    y.sum().backward()
    assert np.all(np.isfinite(x.grad.numpy()))


class CubeFw(torch.autograd.Function):
    """setup_context style with a jvp, for every composition of the transforms."""

    @staticmethod
    def forward(x):
        return x ** 3

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g

    @staticmethod
    def jvp(ctx, t):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * t


@pytest.mark.parametrize("outer", ["jacrev", "jacfwd"])
@pytest.mark.parametrize("inner", ["jacrev", "jacfwd"])
def test_second_derivatives_through_a_function_in_every_mode(outer: str, inner: str) -> None:
    f = getattr(torch.func, outer)(getattr(torch.func, inner)(CubeFw.apply))
    h = f(torch.tensor([1., 2.]))
    want = np.zeros((2, 2, 2))
    want[0, 0, 0], want[1, 1, 1] = 6., 12.
    np.testing.assert_allclose(h.numpy(), want)


def test_jvp_tangent_has_no_tangent_of_its_own() -> None:
    fwAD = torch.autograd.forward_ad
    with fwAD.dual_level():
        d = fwAD.make_dual(torch.tensor([1., 2.]), torch.tensor([1., 0.]))
        t = fwAD.unpack_dual(CubeFw.apply(d)).tangent
        assert repr(t) == "tensor([3., 0.])"
