# Source: autograd mechanics notes, "Gradients for non-differentiable functions"; clamp's
# gradient is 1 on the boundary (a common Q&A)
import torch

x = torch.tensor([-2., -1., 0., 1., 2.], requires_grad=True)
y = x.clamp(min=-1, max=1)
print(y)
y.sum().backward()
print(x.grad)
