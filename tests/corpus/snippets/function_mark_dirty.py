# Source: torch.autograd.function.FunctionCtx.mark_dirty docstring (its last step, backward
# through the stale saved tensor, left out: symgrad words that error with grad_fn names)
import torch


class Inplace(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x_npy = x.numpy()  # x_npy shares storage with x
        x_npy += 1
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


a = torch.tensor(1., requires_grad=True, dtype=torch.double).clone()
b = a * a
print(a._version)
Inplace.apply(a)
print(a, a.grad_fn, a._version)
a.backward()
