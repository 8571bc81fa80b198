# Source: d2l.ai, chapter_preliminaries/autograd.md (Exercise: plot f(x) = sin(x) and its
# derivative without exploiting f'(x) = cos(x))
import torch

x = torch.linspace(-3.0, 3.0, 7, requires_grad=True)
y = torch.sin(x)
y.sum().backward()
print(x.grad)
print(torch.allclose(x.grad, torch.cos(x.detach())))
