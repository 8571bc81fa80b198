# Source: torch.is_tensor, torch.numel, torch.is_floating_point docstrings (torch/__init__.py,
# torch/_torch_docs.py)
import torch

x = torch.tensor([1, 2, 3])
print(torch.is_tensor(x), torch.is_tensor([1, 2]))
a = torch.zeros(1, 2, 3, 4, 5)
print(torch.numel(a))
a = torch.zeros(4, 4)
print(torch.numel(a))
print(torch.is_floating_point(a), torch.is_floating_point(x), x.is_floating_point())
