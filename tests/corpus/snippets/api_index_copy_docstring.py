# Source: Tensor.index_copy_ docstring (torch/_tensor_docs.py)
import torch

x = torch.zeros(5, 3)
t = torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=torch.float)
index = torch.tensor([0, 4, 2])
print(x.index_copy_(0, index, t))
print(x._version)
y = torch.zeros(5, 3)
print(torch.index_copy(y, 0, index, t))
print(y.index_copy(1, torch.tensor([2, 0]), torch.ones(5, 2)))
print(y.index_copy(1, torch.tensor([2, 0]), t[:, :2].clone()))
