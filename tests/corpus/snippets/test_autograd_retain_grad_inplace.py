# Source: pytorch test/test_autograd.py, test_retain_grad_inplace
import torch

a = torch.tensor([1.0], requires_grad=True).clone()
a.retain_grad()
a.mul_(2)
a.sum().backward()
print(a.grad)

a = torch.tensor([1.0], requires_grad=True).clone()
a.retain_grad()
# Inplace multiple times is OK
a.mul_(2)
a.mul_(2)
a.sum().backward()
print(a.grad)
