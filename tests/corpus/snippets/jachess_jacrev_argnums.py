# Source: https://pytorch.org/tutorials/intermediate/jacobians_hessians.html ("Computing the
# Jacobian"; torch.randn replaced by fixed values, torch.manual_seed dropped)
import torch
from torch.func import jacrev

def predict(weight, bias, x):
    return torch.nn.functional.linear(x, weight, bias).tanh()

D = 3
weight = torch.tensor([[0.1, -0.2, 0.3], [0.0, 0.5, -0.4], [0.2, 0.2, 0.2]])
bias = torch.tensor([0.1, 0.0, -0.1])
x = torch.tensor([0.5, -1.0, 2.0])

jacobian = jacrev(predict, argnums=2)(weight, bias, x)
print(jacobian.shape)
ft_jacobian, ft_bias = jacrev(predict, argnums=(0, 1))(weight, bias, x)
print(ft_jacobian.shape, ft_bias.shape)
