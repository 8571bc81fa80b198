# Source: https://pytorch.org/tutorials/beginner/basics/buildmodel_tutorial.html (nn.Linear,
# with torch.manual_seed(0) added so the numbers are reproducible)
import torch
from torch import nn

torch.manual_seed(0)
layer1 = nn.Linear(in_features=4, out_features=2)
x = torch.ones(3, 4)
hidden1 = layer1(x)
print(hidden1.size())
print(layer1.weight)
print(hidden1)
