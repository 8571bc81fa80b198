"""PyTorch's legacy surface: ``torch.Tensor(...)``, ``torch.FloatTensor`` and friends,
``torch.autograd.Variable``, ``is_tensor``, ``numel``, ``Tensor.type``."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as torch
from symgrad.autograd import Variable


def test_tensor_class_builds_default_float_tensors() -> None:
    assert repr(torch.Tensor([0, 0, 0])) == "tensor([0., 0., 0.])"
    assert torch.Tensor(np.array([1, 2])).dtype == torch.float32
    assert torch.Tensor(2, 3).shape == (2, 3) and repr(torch.Tensor()) == "tensor([])"
    t = torch.tensor([1, 2])
    alias = torch.Tensor(t)
    assert alias.dtype == torch.int64 and alias._version == t._version


@pytest.mark.parametrize("args, message", [
    ((2.5,), "new(): data must be a sequence (got float)"),
    (("a",), "new(): invalid data type 'str'"),
])
def test_tensor_class_errors(args, message) -> None:  # noqa: ANN001
    with pytest.raises(TypeError) as e:
        torch.Tensor(*args)
    assert str(e.value) == message


def test_legacy_constructors() -> None:
    assert repr(torch.FloatTensor([1, 2, 3])) == "tensor([1., 2., 3.])"
    assert repr(torch.DoubleTensor([1, 2])) == "tensor([1., 2.], dtype=torch.float64)"
    assert repr(torch.LongTensor([1.7])) == "tensor([1])"
    assert repr(torch.IntTensor([1, 2])) == "tensor([1, 2], dtype=torch.int32)"
    assert repr(torch.BoolTensor([True, False])) == "tensor([ True, False])"
    assert torch.FloatTensor(2, 3).shape == (2, 3)
    assert repr(torch.FloatTensor) == "<class 'torch.FloatTensor'>"
    assert torch.FloatTensor.dtype == torch.float32
    assert isinstance(torch.ones(1), torch.FloatTensor)
    assert not isinstance(torch.ones(1), torch.LongTensor)


def test_type_method() -> None:
    x = torch.ones(1)
    assert x.type() == "torch.FloatTensor"
    assert x.type(torch.DoubleTensor).dtype == torch.float64
    assert x.type("torch.DoubleTensor").dtype == torch.float64
    assert x.type(torch.float16).dtype == torch.float16


def test_variable_returns_a_tensor() -> None:
    v = Variable(torch.tensor([1., 2.]))
    assert not v.requires_grad and isinstance(v, Variable) and isinstance(v, torch.Tensor)
    w = Variable(torch.tensor([1., 2.]), requires_grad=True)
    assert w.is_leaf and repr(w) == "tensor([1., 2.], requires_grad=True)"
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3., 3.]
    assert isinstance(torch.zeros(1), Variable)
    with pytest.raises(TypeError, match="^Variable data has to be a tensor, but got list$"):
        Variable([1., 2.])
    with pytest.warns(UserWarning, match="^volatile was removed and now has no effect"):
        assert not Variable(torch.ones(2), volatile=True).requires_grad
    t = torch.ones(2)
    Variable(t).add_(1)  # shares storage and version counter, as in PyTorch
    assert t.tolist() == [2., 2.] and t._version == 1


def test_small_helpers() -> None:
    assert torch.is_tensor(torch.tensor([1])) and not torch.is_tensor([1])
    assert torch.numel(torch.zeros(1, 2, 3, 4, 5)) == 120
    assert torch.is_floating_point(torch.zeros(1)) and not torch.tensor([1]).is_floating_point()
