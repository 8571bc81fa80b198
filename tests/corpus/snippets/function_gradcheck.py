# Source: torch.autograd.gradcheck docs and PyTorch test/test_autograd.py (test_gradcheck_*:
# a wrong backward, raise_exception=False, the float32 warning, no input requiring grad)
import torch
from torch.autograd import gradcheck


class Bad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x ** 2 * g


x = torch.tensor([1., 2.], dtype=torch.double, requires_grad=True)
print(gradcheck(lambda t: t ** 3, (x,)))
print(gradcheck(Bad.apply, (x,), raise_exception=False))
try:
    gradcheck(Bad.apply, (x,))
except Exception as e:
    print(type(e).__name__, e)
xf = torch.tensor([1., 2.], requires_grad=True)
try:
    gradcheck(lambda t: t ** 3, (xf,))
except Exception as e:
    print(type(e).__name__, e)
try:
    gradcheck(lambda t: t ** 3, (torch.ones(2, dtype=torch.double),))
except ValueError as e:
    print("ValueError", e)
a = torch.tensor([1., 2.], dtype=torch.double, requires_grad=True)
b = torch.tensor([3., 4.], dtype=torch.double, requires_grad=True)
print(gradcheck(lambda a, b: (a * b, (a + b).sum()), (a, b), check_forward_ad=True))
print(torch.autograd.gradgradcheck(lambda a, b: a * b.sin(), (a, b)))
