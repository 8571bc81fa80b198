# Source: torch.func docs ("Jacobians, Hessians, hvp, vhp, and more" tutorial: hvp via
# jvp(grad(f)), forward-over-reverse)
import torch
from torch.func import jvp, grad, jacfwd, jacrev

f = lambda x: (x.sin() * x).sum()
x = torch.tensor([0.5, 1.0])


def hvp(f, primals, tangents):
    return jvp(grad(f), primals, tangents)[1]


print(jvp(grad(f), (x,), (torch.ones(2),)))
print(hvp(f, (x,), (torch.tensor([1., 0.]),)))
print(jacfwd(jacrev(f))(x))
