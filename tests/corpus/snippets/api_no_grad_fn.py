# Source: a well-known Q&A ("element 0 of tensors does not require grad and does not have a grad_fn")
import torch

x = torch.tensor([1., 2.])
y = (x * 2).sum()
print(y.requires_grad, y.grad_fn)
y.backward()
