"""``allclose``, ``isclose``, ``equal``, ``all``, ``any``: PyTorch's docstring examples and
errors, and a property test against NumPy's ``isclose``."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symgrad as torch

nan, inf = float("nan"), float("inf")


def test_docstring_examples() -> None:
    T = torch.tensor
    assert not torch.allclose(T([10000., 1e-07]), T([10000.1, 1e-08]))
    assert torch.allclose(T([10000., 1e-08]), T([10000.1, 1e-09]))
    assert not torch.allclose(T([1.0, nan]), T([1.0, nan]))
    assert torch.allclose(T([1.0, nan]), T([1.0, nan]), equal_nan=True)
    assert repr(torch.isclose(T((1., 2, 3)), T((1 + 1e-10, 3, 4)))) == \
        "tensor([ True, False, False])"
    assert repr(torch.isclose(T((inf, 4)), T((inf, 6)), rtol=.5)) == "tensor([True, True])"
    assert torch.equal(T([1, 2]), T([1, 2])) and not torch.equal(T([3, 2]), T([1, 2]))
    assert not torch.equal(T([1, 2]), T([1]))
    assert torch.equal(T([1., 2.]), T([1, 2], dtype=torch.float64))


def test_methods_and_autograd() -> None:
    x = torch.tensor([1., 2.], requires_grad=True)
    assert x.allclose(x * 1) and x.equal(x.detach()) and x.isclose(x).all().item()
    assert repr(torch.tensor([[1, 0], [1, 1]]).all(dim=1)) == "tensor([False,  True])"
    assert repr(torch.tensor([0., 0.]).any()) == "tensor(False)"


@pytest.mark.parametrize("call, exc, message", [
    (lambda: torch.allclose(torch.ones(2), torch.ones(2, dtype=torch.float64)), RuntimeError,
     "Float did not match Double"),
    (lambda: torch.isclose(torch.ones(2), torch.ones(2, dtype=torch.int64)), RuntimeError,
     "Float did not match Long"),
    (lambda: torch.allclose(torch.ones(2), torch.ones(3)), RuntimeError,
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"),
    (lambda: torch.allclose(torch.ones(2), 1), TypeError,
     "allclose(): argument 'other' (position 2) must be Tensor, not int"),
    (lambda: torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 3]), rtol=-1), RuntimeError,
     "rtol must be greater than or equal to zero, but got -1"),
])
def test_errors_are_pytorchs(call, exc, message) -> None:  # noqa: ANN001
    with pytest.raises(exc) as e:
        call()
    assert str(e.value) == message


FLOATS = st.one_of(st.floats(-1e3, 1e3), st.sampled_from([nan, inf, -inf, 0.0]))


@given(st.lists(st.tuples(FLOATS, FLOATS), min_size=1, max_size=8),
       st.sampled_from([1e-5, 0.1, 0.0]), st.sampled_from([1e-8, 1e-3, 0.0]), st.booleans())
def test_isclose_agrees_with_numpy(pairs, rtol, atol, equal_nan) -> None:  # noqa: ANN001
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    got = torch.isclose(torch.tensor(a), torch.tensor(b), rtol, atol, equal_nan).numpy()
    assert got.tolist() == np.isclose(a, b, rtol, atol, equal_nan).tolist()
