"""``torch.random``: PyTorch's CPU generator, bit for bit, and the seeded functions.

``mt19937`` is the engine, ``sampling`` PyTorch's transforms on it (NumPy arrays),
``avx`` the float32 arithmetic of its vectorised normal path, ``generator`` the
``Generator`` objects and their byte-exact state, ``functions`` the tensor API.

>>> import symgrad as torch
>>> _ = torch.manual_seed(0)
>>> torch.initial_seed()
0
>>> state = torch.get_rng_state(); a = torch.randn(3)
>>> torch.set_rng_state(state); torch.equal(torch.randn(3), a)
True
"""

from __future__ import annotations

from ..eager.tensor import Tensor
from .functions import (
    METHODS,
    bernoulli,
    multinomial,
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
)
from .generator import (
    Generator,
    default_generator,
    fork_rng,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)

__all__ = ["Generator", "bernoulli", "default_generator", "fork_rng", "get_rng_state",
           "initial_seed", "manual_seed", "multinomial", "normal", "rand", "rand_like", "randint",
           "randint_like", "randn", "randn_like", "randperm", "seed", "set_rng_state"]

for _name, _fn in METHODS.items():
    setattr(Tensor, _name, _fn)
