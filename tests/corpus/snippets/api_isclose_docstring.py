# Source: torch.isclose docstring (torch/_torch_docs.py)
import torch

print(torch.isclose(torch.tensor((1., 2, 3)), torch.tensor((1 + 1e-10, 3, 4))))
print(torch.isclose(torch.tensor((float('inf'), 4)), torch.tensor((float('inf'), 6)), rtol=.5))
a = torch.tensor([1., 2.])
print(a.isclose(torch.tensor([1., 2.1]), atol=0.2), a.allclose(torch.tensor([1.0, 2.0])))
