# Source: torch.Tensor.grad docs: assigning .grad (None, or a tensor of the same shape)
import torch

x = torch.tensor([1., 2.], requires_grad=True)
x.grad = torch.tensor([0.5, 0.5])
(x * 3).sum().backward()
print(x.grad)
x.grad = None
print(x.grad)
x.grad = torch.ones(3)
