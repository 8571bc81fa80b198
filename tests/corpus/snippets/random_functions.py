# Source: torch.rand / randn / randint / randperm / normal / bernoulli / rand_like docstrings
# (https://pytorch.org/docs/stable/torch.html#random-sampling), seeded
import torch

torch.manual_seed(42)
print(torch.rand(2, 3))
print(torch.randn(17))
print(torch.randint(3, 10, (2, 2)))
print(torch.randint(10, (3,)))
print(torch.randperm(8))
print(torch.normal(mean=torch.arange(1., 6.), std=torch.arange(1, 0, -0.2)))
print(torch.normal(2, 3, size=(1, 4)))
a = torch.empty(3, 3).uniform_(0, 1)
print(torch.bernoulli(a))
print(torch.rand_like(a))
print(torch.randn_like(a, dtype=torch.float64))
print(torch.initial_seed())
