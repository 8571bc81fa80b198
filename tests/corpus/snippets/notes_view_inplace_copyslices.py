# Source: autograd mechanics notes, "In-place operations on views" (CopySlices)
import torch

a = torch.tensor([1., 2., 3.], requires_grad=True)
b = a * 1
c = b[1:]
c.mul_(2)
print(b, b.grad_fn)
print(c, c._version, b._version)
b.sum().backward()
print(a.grad)
