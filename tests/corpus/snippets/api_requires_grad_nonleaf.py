# Source: a well-known Q&A: requires_grad can only be changed on leaf variables
import torch

a = torch.tensor([1., 2.], requires_grad=True)
b = a * 2
b.requires_grad = False
