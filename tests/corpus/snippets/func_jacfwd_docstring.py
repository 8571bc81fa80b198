# Source: torch.func.jacfwd docstring (torch/_functorch/eager_transforms.py; torch.randn replaced)
import torch
from torch.func import jacfwd, jacrev

x = torch.tensor([0.5, -1.0, 2.0])
jacobian = jacfwd(torch.sin)(x)
print(jacobian)
print(torch.allclose(jacobian, jacrev(torch.sin)(x)))
