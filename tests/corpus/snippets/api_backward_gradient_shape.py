# Source: torch.Tensor.backward docstring; a gradient of the wrong shape (a common Q&A)
import torch

x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * 2
y.backward(torch.ones(2))
