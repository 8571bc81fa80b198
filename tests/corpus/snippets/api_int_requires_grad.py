# Source: a well-known Q&A ("Only Tensors of floating point dtype can require gradients")
import torch

x = torch.tensor([1., 2.], requires_grad=True)
print(x.dtype)
torch.tensor([1, 2], requires_grad=True)
