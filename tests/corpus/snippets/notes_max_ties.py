# Source: autograd mechanics notes, "Gradients for non-differentiable functions": a reduction
# with ties (max over equal elements) spreads the gradient evenly; amax does the same
import torch

x = torch.tensor([1., 3., 3., 2.], requires_grad=True)
x.max().backward()
print(x.grad)
x.grad = None
x.amax().backward()
print(x.grad)
y = torch.tensor([[1., 5.], [5., 2.]], requires_grad=True)
v, i = y.max(dim=1)
print(v, i)
v.sum().backward()
print(y.grad)
