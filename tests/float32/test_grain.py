"""Past PyTorch's grain size (32768 elements) the elementwise float32 functions take
NumPy's fast path; at or below it, PyTorch's own rounding (the goldens)."""

from __future__ import annotations

import numpy as np
import pytest

from symgrad.ops import torch_float as tf
from symgrad.ops.torch_float.unary import GRAIN


@pytest.mark.parametrize("name, fast", [
    ("exp", np.exp), ("sin", np.sin), ("tanh", np.tanh),
    ("sigmoid", lambda x: np.float32(1) / (np.float32(1) + np.exp(-x))),
])
def test_big_arrays_take_numpys_float32_path(name: str, fast) -> None:
    x = np.linspace(-5, 5, GRAIN + 1, dtype=np.float32)
    got = getattr(tf, name)(x)
    assert got.dtype == np.float32
    if tf.mkl.available() and name != "sigmoid":  # VML's bits do not depend on the size
        np.testing.assert_array_equal(got, tf.mkl.vml(name, x))
        assert (got != fast(x)).any()
        return
    np.testing.assert_array_equal(got, fast(x))


def test_the_exact_path_is_kept_up_to_the_grain() -> None:
    x = np.full(GRAIN, 2.0, dtype=np.float32)
    assert float(tf.exp(x)[0]) == 7.389056205749512  # PyTorch's, not NumPy's float32 exp
    assert float(np.exp(x)[0]) != 7.389056205749512


def test_pow_of_a_big_array_is_numpys() -> None:
    x = np.linspace(0.1, 3, GRAIN + 1, dtype=np.float32)
    np.testing.assert_array_equal(tf.pow_scalar(x, 1.5), np.power(x, np.float32(1.5)))
