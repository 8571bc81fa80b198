# Source: a well-known Q&A ("torch.no_grad() vs detach()"), with the autograd tutorial's example
import torch

x = torch.tensor([1., 2.], requires_grad=True)
with torch.no_grad():
    y = x * 2
z = (x * 2).detach()
print(y.requires_grad, z.requires_grad, y.grad_fn, z.grad_fn, y.is_leaf, z.is_leaf)
w = x * 2 + z
w.sum().backward()
print(x.grad)
