# Source: torch.func.jvp docstring (torch/_functorch/eager_transforms.py; torch.randn replaced)
import torch
from torch.func import jvp

x = torch.tensor(0.5)
f = lambda x: x * torch.tensor([1., 2., 3.])
value, grad = jvp(f, (x,), (torch.tensor(1.),))
print(grad)

x = torch.tensor([0.5, -1.0, 2.0, 0.1, 0.0])

y = torch.tensor([1.5, 0.5, -0.5, 0.0, 2.0])
f = lambda x, y: (x * y)
_, output = jvp(f, (x, y), (torch.ones(5), torch.ones(5)))
print(torch.allclose(output, x + y))
