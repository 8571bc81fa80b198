# Source: PyTorch docs, notes/autograd.rst "Saved tensors" (grad_fn._saved_self, _saved_result;
# torch.randn(5) replaced by fixed values) and the _saved_* attributes of pow, clamp, mul
import torch

x = torch.tensor([0.5, -1.0, 2.0, 0.25, 1.5], requires_grad=True)
y = x.pow(2)
print(x.equal(y.grad_fn._saved_self))
print(x is y.grad_fn._saved_self)
print(y.grad_fn._saved_exponent)
x = torch.tensor([0.5, -1.0, 2.0, 0.25, 1.5], requires_grad=True)
y = x.exp()
print(y.equal(y.grad_fn._saved_result))
print(y is y.grad_fn._saved_result)
c = x.clamp(min=0.5)
print(c.grad_fn._saved_min, c.grad_fn._saved_max)
m = x * 2
print(m.grad_fn._saved_other, m.grad_fn._saved_self)
y.sum().backward()
try:
    y.grad_fn._saved_result
except RuntimeError as e:
    print("RuntimeError", e)
