# Source: torch.device docs (docs/source/tensor_attributes.rst, "torch.device")
import torch

print(torch.device('cuda:0'))
print(repr(torch.device('cpu')))
print(repr(torch.device('cuda:0')), repr(torch.device('cuda', 0)))
print(repr(torch.device('cuda')))
d = torch.device('cpu')
print(d.type, d.index, str(d))
print(torch.device('cpu') == torch.device('cpu'), torch.device('cpu') == torch.device('cuda'))
