# Source: pytorch test/test_autograd.py, test_no_requires_grad_inplace (torch.randn replaced by
# torch.zeros; assertions printed)
import torch

# basic case, should be able to modify inplace while requires_grad is False
a = torch.zeros(2, 3)
a.add_(5)
a.requires_grad = True
a.sum().backward()
print(a.grad)

# same but with a view
a = torch.zeros(2, 3)
b = a[:]
b.add_(5)
a.requires_grad = True
a.sum().backward()
print(a.grad)

# should fail if requires_grad = True when we modify inplace
a = torch.zeros(2, 3)
b = a[:]
a.requires_grad = True
for t in (a, b):
    try:
        t.add_(5)
    except RuntimeError as e:
        print("RuntimeError:", e)
