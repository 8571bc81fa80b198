# Source: autograd mechanics notes, "Setting requires_grad" / "Locally disabling gradient
# computation" (docs/source/notes/autograd.rst)
import torch

x = torch.tensor([1., 2.], requires_grad=True)
y = torch.tensor([3., 4.])
z = x * y
print(z.requires_grad, z.is_leaf, x.is_leaf, y.is_leaf)
y.requires_grad_()
print(y.requires_grad, (x * y).grad_fn)
