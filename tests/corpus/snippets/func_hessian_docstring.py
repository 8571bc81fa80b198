# Source: torch.func.hessian docstring (torch/_functorch/eager_transforms.py; torch.randn replaced)
import torch
from torch.func import hessian

def f(x):
    return x.sin().sum()

x = torch.tensor([0.5, -1.0])
hess = hessian(f)(x)  # equivalent to jacfwd(jacrev(f))(x)
print(hess)
print(torch.allclose(hess, torch.diag(-x.sin())))
