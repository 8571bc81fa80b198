# Source: torch.tensor docstring and the reprs of tensors that require grad
import torch

print(torch.tensor([[0.1, 1.2], [2.2, 3.1], [4.9, 5.2]]))
print(torch.tensor([0, 1]))
print(torch.tensor([[0.11111, 0.222222, 0.3333333]], dtype=torch.float64))
print(torch.tensor(3.14159))
print(torch.tensor([]))
x = torch.tensor([1., -2.], requires_grad=True)
print(x, x * 2, (x * 2).sum(), x.detach())
