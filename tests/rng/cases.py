"""The RNG cases the golden file records: each is a name and a function of the
library (``torch`` or ``symgrad``) that seeds, draws and returns NumPy arrays.

Sizes cover both normal paths (below 16 values the scalar Box-Muller with its
cached sample, 16 and up the blocks of 16 with the tail redrawn), odd sizes, the
64-bit draws of float64 and of wide integer ranges.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

SEEDS = (0, 1, 42, 2**32 + 7)
SIZES = (1, 2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 47, 100)


def _np(t: Any) -> np.ndarray:
    return np.asarray(t.detach().numpy()).copy()


def _seq(lib: Any, seed: int, dtype: str) -> list[np.ndarray]:
    """Interleaved draws, so the cached normal sample and the stream position carry."""
    lib.manual_seed(seed)
    dt = getattr(lib, dtype)
    out = [_np(lib.randn(3, dtype=dt)), _np(lib.rand(5, dtype=dt)), _np(lib.randn(1, dtype=dt))]
    out.append(_np(lib.randn(20, dtype=dt)))
    out.append(_np(lib.randn(2, dtype=dt)))
    out.append(_np(lib.empty(7, dtype=dt).normal_(1.5, 0.25)))
    out.append(_np(lib.empty(40, dtype=dt).normal_(-2.0, 3.0)))
    out.append(_np(lib.empty(9, dtype=dt).uniform_(-0.3, 0.7)))
    out.append(_np(lib.empty(6, dtype=dt).exponential_(2.0)))
    out.append(_np(lib.empty(6, dtype=dt).random_()))
    out.append(_np(lib.empty(6, dtype=dt).random_(3, 9)))
    out.append(_np(lib.bernoulli(lib.linspace(0, 1, 11, dtype=dt))))
    out.append(_np(lib.empty(11, dtype=dt).bernoulli_(0.3)))
    return out


def _ints(lib: Any, seed: int) -> list[np.ndarray]:
    lib.manual_seed(seed)
    return [_np(lib.randint(0, 10, (7,))), _np(lib.randint(-5, 5, (3, 4))),
            _np(lib.randint(2**30, (6,))), _np(lib.randint(3, 2**40, (5,))),
            _np(lib.randperm(1)), _np(lib.randperm(10)), _np(lib.randperm(37)),
            _np(lib.randint(0, 4, (5,), dtype=lib.float32)),
            _np(lib.empty(6, dtype=lib.int64).random_()),
            _np(lib.empty(6, dtype=lib.int32).random_()),
            _np(lib.empty(6, dtype=lib.uint8).random_()),
            _np(lib.empty(6, dtype=lib.bool).random_())]


def _sizes(lib: Any, seed: int, dtype: str, fn: str) -> list[np.ndarray]:
    lib.manual_seed(seed)
    dt = getattr(lib, dtype)
    return [_np(getattr(lib, fn)(n, dtype=dt)) for n in SIZES]


def _generator(lib: Any, seed: int) -> list[np.ndarray]:
    g = lib.Generator().manual_seed(seed)
    lib.manual_seed(seed + 1)
    return [_np(lib.rand(4, generator=g)), _np(lib.rand(4)), _np(lib.randn(17, generator=g)),
            _np(lib.randint(0, 100, (4,), generator=g)), _np(lib.randperm(5, generator=g))]


def _state(lib: Any, seed: int) -> list[np.ndarray]:
    lib.manual_seed(seed)
    lib.randn(3)
    lib.rand(700)
    lib.randn(1, dtype=lib.float64)
    return [_np(lib.get_rng_state())]


def _linear(lib: Any, seed: int) -> list[np.ndarray]:
    lib.manual_seed(seed)
    a, b = lib.nn.Linear(3, 4), lib.nn.Linear(20, 2, bias=False)
    w = lib.empty(5, 6)
    return [_np(a.weight), _np(a.bias), _np(b.weight),
            _np(lib.nn.init.xavier_uniform_(w)), _np(lib.nn.init.xavier_normal_(w)),
            _np(lib.nn.init.kaiming_normal_(w, nonlinearity="relu")),
            _np(lib.nn.init.normal_(w, 0.0, 0.01)), _np(lib.nn.init.uniform_(w, -2, 3))]


def _multinomial(lib: Any, seed: int) -> list[np.ndarray]:
    lib.manual_seed(seed)
    p = lib.tensor([[0.1, 0.0, 0.5, 0.2, 1.2], [3.0, 1.0, 0.5, 0.25, 0.25]])
    return [_np(lib.multinomial(p, 1)), _np(lib.multinomial(p, 4)),
            _np(lib.multinomial(p, 9, replacement=True)),
            _np(lib.multinomial(p[1].double(), 3, replacement=True))]


def cases() -> dict[str, Callable[[Any], list[np.ndarray]]]:
    """``{name: fn(lib) -> arrays}`` for every recorded case."""
    out: dict[str, Callable[[Any], list[np.ndarray]]] = {}
    for seed in SEEDS:
        for dtype in ("float32", "float64"):
            out[f"seq-{seed}-{dtype}"] = lambda lib, s=seed, d=dtype: _seq(lib, s, d)
            for fn in ("rand", "randn"):
                out[f"{fn}-{seed}-{dtype}"] = \
                    lambda lib, s=seed, d=dtype, f=fn: _sizes(lib, s, d, f)
        out[f"ints-{seed}"] = lambda lib, s=seed: _ints(lib, s)
        out[f"generator-{seed}"] = lambda lib, s=seed: _generator(lib, s)
        out[f"state-{seed}"] = lambda lib, s=seed: _state(lib, s)
        out[f"linear-{seed}"] = lambda lib, s=seed: _linear(lib, s)
        out[f"multinomial-{seed}"] = lambda lib, s=seed: _multinomial(lib, s)
    return out


def digest(arrays: list[np.ndarray]) -> list[list[Any]]:
    """Each array as ``[dtype, shape, hex of its bytes]``: exact, and small enough to keep."""
    return [[str(a.dtype), list(a.shape), a.tobytes().hex()] for a in arrays]
