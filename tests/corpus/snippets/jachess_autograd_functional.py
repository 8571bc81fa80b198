# Source: https://pytorch.org/tutorials/intermediate/jacobians_hessians.html (comparison with
# torch.autograd.functional.jacobian; fixed values)
import torch
from torch.autograd.functional import jacobian

def f(x):
    return x.sin() * x

x = torch.tensor([0.5, -1.0, 2.0])
print(jacobian(f, x))
