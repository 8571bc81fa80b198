# Source: torch.autograd.backward docstring (tensors and grad_tensors)
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y1 = x * 2
y2 = (x ** 2).sum()
torch.autograd.backward([y1, y2], [torch.tensor([1., 1.]), None])
print(x.grad)
