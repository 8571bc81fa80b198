"""The ``out=`` argument: written in place when no gradient is needed, PyTorch's error when
one is."""

from __future__ import annotations

import warnings

import pytest

import symgrad as torch


def test_out_writes_in_place_and_bumps_the_version() -> None:
    a, b = torch.tensor([1., 2.]), torch.tensor([3., 4.])
    out = torch.empty(2)
    r = torch.add(a, b, out=out)
    assert r is out and out.tolist() == [4., 6.] and out._version == 1
    torch.mul(a, b, out=out)
    assert out.tolist() == [3., 8.] and out._version == 2
    torch.cat([a, b], out=torch.empty(0))  # an empty out is resized silently


@pytest.mark.parametrize("name, call", [
    ("mul", lambda x, o: torch.mul(x, 2., out=o)),
    ("exp", lambda x, o: torch.exp(x, out=o)),
    ("sub", lambda x, o: torch.sub(x, 1, out=o)),
    ("cat", lambda x, o: torch.cat([x], out=o)),
])
def test_out_with_inputs_that_require_grad(name, call) -> None:  # noqa: ANN001
    x = torch.tensor([0., 1.], requires_grad=True)
    out = torch.empty(2)
    with pytest.raises(RuntimeError) as e:
        call(x, out)
    assert str(e.value) == (f"{name}(): functions with out=... arguments don't support automatic "
                            "differentiation, but one of the arguments requires grad.")
    with torch.no_grad():
        call(x, out)
    assert not out.requires_grad


def test_out_of_another_shape_is_resized_with_pytorchs_warning() -> None:
    out = torch.empty(3)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        torch.add(torch.ones(2), torch.ones(2), out=out)
    assert out.tolist() == [2., 2.]
    assert str(w[0].message).startswith("An output with one or more elements was resized since "
                                        "it had shape [3], which does not match the required "
                                        "output shape [2].")


def test_out_that_cannot_hold_the_result() -> None:
    with pytest.raises(RuntimeError, match="^result type Float can't be cast to the desired "
                                           "output type Long$"):
        torch.add(torch.ones(2), 1, out=torch.empty(2, dtype=torch.int64))
