"""``fma32`` of a big array runs block by block (``sleef._fma32_blocks``): the same
bits as the whole-array path, float32 midpoints and subnormals included."""

from __future__ import annotations

import numpy as np
import pytest

from symgrad.ops.torch_float import sleef


def _small_path(a, b, c) -> np.ndarray:
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float32), np.asarray(b, np.float32),
                                  np.asarray(c, np.float32))
    out = np.empty(a.shape, np.float32).reshape(-1)
    fa, fb, fc = (v.reshape(-1) for v in (a, b, c))
    with np.errstate(over="ignore"):
        for i in range(0, out.size, 5000):
            out[i:i + 5000] = sleef.fma32(fa[i:i + 5000], fb[i:i + 5000], fc[i:i + 5000])
    return out.reshape(a.shape)


@pytest.mark.parametrize("seed", [0, 1])
def test_blocks_give_the_same_bits(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = sleef._BLOCK * 4 + 1234
    scale = rng.choice(np.float32([1e-30, 1.0, 1e30]), n)
    a = (rng.standard_normal(n) * scale).astype(np.float32)
    b = rng.standard_normal(n).astype(np.float32)
    c = rng.standard_normal(n).astype(np.float32)
    a[:50], b[:50], c[:50] = np.float32(1 + 2.0 ** -23), np.float32(2.0 ** -24), 1  # midpoints
    with np.errstate(over="ignore"):
        got = sleef.fma32(a, b, c)
        got2 = sleef.fma32(-a, a, np.float32(1)).reshape(-1)
    assert np.array_equal(got.view(np.int32), _small_path(a, b, c).view(np.int32))
    assert np.array_equal(got2.view(np.int32), _small_path(-a, a, 1).view(np.int32))
    assert float(got[0]) == 1 + 2.0 ** -23  # the midpoint, rounded once (not twice: 1.0)


def test_blocks_keep_the_shape() -> None:
    x = np.ones((300, 300), np.float32)
    assert sleef.fma32(x, x, x).shape == (300, 300)
