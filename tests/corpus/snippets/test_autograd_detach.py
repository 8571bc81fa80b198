# Source: pytorch test/test_autograd.py, test_detach (torch.randn replaced by torch.ones;
# assertions printed)
import torch

x = torch.ones(3, 3, requires_grad=True)
y = x + 2
y = y.detach()
z = y * 4 + 2
print(y.requires_grad, z.requires_grad)

x = torch.ones(3, 3, requires_grad=True)
y = x * 2
y = y.detach()
print(y.requires_grad, y.grad_fn)
z = x + y
z.sum().backward()
# This is an incorrect gradient, but we assume that's what the user
# wanted. detach() is an advanced option.
print(x.grad)

# in-place detach
x = torch.ones(3, 3, requires_grad=True)
y = torch.ones(3, 3, requires_grad=True)
a = x * 2
(y + a).sum().backward(retain_graph=True)
a.detach_()
print(a.requires_grad)
(y + a).sum().backward()  # this won't backprop to x
print(x.grad)
print(y.grad)
