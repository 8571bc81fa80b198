# Source: pytorch/tutorials beginner_source/blitz/autograd_tutorial.py (2019-2020 version;
# torch.randn(2, 2) replaced by fixed values)
import torch

a = torch.tensor([[0.5, -1.0], [2.0, 3.0]])
a = ((a * 3) / (a - 1))
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
