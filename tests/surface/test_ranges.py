"""``arange`` and ``linspace`` give PyTorch's exact values (golden data recorded from
torch 2.13; a live comparison when torch is installed)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import symgrad as torch
from symgrad.eager.ranges import arange_values, fma, linspace_values


def test_float_arange_is_start_plus_i_step_as_pytorch_computes_it() -> None:
    x = torch.arange(-8.0, 8.0, 0.1)
    assert len(x) == 160
    assert x[75:85].tolist() == [  # torch 2.13 (NumPy gives -2.842170943040401e-14 at [80])
        -0.5, -0.4000000059604645, -0.30000001192092896, -0.20000001788139343,
        -0.10000000894069672, 4.440892098500626e-16, 0.10000000149011612, 0.20000000298023224,
        0.30000001192092896, 0.4000000059604645]
    assert torch.relu(x)[80].item() > 0  # relu'(x[80]) is 1, as in PyTorch


def test_double_arange_and_linspace_golden() -> None:
    assert torch.arange(0, 2, 0.1, dtype=torch.float64)[16:20].tolist() == [
        1.6, 1.7000000000000002, 1.8, 1.9000000000000001]
    assert torch.linspace(-1.59, 9.309, 104, dtype=torch.float64)[39:43].tolist() == [
        2.5368058252427184, 2.642621359223301, 2.748436893203883, 2.854252427184466]
    assert torch.linspace(-5.0, -4.0, 176)[13:18].tolist() == [
        -4.925714492797852, -4.920000076293945, -4.914285659790039, -4.908571243286133,
        -4.902857303619385]


def test_arange_dtypes_and_reprs() -> None:
    assert repr(torch.arange(5)) == "tensor([0, 1, 2, 3, 4])"
    assert repr(torch.arange(1, 2.5, 0.5)) == "tensor([1.0000, 1.5000, 2.0000])"
    assert repr(torch.arange(10, 0, -3)) == "tensor([10,  7,  4,  1])"
    assert torch.arange(2, dtype=torch.float64).dtype == torch.float64
    assert torch.arange(torch.tensor(3)).tolist() == [0, 1, 2]


@pytest.mark.parametrize("call, message", [
    (lambda: torch.arange(0, 1, 0), "step must be nonzero"),
    (lambda: torch.arange(1, 0, 1), "upper bound and lower bound inconsistent with step sign"),
    (lambda: torch.arange(0., float("inf"), 1.), "unsupported range: 0 -> inf"),
    (lambda: torch.linspace(0, 1, -1), "number of steps must be non-negative"),
])
def test_range_errors_are_pytorchs(call, message) -> None:  # noqa: ANN001
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        call()


def test_fma_rounds_once() -> None:
    assert float(fma(0.1, 80.0, -8.0)) == 4.440892098500626e-16
    assert float(fma(0.3, 3.0, 0.0)) == 0.3 * 3.0  # no addend: the product's own rounding


DECIMALS = st.integers(-5000, 5000).map(lambda k: k / 100)  # what people write: -8.0, 0.25


@given(DECIMALS, st.sampled_from([0.1, 0.3, 0.05, 1 / 3, -0.1, 2.5]),
       st.integers(1, 200), st.sampled_from([np.float32, np.float64]))
def test_arange_matches_pytorch_live(start: float, step: float, n: int, dt: type) -> None:
    torch_ = pytest.importorskip("torch")
    end = start + step * n
    want = torch_.arange(start, end, step, dtype=getattr(torch_, np.dtype(dt).name)).numpy()
    got = arange_values(start, end, step, np.dtype(dt))
    assert got.shape == want.shape and np.array_equal(got, want)


@given(DECIMALS, DECIMALS, st.integers(0, 300),
       st.sampled_from([np.float32, np.float64]))
def test_linspace_matches_pytorch_live(start: float, end: float, steps: int, dt: type) -> None:
    torch_ = pytest.importorskip("torch")
    want = torch_.linspace(start, end, steps, dtype=getattr(torch_, np.dtype(dt).name)).numpy()
    got = linspace_values(start, end, steps, np.dtype(dt))
    assert np.array_equal(got, want)
