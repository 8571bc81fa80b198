# Source: d2l.ai, chapter_preliminaries/autograd.md ("Detaching Computation", PyTorch tab)
import torch

x = torch.arange(4.0, requires_grad=True)
y = x * x
u = y.detach()
z = u * x

z.sum().backward()
print(x.grad == u)
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)
