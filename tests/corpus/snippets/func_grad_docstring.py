# Source: torch.func.grad docstring (torch/_functorch/eager_transforms.py; torch.randn replaced)
import torch
from torch.func import grad

x = torch.tensor([0.5, -1.0, 2.0])
cos_x = grad(lambda x: torch.sin(x).sum())(x)
print(torch.allclose(cos_x, x.cos()))

# Second-order gradients
neg_sin_x = grad(grad(lambda x: torch.sin(x)))(torch.tensor(0.3))
print(torch.allclose(neg_sin_x, -torch.tensor(0.3).sin()))
