# Source: torch.manual_seed / torch.randn docstrings (seeded)
import torch

torch.manual_seed(0)
print(torch.randn(2, 3))
print(torch.rand(4))
