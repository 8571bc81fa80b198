# Source: torch.Tensor.detach / detach_ docstrings (torch/_tensor.py)
import torch

a = torch.tensor([1., 2.], requires_grad=True)
b = a * 2
c = b.detach()
print(c, c.requires_grad, c.is_leaf)
b.detach_()
print(b, b.requires_grad, b.grad_fn)
