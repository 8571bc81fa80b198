# Source: torch.arange docstring (torch/_torch_docs.py)
import torch

print(torch.arange(5))
print(torch.arange(1, 4))
print(torch.arange(1, 2.5, 0.5))
print(torch.arange(0, 10, 3), torch.arange(10, 0, -3))
print(torch.arange(5.), torch.arange(2, dtype=torch.float64))
