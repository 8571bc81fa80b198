# Source: PyTorch test/test_autograd.py (test_function_returns_input / multiple outputs and
# materialized zero gradients for unused outputs)
import torch


class Two(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        print("g1", g1, "g2", g2)
        return g1 * 2 + g2 * 3


x = torch.tensor([1., 2.], requires_grad=True)
a, b = Two.apply(x)
print(a, b, a.grad_fn is b.grad_fn)
a.sum().backward()
print(x.grad)
x.grad = None
a, b = Two.apply(x)
(a * b).sum().backward()
print(x.grad)
