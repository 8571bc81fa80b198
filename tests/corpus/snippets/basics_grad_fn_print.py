# Source: https://pytorch.org/tutorials/beginner/basics/autogradqs_tutorial.html
# (pytorch/tutorials beginner_source/basics/autogradqs_tutorial.py; torch.randn replaced by
# fixed values, binary_cross_entropy_with_logits kept)
import torch

x = torch.ones(5)  # input tensor
y = torch.zeros(3)  # expected output
w = torch.tensor([[0.1, -0.2, 0.3]] * 5, requires_grad=True)
b = torch.tensor([0.5, -0.5, 0.25], requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")
loss.backward()
print(w.grad)
print(b.grad)
