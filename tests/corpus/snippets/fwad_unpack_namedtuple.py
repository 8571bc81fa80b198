# Source: torch.autograd.forward_ad.unpack_dual docstring (namedtuple with primal and tangent)
import torch
import torch.autograd.forward_ad as fwAD

x = torch.tensor([1., 2., 3.])
with fwAD.dual_level():
    inp = fwAD.make_dual(x, torch.tensor([1., 0., 0.]))
    out = torch.sin(inp) * inp
    p, t = fwAD.unpack_dual(out)
    print(p)
    print(t)
    print(fwAD.unpack_dual(out).tangent is t)
