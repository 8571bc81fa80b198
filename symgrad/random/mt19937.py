"""PyTorch's CPU engine: mt19937 seeded as ``at::mt19937`` does, drawn through NumPy.

PyTorch seeds the Mersenne Twister with ``init_genrand(seed & 0xffffffff)`` and
twists on the first draw; NumPy's :class:`numpy.random.MT19937` runs the same
recurrence, so its state (key and position) set from PyTorch's gives PyTorch's
32-bit stream, vectorised.

>>> e = Engine(0)
>>> [int(v) for v in e.random32(3)]
[2357136044, 2546248239, 3071714933]
>>> int(Engine(0).random64(1)[0]) == (2357136044 << 32) | 2546248239
True
"""

from __future__ import annotations

import numpy as np

N = 624
"""Words of mt19937 state."""


def init_key(seed: int) -> np.ndarray:
    """The state ``init_genrand`` builds from the low 32 bits of ``seed``."""
    key = np.empty(N, dtype=np.uint32)
    x = seed & 0xFFFFFFFF
    key[0] = x
    for j in range(1, N):
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        key[j] = x
    return key


class Engine:
    """One mt19937 stream: ``random32`` is PyTorch's ``random()``, ``random64`` its
    ``random64()`` (two words, the first one high)."""

    __slots__ = ("_bits", "seed")

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._bits = np.random.MT19937()
        self.set_key(init_key(seed), N)

    def set_key(self, key: np.ndarray, pos: int) -> None:
        """Set the raw state: ``pos`` words of ``key`` already used (PyTorch's
        ``next_``; ``N`` means the next draw twists)."""
        self._bits.state = {"bit_generator": "MT19937",
                            "state": {"key": np.asarray(key, dtype=np.uint32).copy(),
                                      "pos": int(pos)}}

    def key(self) -> tuple[np.ndarray, int]:
        """``(key, pos)``: the words and how many of them have been drawn."""
        st = self._bits.state["state"]
        return np.asarray(st["key"], dtype=np.uint32).copy(), int(st["pos"])

    def random32(self, n: int) -> np.ndarray:
        """``n`` draws of ``random()`` as ``uint64`` values below 2**32."""
        return self._bits.random_raw(n).astype(np.uint64)

    def random64(self, n: int) -> np.ndarray:
        """``n`` draws of ``random64()``: ``(hi << 32) | lo`` from two words."""
        w = self.random32(2 * n).reshape(n, 2)
        return (w[:, 0] << np.uint64(32)) | w[:, 1]

    def copy(self) -> Engine:
        out = Engine.__new__(Engine)
        out.seed = self.seed
        out._bits = np.random.MT19937()
        key, pos = self.key()
        out.set_key(key, pos)
        return out
