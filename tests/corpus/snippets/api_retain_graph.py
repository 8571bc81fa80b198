# Source: torch.Tensor.backward docstring (retain_graph); the autogradqs tutorial's note
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y = (x * x).sum()
y.backward(retain_graph=True)
y.backward()
print(x.grad)
