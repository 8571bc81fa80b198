# Source: torch.func.jacrev docstring (torch/_functorch/eager_transforms.py; torch.randn replaced)
import torch
from torch.func import jacrev

x = torch.tensor([0.5, -1.0, 2.0])
jacobian = jacrev(torch.sin)(x)
expected = torch.diag(torch.cos(x))
print(torch.allclose(jacobian, expected))
print(jacobian)
