# Source: pytorch/tutorials beginner_source/blitz/autograd_tutorial.py (2017-2018 version,
# "Gradients"; torch.randn(3) replaced by fixed values)
import torch
from torch.autograd import Variable

x = torch.tensor([0.3, -1.2, 0.8])
x = Variable(x, requires_grad=True)

y = x * 2
while y.data.norm() < 1000:
    y = y * 2

print(y)
gradients = torch.FloatTensor([0.1, 1.0, 0.0001])
y.backward(gradients)

print(x.grad)
print(isinstance(x, torch.Tensor), isinstance(x, Variable), x.is_leaf, y.is_leaf)
