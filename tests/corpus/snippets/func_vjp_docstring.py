# Source: torch.func.vjp docstring (torch/_functorch/eager_transforms.py; torch.randn replaced)
import torch
from torch.func import vjp

x = torch.tensor([0.5, -1.0, 2.0, 0.1, 0.0])
(_, vjpfunc) = vjp(torch.sin, x)
grad = vjpfunc(torch.ones(5))[0]
print(torch.allclose(grad, torch.cos(x)))
print(grad)
