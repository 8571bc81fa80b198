"""``index_copy`` / ``index_copy_``: values, ``IndexCopyBackward0`` gradients and errors
(PyTorch 2.13's, recorded)."""

from __future__ import annotations

import pytest

import symgrad as torch


def test_docstring_example_and_version() -> None:
    x = torch.zeros(5, 3)
    t = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=torch.float)
    assert x.index_copy_(0, torch.tensor([0, 4, 2]), t) is x
    assert x.tolist() == [[1, 2, 3], [0, 0, 0], [7, 8, 9], [0, 0, 0], [4, 5, 6]]
    assert x._version == 1
    assert torch.ones(3).index_copy(0, torch.tensor([0, 0]), torch.tensor([1., 2])).tolist() \
        == [2., 1., 1.]  # the last write wins, as in PyTorch


def test_gradients_match_pytorch() -> None:
    x = torch.ones(4, 2, requires_grad=True)
    src = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    z = (x * 2).index_copy(0, torch.tensor([3, 1]), src)
    assert repr(z).endswith("grad_fn=<IndexCopyBackward0>)")
    (z * torch.arange(8.).reshape(4, 2)).sum().backward()
    assert x.grad.tolist() == [[0., 2.], [0., 0.], [8., 10.], [0., 0.]]
    assert src.grad.tolist() == [[6., 7.], [2., 3.]]


def test_formula_of_index_copy() -> None:
    x = torch.ones(3, requires_grad=True, name="x")
    y = x.index_copy(0, torch.tensor([1]), torch.tensor([5.]))
    (y * y).sum().backward()
    assert x.grad.tolist() == [2., 0., 2.]
    assert x.grad_formula is not None


@pytest.mark.parametrize("call, exc, message", [
    (lambda: torch.ones(2).index_copy_(0, torch.tensor([0.]), torch.ones(1)), RuntimeError,
     "index_copy_(): Expected a long tensor for index, but got Float"),
    (lambda: torch.ones(2).index_copy_(0, torch.tensor([5]), torch.ones(1)), IndexError,
     "index_copy_(): index 5 is out of bounds for dimension 0 with size 2"),
    (lambda: torch.ones(2, 3).index_copy_(1, torch.tensor([0, 1]), torch.ones(2)), IndexError,
     "index_copy_(): When source and destination are not scalars, their dimensionality must "
     "match. Source dimensionality (1), destination dimensionality (2)"),
    (lambda: torch.ones(3).index_copy_(0, torch.tensor([0, 1]), torch.ones(3)), IndexError,
     "index_copy_(): Number of indices (2) should be equal to source.size(dim) (3)"),
    (lambda: torch.ones(3).index_copy_(0, torch.tensor([1]), torch.ones(1, dtype=torch.float64)),
     RuntimeError, "index_copy_(): self and source expected to have the same dtype, but got "
     "(self) Float and (source) Double"),
    (lambda: torch.zeros(5, 3, 4).index_copy_(1, torch.tensor([0]), torch.zeros(2, 1, 3)),
     RuntimeError, "index_copy_(): Source/destination tensor must have same slice shapes. "
     "Destination slice shape: 5 4 at dimension 1 and source slice shape: 2 3 at dimension 0."),
])
def test_errors_are_pytorchs(call, exc, message) -> None:  # noqa: ANN001
    with pytest.raises(exc) as e:
        call()
    assert str(e.value) == message
