# Source: tools/autograd/derivatives.yaml, index_copy: self gets grad with the copied rows zeroed,
# source gets grad.index_select(dim, index)
import torch

x = torch.ones(4, 2, requires_grad=True)
src = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x * 2
z = y.index_copy(0, torch.tensor([3, 1]), src)
print(z)
(z * torch.arange(8.).reshape(4, 2)).sum().backward()
print(x.grad)
print(src.grad)
