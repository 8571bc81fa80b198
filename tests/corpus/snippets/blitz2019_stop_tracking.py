# Source: pytorch/tutorials beginner_source/blitz/autograd_tutorial.py (2019-2020 version,
# "stop autograd from tracking history"; torch.randn(3) replaced by fixed values)
import torch

x = torch.tensor([0.3, -1.2, 0.8], requires_grad=True)
print(x.requires_grad)
print((x ** 2).requires_grad)

with torch.no_grad():
    print((x ** 2).requires_grad)

print(x.requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())
