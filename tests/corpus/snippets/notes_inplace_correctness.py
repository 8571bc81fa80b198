# Source: autograd mechanics notes, "In-place correctness checks" (docs/source/notes/autograd.rst)
import torch

a = torch.tensor([1., 2., 3.], requires_grad=True)
b = a.sigmoid()
print(b._version)
b.mul_(2)
print(b._version)
b.sum().backward()
