# Source: torch.Tensor.is_leaf docstring (torch/_tensor_docs.py); .cuda() replaced by
# .to(torch.float64) (a CPU-only machine), values not printed
import torch

a = torch.rand(10, requires_grad=True)
print(a.is_leaf)
b = torch.rand(10, requires_grad=True).to(torch.float64)
print(b.is_leaf)
# b was created by the operation that cast a cpu Tensor into a float64 Tensor
c = torch.rand(10, requires_grad=True) + 2
print(c.is_leaf)
# c was created by the addition operation
d = torch.rand(10).to(torch.float64)
print(d.is_leaf)
# d does not require gradients and so has no operation creating it (that is tracked by the autograd engine)
e = torch.rand(10).to(torch.float64).requires_grad_()
print(e.is_leaf)
# e requires gradients and has no operations creating it
f = torch.rand(10, requires_grad=True, device="cpu")
print(f.is_leaf)
