# Source: pytorch test/test_autograd.py, test_grad_mode_restored_reentrant / test_no_grad
import torch

x = torch.ones(5, 5, requires_grad=True)
y = torch.ones(5, 5) * 4
with torch.no_grad():
    w = x + y

@torch.no_grad()
def adder(x, y):
    return x + y

z = adder(x, y)

print(w.requires_grad, z.requires_grad)
print(w.grad_fn, z.grad_fn)
print(torch.is_grad_enabled())
