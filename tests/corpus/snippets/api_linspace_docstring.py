# Source: torch.linspace docstring (torch/_torch_docs.py)
import torch

print(torch.linspace(3, 10, steps=5))
print(torch.linspace(-10, 10, steps=5))
print(torch.linspace(start=-10, end=10, steps=5))
print(torch.linspace(start=-10, end=10, steps=1))
print(torch.linspace(0, 1, 7).tolist())
print(torch.linspace(-3.14159, 3.14159, 9, dtype=torch.float64).tolist())
