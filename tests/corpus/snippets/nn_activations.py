# Source: torch.nn activation docs examples (ReLU, LeakyReLU, ELU, Softplus, SiLU, Tanh,
# Sigmoid, Softmax, LogSoftmax, Hardtanh, ReLU6), with a fixed input
import torch
from torch import nn

x = torch.tensor([[-2.0, -0.5, 0.0, 0.5, 3.0]])
for m in (nn.ReLU(), nn.LeakyReLU(0.1), nn.ELU(), nn.Softplus(), nn.SiLU(), nn.Tanh(),
          nn.Sigmoid(), nn.Softmax(dim=1), nn.LogSoftmax(dim=1), nn.Hardtanh(), nn.ReLU6()):
    print(m)
    print(m(x))
