# Source: torch/autograd/variable.py and the autograd docs' "Variable (deprecated)" note:
# Variable(tensor) returns a Tensor; requires_grad and volatile keywords
import torch
from torch.autograd import Variable

v = Variable(torch.tensor([1., 2.]))
print(v, v.requires_grad, isinstance(v, Variable))
w = Variable(torch.tensor([1., 2.]), requires_grad=True)
print(w, isinstance(w, Variable), isinstance(torch.zeros(1), Variable))
print((w * 3).sum())
