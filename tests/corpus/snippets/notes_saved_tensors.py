# Source: autograd mechanics notes, "Saved tensors" (docs/source/notes/autograd.rst;
# torch.randn(5) replaced by fixed values)
import torch

x = torch.tensor([0.5, -1.0, 2.0, 0.25, 3.0], requires_grad=True)
y = x.pow(2)
print(x.equal(y.grad_fn._saved_self))  # True
print(x is y.grad_fn._saved_self)  # True

x = torch.tensor([0.5, -1.0, 2.0, 0.25, 3.0], requires_grad=True)
y = x.exp()
print(y.equal(y.grad_fn._saved_result))  # True
print(y is y.grad_fn._saved_result)  # False
