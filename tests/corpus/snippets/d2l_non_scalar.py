# Source: d2l.ai, chapter_preliminaries/autograd.md ("Backward for Non-Scalar Variables", PyTorch tab)
import torch

x = torch.arange(4.0, requires_grad=True)
y = x * x
y.backward(gradient=torch.ones(len(y)))  # Faster: y.sum().backward()
print(x.grad)
