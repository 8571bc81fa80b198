# Source: pytorch test/test_autograd.py, test_set_grad_enabled (assertions printed)
import torch

x = torch.tensor([1.], requires_grad=True)
with torch.set_grad_enabled(False):
    y = x * 2
print(y.requires_grad)
with torch.set_grad_enabled(True):
    y = x * 2
print(y.requires_grad)
with torch.set_grad_enabled(False):
    torch.set_grad_enabled(True)
    y = x * 2
print(y.requires_grad)
