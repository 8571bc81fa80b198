# Source: torch.autograd.grad docstring (grad_outputs for a non-scalar output)
import torch

x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x ** 2
print(torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y), retain_graph=True))
print(torch.autograd.grad(y, x, grad_outputs=torch.tensor([1., 0., 2.])))
