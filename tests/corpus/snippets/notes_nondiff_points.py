# Source: autograd mechanics notes, "Gradients for non-differentiable functions"
# (docs/source/notes/autograd.rst): relu and abs at 0 get gradient 0, sqrt at 0 is inf
import torch

x = torch.tensor([-1., 0., 2.], requires_grad=True)
torch.relu(x).sum().backward()
print(x.grad)
x.grad = None
x.abs().sum().backward()
print(x.grad)
y = torch.tensor([0., 4.], requires_grad=True)
y.sqrt().sum().backward()
print(y.grad)
