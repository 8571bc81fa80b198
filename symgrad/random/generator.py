"""``torch.Generator`` and the default CPU generator: seeding, ``initial_seed``, and the
state as PyTorch's 5056-byte ``CPUGeneratorImplState`` (so saved states load in both).

>>> import symgrad as torch
>>> g = torch.Generator().manual_seed(42)
>>> g.initial_seed()
42
>>> torch.rand(2, generator=g)
tensor([0.8823, 0.9150])
>>> torch.get_rng_state().shape
torch.Size([5056])
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import numpy as np

from .. import errors
from ..dtypes import uint8
from ..eager.tensor import Tensor
from .mt19937 import N
from .sampling import State

_U64 = 1 << 64
STATE_BYTES = 5056
"""``sizeof(CPUGeneratorImplState)``: the legacy POD (5048 bytes) and the float cache."""

_LAYOUT = np.dtype([("seed", "<u8"), ("left", "<i4"), ("seeded", "<i4"), ("next", "<u8"),
                    ("state", "<u8", (N,)), ("normal_x", "<f8"), ("normal_y", "<f8"),
                    ("normal_rho", "<f8"), ("normal_is_valid", "<i4"), ("_pad0", "<i4"),
                    ("next_float", "<f4"), ("float_is_valid", "u1"), ("_pad1", "u1", (3,))])


def _seed_value(seed: Any) -> int:
    """PyTorch's seed range: ``[-2**63, 2**64)``, negatives taken modulo ``2**64``."""
    s = int(seed)
    if not -(1 << 63) <= s < _U64:
        raise ValueError(errors.SEED_OVERFLOW)
    return s % _U64


class Generator:
    """A CPU random generator with PyTorch's stream (``torch.Generator``)."""

    def __init__(self, device: Any = "cpu") -> None:
        self._state = State(67280421310721)  # PyTorch's default_rng_seed_val
        self.device = device

    def manual_seed(self, seed: Any) -> Generator:
        """Reseed (and drop the cached normal samples); returns the generator."""
        self._state = State(_seed_value(seed))
        return self

    def seed(self) -> int:
        """Reseed from the operating system's entropy; returns the new seed."""
        s = int.from_bytes(os.urandom(8), "little") % _U64
        self._state = State(s)
        return s

    def initial_seed(self) -> int:
        return self._state.engine.seed

    def get_state(self) -> Tensor:
        """The state as a ``uint8`` tensor of 5056 bytes, laid out as PyTorch's."""
        st = self._state
        key, pos = st.engine.key()
        rec = np.zeros((), dtype=_LAYOUT)
        rec["seed"] = st.engine.seed
        rec["left"] = N + 1 - pos
        rec["seeded"] = 1
        rec["next"] = pos
        rec["state"] = key
        if st.next_double is not None:
            rec["normal_is_valid"] = 1
            rec["normal_y"] = st.next_double
        if st.next_float is not None:
            rec["float_is_valid"] = 1
            rec["next_float"] = st.next_float
        return Tensor._wrap(np.frombuffer(rec.tobytes(), dtype=np.uint8).copy())

    def set_state(self, new_state: Tensor) -> Generator:
        """Load a state from :meth:`get_state` (or from PyTorch's ``get_rng_state``)."""
        if not isinstance(new_state, Tensor) or new_state.dtype != uint8:
            raise TypeError(errors.RNG_STATE_TYPE)
        raw = np.ascontiguousarray(new_state._value())
        if raw.size != STATE_BYTES:
            raise RuntimeError(errors.rng_state_size(STATE_BYTES, raw.size))
        rec = np.frombuffer(raw.tobytes(), dtype=_LAYOUT)[0]
        left, nxt = int(rec["left"]), int(rec["next"])
        if not (rec["seeded"] and 0 < left <= N and nxt <= N):
            raise RuntimeError(errors.RNG_STATE_INVALID)
        st = State(int(rec["seed"]))
        st.engine.set_key(rec["state"].astype(np.uint32), N + 1 - left)
        st.next_double = float(rec["normal_y"]) if rec["normal_is_valid"] else None
        st.next_float = float(rec["next_float"]) if rec["float_is_valid"] else None
        self._state = st
        return self

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {hex(id(self))}>"


default_generator = Generator()
default_generator.seed()


def state_of(generator: Generator | None) -> State:
    """The state a sampler draws from: ``generator``'s, or the default one's."""
    if generator is None:
        return default_generator._state
    if not isinstance(generator, Generator):
        raise TypeError(errors.not_a_generator(type(generator).__name__))
    return generator._state


def manual_seed(seed: Any) -> Generator:
    """Seed the default generator (``torch.manual_seed``); returns it."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the default generator nondeterministically; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the default generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state (``torch.get_rng_state``)."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the default generator's state (``torch.set_rng_state``)."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, _caller: str = "fork_rng",
             _devices_kw: str = "devices", device_type: str = "cpu") -> Iterator[None]:
    """Restore the default generator's state on exit (``torch.random.fork_rng``).

    >>> import symgrad as torch
    >>> _ = torch.manual_seed(0)
    >>> with torch.random.fork_rng():
    ...     _ = torch.rand(5)
    >>> torch.rand(1)
    tensor([0.4963])
    """
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)
