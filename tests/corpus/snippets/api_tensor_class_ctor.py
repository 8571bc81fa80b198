# Source: docs/source/tensors.rst; torch.Tensor(data) builds a float32 tensor (a common Q&A:
# "torch.Tensor vs torch.tensor")
import torch

print(torch.Tensor([0, 0, 0]))
print(torch.Tensor([1, 2, 3]).dtype)
print(torch.Tensor(2, 3).shape)
print(torch.Tensor([[1, 2], [3, 4]]))
print(torch.tensor([0, 0, 0]))
print(torch.Tensor())
