# Source: pytorch test/test_autograd.py, test_sum_to_with_empty_dim_grad
import torch

a = torch.rand(4, 0, requires_grad=True)
b = torch.rand(4, 1, requires_grad=True)
c = a + b
print(c.shape)
c.sum().backward()
print(b.grad, a.grad.shape)
