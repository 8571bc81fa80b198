# Source: PyTorch test/test_autograd.py (once_differentiable: double backward raises)
import torch
from torch.autograd.function import once_differentiable


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        print("in backward:", g.requires_grad, torch.is_grad_enabled())
        return g * 3 * x ** 2


x = torch.tensor([1., 2.], requires_grad=True)
y = Cube.apply(x).sum()
gx, = torch.autograd.grad(y, x, create_graph=True)
print(gx, gx.grad_fn)
y = (Cube.apply(x) * x).sum()
gx, = torch.autograd.grad(y, x, create_graph=True)
print(gx)
try:
    gx.sum().backward()
except RuntimeError as e:
    print("RuntimeError", e)
