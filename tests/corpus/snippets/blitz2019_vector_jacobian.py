# Source: pytorch/tutorials beginner_source/blitz/autograd_tutorial.py (2019-2020 version,
# vector-Jacobian product; torch.randn(3) replaced by fixed values)
import torch

x = torch.tensor([0.3, -1.2, 0.8], requires_grad=True)

y = x * 2
while y.data.norm() < 1000:
    y = y * 2

print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)

print(x.grad)
