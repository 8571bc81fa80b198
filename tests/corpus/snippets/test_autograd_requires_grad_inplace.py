# Source: pytorch test/test_autograd.py, test_requires_grad / test_requires_grad_inplace
# (torch.randn replaced by torch.ones; assertions printed)
import torch

x = torch.ones(5, 5)
y = torch.ones(5, 5)
z = torch.ones(5, 5, requires_grad=True)
a = x + y
print(a.requires_grad)
b = a + z
print(b.requires_grad)

a = torch.ones(5, 5)
b = torch.ones(5, 5, requires_grad=True)
a += b
print(a.requires_grad, a.grad_fn)

# non-leaf
a = torch.ones(5, 5) + 0
b = torch.ones(5, 5, requires_grad=True)
a += b
print(a.requires_grad)
