"""``Tensor.movedim`` / ``moveaxis`` (the Jacobians tutorial's ``.movedim(1, 0)``): a permute,
with PyTorch 2.13's ``grad_fn`` and errors, recorded."""

from __future__ import annotations

import numpy as np
import pytest

import symgrad as sg


@pytest.mark.parametrize("src, dst", [(0, -1), (1, 0), ((0, 1), (2, 0)), ([2], [0]), ((), ())])
def test_movedim_moves_like_numpy_and_differentiates(src: object, dst: object) -> None:
    a = np.arange(24.).reshape(2, 3, 4)
    x = sg.tensor(a, requires_grad=True)
    y = x.movedim(src, dst)
    assert np.array_equal(y.detach().numpy(), np.moveaxis(a, src, dst))
    assert y.grad_fn.name() == "PermuteBackward0"
    (y * sg.tensor(np.moveaxis(a, src, dst))).sum().backward()
    assert np.array_equal(x.grad.numpy(), a)
    assert x.moveaxis(src, dst).shape == y.shape


@pytest.mark.parametrize("src, dst, exc, message", [
    ((0, 1), (0,), RuntimeError, "movedim: Invalid source or destination dims: source ([0, 1] "
     "dims) should contain the same number of dims as destination ([0] dims)"),
    ((0, 0), (1, 2), RuntimeError, "movedim: repeated dim in `source` ([0, 0])"),
    ((0, 1), (1, 1), RuntimeError, "movedim: repeated dim in `destination` ([1, 1])"),
    (5, 0, IndexError, "Dimension out of range (expected to be in range of [-3, 2], but got 5)"),
])
def test_movedim_errors_are_pytorchs(src: object, dst: object, exc: type, message: str) -> None:
    with pytest.raises(exc) as info:
        sg.ones(2, 3, 4).movedim(src, dst)
    assert str(info.value) == message
