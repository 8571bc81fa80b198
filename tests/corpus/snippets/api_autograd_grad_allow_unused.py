# Source: torch.autograd.grad docstring (allow_unused)
import torch

x = torch.tensor([1., 2.], requires_grad=True)
z = torch.tensor([3., 4.], requires_grad=True)
y = (x * 2).sum()
print(torch.autograd.grad(y, [x, z], allow_unused=True))
y = (x * 2).sum()
torch.autograd.grad(y, [x, z])
