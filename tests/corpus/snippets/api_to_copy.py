# Source: Tensor.to docstring: "returns self when it already matches, unless copy=True"
import torch

x = torch.tensor([1., 2.], requires_grad=True)
print(x.to(torch.float32) is x, x.to('cpu') is x, x.to(torch.float32, copy=True) is x)
y = x.to(torch.float64)
print(y)
y.sum().backward()
print(x.grad)
z = x.to(torch.float32, copy=True)
print(z)
