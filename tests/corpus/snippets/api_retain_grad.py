# Source: torch.Tensor.retain_grad docstring (torch/_tensor.py)
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
y.retain_grad()
z = (y * y).sum()
z.backward()
print(y.grad, x.grad, y.retains_grad, x.retains_grad)
