# Source: torch.device docs (docs/source/tensor_attributes.rst): the .device attribute and the
# device= argument of the factories
import torch

x = torch.tensor([1., 2.], device='cpu')
print(x.device, repr(x.device))
print(x.device == torch.device('cpu'))
y = torch.zeros(2, 3, device=torch.device('cpu'))
print(y.device.type)
z = torch.ones(2, device='cpu', dtype=torch.float64)
print(z)
print(torch.arange(3, device='cpu'), torch.full((2,), 7., device='cpu'))
print(torch.zeros_like(y, device='cpu').shape, torch.empty(2, device='cpu').shape)
