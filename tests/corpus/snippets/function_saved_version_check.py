# Source: PyTorch test/test_autograd.py (saved tensors of a custom Function: freed after
# backward; the in-place case is in tests/autograd, symgrad words it with grad_fn names)
import torch


class SaveOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(r)
        return r

    @staticmethod
    def backward(ctx, g):
        r, = ctx.saved_tensors
        return g * r


x = torch.tensor([1., 2.], requires_grad=True)
y = SaveOut.apply(x)
y.sum().backward(retain_graph=True)
print(x.grad, y.grad_fn.saved_tensors)
y.grad_fn.saved_tensors
y.sum().backward()
try:
    y.grad_fn.saved_tensors
except RuntimeError as e:
    print("RuntimeError", e)
