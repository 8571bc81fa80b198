"""Live comparison with PyTorch when it is installed: random shapes, dims, views
and lengths, summed and passed through ``sigmoid``/``pow``, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symgrad.ops.torch_float import cascade_mean, cascade_sum, pow_scalar, sigmoid

torch = pytest.importorskip("torch")


@st.composite
def _arrays(draw):
    shape = tuple(draw(st.lists(st.integers(1, 40), min_size=1, max_size=4)))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    x = np.random.default_rng(seed).standard_normal(shape) * 10.0 ** draw(st.integers(-3, 3))
    x = x.astype(dtype)
    if draw(st.booleans()) and x.ndim > 1:
        x = np.swapaxes(x, 0, -1)  # a view PyTorch sees with the same strides
    return x


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """These sums are compared on one thread (PyTorch splits big sums across threads);
    the count is put back for the tests that follow."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@given(_arrays(), st.data())
def test_sum_and_mean_match_pytorch(x, data) -> None:
    dims = data.draw(st.one_of(st.none(), st.sets(st.integers(0, x.ndim - 1), min_size=1)))
    keepdim = data.draw(st.booleans())
    t = torch.from_numpy(x)
    if dims is None:
        want, got = t.sum().numpy(), cascade_sum(x)
    else:
        d = tuple(sorted(dims))
        want, got = t.sum(d, keepdim=keepdim).numpy(), cascade_sum(x, d, keepdim)
        assert np.array_equal(t.mean(d, keepdim=keepdim).numpy(), cascade_mean(x, d, keepdim))
    assert want.shape == got.shape and np.array_equal(want, got)


@given(st.integers(1, 200), st.integers(0, 2 ** 32 - 1))
def test_sigmoid_and_pow_match_pytorch(n, seed) -> None:
    x = (np.random.default_rng(seed).standard_normal(n) * 6).astype(np.float32)
    t = torch.from_numpy(x)
    assert np.array_equal(torch.sigmoid(t).numpy(), sigmoid(x))
    for e in (2, 3, -1, -2, -0.5):
        assert np.array_equal((t ** e).numpy(), pow_scalar(x, e), equal_nan=True)
    x = x.astype(np.float64)
    t = torch.from_numpy(x)
    for e in (2, 3, -1, -2, -0.5):
        assert np.array_equal((t ** e).numpy(), pow_scalar(x, e), equal_nan=True)
