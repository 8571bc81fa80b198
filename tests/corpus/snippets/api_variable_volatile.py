# Source: torch/autograd/variable.py and the PyTorch 0.4 migration guide ("volatile flag is
# deprecated"): Variable(..., volatile=True) warns and has no effect; Variable shares storage
import torch
from torch.autograd import Variable

v = Variable(torch.ones(2), volatile=True)
print(v, v.requires_grad)
t = torch.ones(2)
v = Variable(t)
v.add_(1)
print(t, t._version, v._version)
w = Variable(torch.ones(2, requires_grad=True) * 2)
print(w, w.is_leaf, w.requires_grad)
Variable([1.])
