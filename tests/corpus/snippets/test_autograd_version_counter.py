# Source: pytorch test/test_autograd.py, test_version_counter
import torch

x = torch.ones(2, 2)
print(x._version)
x.add_(1)
print(x._version)
y = x.view(4)
y.add_(1)
print(x._version, y._version)
z = x.detach()
z.add_(1)
print(x._version)
d = x.data
d.add_(1)
print(x._version, d._version)
