# Source: torch.nn.Parameter docs and the Module.register_parameter / register_buffer docs
import torch
from torch import nn

p = nn.Parameter(torch.tensor([1.0, 2.0]))
print(p)
print(p.requires_grad, p.is_leaf, isinstance(p, torch.Tensor))
q = nn.Parameter(torch.ones(2, 2), requires_grad=False)
print(q)
print(p * 2)
print(p.detach())


class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.tensor(3.0))
        self.register_buffer('offset', torch.tensor([0.5]))

    def forward(self, x):
        return x * self.scale + self.offset


m = Scale()
print(m(torch.tensor([1.0, 2.0])))
print(list(m.state_dict().items()))
print([n for n, _ in m.named_buffers()])
try:
    m.scale = torch.tensor(1.0)
except TypeError as e:
    print(e)
try:
    m.missing
except AttributeError as e:
    print(e)
