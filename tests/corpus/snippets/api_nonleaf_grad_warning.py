# Source: torch.Tensor.retain_grad docstring and the warning for .grad of a non-leaf tensor
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
z = y.sum()
z.backward()
print(y.grad)
