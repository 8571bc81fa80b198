# Source: pytorch/tutorials beginner_source/blitz/autograd_tutorial.py (2017-2018 version,
# "Variable"; verbatim)
import torch
from torch.autograd import Variable

x = Variable(torch.ones(2, 2), requires_grad=True)
print(x)
y = x + 2
print(y)
print(y.grad_fn)
z = y * y * 3
out = z.mean()
print(z, out)
out.backward()
print(x.grad)
