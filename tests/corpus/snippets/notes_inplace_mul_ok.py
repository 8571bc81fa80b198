# Source: autograd mechanics notes, "In-place operations with autograd": an in-place op whose
# input is not needed by backward is fine
import torch

a = torch.tensor([1., 2.], requires_grad=True)
b = a * 2
b.add_(3)
print(b, b._version)
b.sum().backward()
print(a.grad)
