# Source: autograd mechanics notes, "In-place operations on views": a view of a leaf that
# requires grad cannot be modified in place
import torch

a = torch.tensor([1., 2., 3.], requires_grad=True)
v = a[:2]
v.mul_(2)
