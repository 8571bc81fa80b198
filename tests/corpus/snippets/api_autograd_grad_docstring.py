# Source: torch.autograd.grad docstring and the "Higher order gradients" pattern
# (create_graph=True)
import torch

x = torch.tensor([1., 2., 3.], requires_grad=True)
y = (x ** 3).sum()
g, = torch.autograd.grad(y, x, create_graph=True)
print(g)
h, = torch.autograd.grad(g.sum(), x)
print(h)
