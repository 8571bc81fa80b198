# Source: https://pytorch.org/tutorials/beginner/blitz/autograd_tutorial.html ("Exclusion from the DAG")
# (pytorch/tutorials beginner_source/blitz/autograd_tutorial.py; torch.rand replaced by fixed values)
import torch

x = torch.tensor([[0.1, 0.2], [0.3, 0.4]])
y = torch.tensor([[0.5, 0.6], [0.7, 0.8]])
z = torch.tensor([[0.9, 1.0], [1.1, 1.2]], requires_grad=True)

a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")
