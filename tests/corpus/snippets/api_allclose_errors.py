# Source: torch.allclose / isclose (aten/src/ATen/native/TensorCompare.cpp): different dtypes
import torch

print(torch.allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.]), rtol=0, atol=0))
print(torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 3])))
torch.allclose(torch.tensor([1., 2.]), torch.tensor([1., 2.], dtype=torch.float64))
