# Source: torch.set_printoptions docstring (torch/_tensor_str.py)
import torch

torch.set_printoptions(precision=2)
print(torch.tensor([1.12345]))
torch.set_printoptions(threshold=5)
print(torch.arange(10))
torch.set_printoptions(profile='default')
print(torch.tensor([1.12345]))
print(torch.arange(10))
