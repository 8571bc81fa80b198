# Source: a well-known Q&A ("grad can be implicitly created only for scalar outputs")
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y = x * 2
y.backward()
