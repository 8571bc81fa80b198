# Source: torch.Generator docs and torch.get_rng_state / set_rng_state docstrings, seeded
import torch

g = torch.Generator().manual_seed(2147483647)
print(g.initial_seed())
print(torch.rand(3, generator=g))
print(torch.randn(2, 2, generator=g))
torch.manual_seed(0)
state = torch.get_rng_state()
print(state.dtype, state.shape)
a = torch.randn(5)
torch.set_rng_state(state)
b = torch.randn(5)
print(a)
print(torch.equal(a, b))
torch.manual_seed(-1)
print(torch.initial_seed())
try:
    torch.set_rng_state(torch.zeros(3, dtype=torch.uint8))
except RuntimeError as e:
    print(e)
