# Source: "Zeroing out gradients in PyTorch" recipe (pytorch/tutorials recipes_source): gradients
# accumulate across backward calls
import torch

x = torch.tensor([1., 2.], requires_grad=True)
for i in range(3):
    y = (x * x).sum()
    y.backward()
    print(x.grad)
x.grad.zero_()
print(x.grad)
x.grad = None
print(x.grad)
